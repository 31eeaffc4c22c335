import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { FootprintError } from '../errors.js';
import { readInputText } from '../io/input.js';
import { scenarioSchema, type Scenario } from './schema.js';

export interface LoadedScenario {
  scenario: Scenario;
  /** The scenario file; relative paths inside it are resolved against its folder. */
  file: string;
  /** Resolve a path written in the scenario. */
  resolvePath(path: string): string;
}

function keyPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(top level)';
}

/**
 * Most alias expansions a scenario may make. A real scenario uses a handful; a YAML "billion
 * laughs" file would otherwise expand a few lines into gigabytes.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Read and check a scenario (YAML, or JSON, which is YAML too). Every problem is reported
 * with the key it concerns and its line, so a planner can fix the file without guessing.
 */
export function readScenario(file: string): LoadedScenario {
  const text = readInputText(file);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new FootprintError(`not valid YAML or JSON: ${first.message.split('\n')[0]}`, { location: { file, line } });
  }
  let data: unknown;
  try {
    // yaml refuses aliases that expand past its limit (a "billion laughs" bomb) with a ReferenceError.
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new FootprintError(`not a usable scenario: ${(error as Error).message.split('\n')[0]}`, { location: { file } });
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => describeIssue(issue, document, lineCounter));
    throw new FootprintError(`invalid scenario:\n  ${messages.join('\n  ')}`, { location: { file } });
  }
  const folder = dirname(resolve(file));
  return {
    scenario: parsed.data,
    file,
    // A PostGIS connection string (`PG:…`) is not a path.
    resolvePath: (path: string) => (isAbsolute(path) || /^PG:/i.test(path) ? path : resolve(folder, path)),
  };
}

function describeIssue(issue: z.core.$ZodIssue, document: ReturnType<typeof parseDocument>, lineCounter: LineCounter): string {
  const path = issue.path as PropertyKey[];
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys
    .map((extra) => {
      const full = extra === undefined ? path : [...path, extra];
      const line = lineOf(document, lineCounter, full, extra !== undefined);
      const where = `line ${line ?? '?'}, key "${keyPath(full)}"`;
      const message = issue.code === 'unrecognized_keys' ? 'unknown key (check its spelling)' : issue.message;
      return `${where}: ${message}`;
    })
    .join('\n  ');
}

/** Line of the node at `path`, or of its nearest existing parent (a missing key has no node). */
function lineOf(document: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: PropertyKey[], isKey: boolean): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth) as Array<string | number>;
    let node: unknown;
    if (isKey && depth === path.length && depth > 0) {
      // An unknown key: find the pair so the line is the key's own.
      const parent = sub.length > 1 ? document.getIn(sub.slice(0, -1), true) : document.contents;
      const items = (parent as { items?: Array<{ key?: unknown }> } | null)?.items ?? [];
      const pair = items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === sub[sub.length - 1]);
      node = pair?.key;
    } else {
      node = depth === 0 ? document.contents : document.getIn(sub, true);
    }
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}
