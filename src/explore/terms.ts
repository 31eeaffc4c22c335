import { FootprintError } from '../errors.js';
import type { Evaluation } from '../plan/evaluate.js';
import type { Problem } from '../plan/problem.js';

/**
 * The objective terms a frontier is drawn between: a layer's split share S(L|F) or the compactness
 * term (cut edges / all edges), each unweighted. The rest of the objective (the scenario's other
 * weighted terms) breaks ties.
 */
export interface TermRef {
  name: string;
  kind: 'layer' | 'compactness';
  /** Index into problem.layers (layer terms), −1 for compactness. */
  index: number;
  /** The term's weight in the scenario's objective. */
  weight: number;
}

export const COMPACTNESS_TERM = 'compactness';

/** The terms named on the command line, in order; an unknown or repeated name is a usage error (exit 2). */
export function resolveTerms(problem: Problem, names: string[]): TermRef[] {
  const known = [...problem.layers.map((l) => l.name), COMPACTNESS_TERM];
  if (names.length < 2 || names.length > 3) throw new FootprintError(`--between takes two or three terms separated by commas (got ${names.length}: "${names.join(',')}"); terms: ${known.join(', ')}`);
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim();
    if (seen.has(name)) throw new FootprintError(`--between names "${name}" twice; give two or three different terms (${known.join(', ')})`);
    seen.add(name);
    if (name === COMPACTNESS_TERM) return { name, kind: 'compactness', index: -1, weight: problem.compactnessWeight };
    const index = problem.layers.findIndex((l) => l.name === name);
    if (index < 0) throw new FootprintError(`--between: "${name}" is not a layer of the run; terms: ${known.join(', ')}`);
    return { name, kind: 'layer', index, weight: problem.layers[index].weight };
  });
}

/** A term's value in an evaluation. */
export function termValue(term: TermRef, evaluation: Pick<Evaluation, 'splits' | 'compactness'>): number {
  return term.kind === 'compactness' ? evaluation.compactness : evaluation.splits[term.index];
}
