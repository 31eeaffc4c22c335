import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { outputError, writeDurably } from '../io/output-folder.js';
import { checkRecord, type AreaRecord, type AreaShape } from './area-record.js';
import type { RunIdentity } from './fingerprint.js';

/**
 * Resume (`--resume`): a nested run keeps each finished area's record as it goes, in a staging
 * folder beside its output folder, `.<out>.footprint-resume-<fingerprint>` (io/output-folder.ts
 * stages the files themselves the same way, `.<out>.footprint-new-…`). Nothing there is output: the
 * output folder is still replaced all at once, when every area is done, and the kept records are
 * then deleted.
 *
 * - Interrupted (Ctrl-C, SIGTERM, kill -9, power cut): the output folder is untouched and the
 *   records stay.
 * - Started again with `--resume`: the records of the same run (same fingerprint: inputs, options,
 *   seed, version; pipeline/fingerprint.ts) are taken up and only the other areas are searched.
 *   Records of any other run beside the folder are deleted.
 * - Started again without `--resume`: every kept record beside the folder is deleted first, as
 *   stale staging always is, and the run starts from nothing.
 *
 * The run holds the output folder's lock throughout, so no other run touches the records. Each
 * record is written to a temporary name, synced, then renamed: a record is whole or absent.
 */
export interface AreaStore {
  /** The folder the records are kept in. */
  readonly path: string;
  /** Records of areas finished by an earlier run of the same fingerprint, checked against `areas`. */
  load(areas: AreaShape[]): Map<string, AreaRecord>;
  save(record: AreaRecord): void;
  /** Delete the records (the outputs are committed). */
  discard(): void;
  /** What became of earlier progress, for the user: null when there was none to speak of. */
  readonly note: string | null;
}

const IDENTITY = 'identity.json';

function prefixOf(outFolder: string): string {
  return `.${basename(outFolder)}.footprint-resume-`;
}

/** The kept-records folders beside an output folder (any fingerprint). */
export function resumeFolders(outFolder: string): string[] {
  const parent = dirname(outFolder);
  try {
    return readdirSync(parent)
      .filter((n) => n.startsWith(prefixOf(outFolder)))
      .map((n) => join(parent, n));
  } catch {
    return [];
  }
}

/** A file name for an area code: codes are text from data. */
function recordName(code: string): string {
  return `${encodeURIComponent(code).replace(/\./g, '%2E')}.json`;
}

/** Open the records of `outFolder` for a run (call with the output folder's lock held). */
export function openAreaStore(outFolder: string, identity: RunIdentity, resume: boolean): AreaStore {
  const path = `${join(dirname(outFolder), prefixOf(outFolder))}${identity.fingerprint.slice(0, 16)}`;
  let kept = 0;
  let others = 0;
  for (const folder of resumeFolders(outFolder)) {
    if (resume && folder === path && sameRun(folder, identity)) {
      kept++;
      continue;
    }
    others++;
    rmSync(folder, { recursive: true, force: true });
  }
  const areasDir = join(path, 'areas');
  try {
    mkdirSync(areasDir, { recursive: true });
    writeDurably(join(path, IDENTITY), `${JSON.stringify(identity, null, 2)}\n`);
  } catch (error) {
    throw outputError('keep progress beside', outFolder, error, path);
  }
  let note: string | null = null;
  if (resume && kept === 0) note = `--resume: no progress kept for this run beside ${outFolder}${others > 0 ? ' (what was kept is from other inputs or options, and was cleared)' : ''}; starting from the beginning`;
  return {
    path,
    note,
    load(areas) {
      const out = new Map<string, AreaRecord>();
      if (!resume) return out;
      for (const area of areas) {
        let record: AreaRecord | null = null;
        try {
          record = checkRecord(JSON.parse(readFileSync(join(areasDir, recordName(area.code)), 'utf8')), area);
        } catch {
          record = null;
        }
        if (record) out.set(area.code, record);
      }
      return out;
    },
    save(record) {
      const file = join(areasDir, recordName(record.code));
      try {
        writeDurably(`${file}.tmp`, JSON.stringify(record));
        renameSync(`${file}.tmp`, file);
      } catch (error) {
        throw outputError('keep the result of area', record.code, error, file);
      }
    },
    discard() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function sameRun(folder: string, identity: RunIdentity): boolean {
  try {
    return (JSON.parse(readFileSync(join(folder, IDENTITY), 'utf8')) as RunIdentity).fingerprint === identity.fingerprint;
  } catch {
    return false;
  }
}
