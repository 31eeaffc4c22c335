import type { OverlayCrosswalk } from '../align/crosswalk.js';
import type { LayerKind } from '../align/source/types.js';
import type { Adjacency } from '../geometry/types.js';
import type { EvidenceInputs } from '../evidence/evidence.js';
import type { Layer } from '../layers/types.js';
import type { RunConfig } from '../scenario/config.js';

/** A service layer as a run uses it: its settings, its areas and its crosswalk with the units. */
export interface RunLayer {
  name: string;
  kind: LayerKind;
  weight: number;
  keepWhole: boolean;
  layer: Layer;
  /**
   * w(u,a) as the run uses it. For a kept-whole layer every unit is wholly in its home area (see
   * `homeRule`), so the search, the report, the maps and check all mean the same by "split".
   */
  crosswalk: OverlayCrosswalk;
  /** How a unit's one area is chosen when the layer is kept whole. */
  homeRule: string;
  /** Per area, extra facts for the derived layer file (sites, members), or null for polygon layers. */
  areaFacts: Array<Record<string, number>> | null;
}

/** Everything loaded and derived before a plan is searched for or checked. */
export interface Workspace {
  config: RunConfig;
  units: Layer;
  populations: Float64Array;
  layers: RunLayer[];
  adjacency: Adjacency;
  /** Evidence inputs (tables, assets, resources, need) as per-unit figures. */
  evidence: EvidenceInputs;
  /** Things the user should know about how inputs were read (detected fields, reprojection, islands). */
  notes: string[];
}

export interface ObjectiveTerms {
  total: number;
  terms: Array<{ layer: string; weight: number; value: number }>;
  compactness: { weight: number; value: number };
}

/** A plan with everything a report needs to show about it. */
export interface PlanOutcome {
  workspace: Workspace;
  /** Unit index → footprint index (0…k−1). */
  assignment: Int32Array;
  footprintIds: string[];
  populations: number[];
  objective: ObjectiveTerms;
  /** 'optimal' only when proven; 'heuristic' otherwise; 'given' for a plan read from a file. */
  status: 'optimal' | 'heuristic' | 'given';
  /** A proven lower bound on the objective, when one is known. */
  bound: number | null;
  search: { method: string; seed: number; restarts: number; elapsedMs: number; timeLimitHit: boolean } | null;
  /** Present when the footprints are nested in a layer's areas (pipeline/nest.ts). */
  nesting?: Nesting;
}

/** How a nested plan was made: the nesting layer and, per area, its k and how its run went. */
export interface Nesting {
  layer: string;
  areas: NestedAreaResult[];
}

export interface NestedAreaResult {
  code: string;
  name: string;
  /** Units and residents of the area (home-area rule). */
  units: number;
  population: number;
  /** Footprints asked for, or null when no k fits the bounds ('auto'). */
  k: number | null;
  kSource: 'given' | 'auto' | 'all';
  /** Why the area has no plan, when it has none. */
  failure: { reason: string; exitCode: number } | null;
  /** Indices into the outcome's footprints of this area's footprints (empty when it failed). */
  footprints: number[];
  status: 'optimal' | 'heuristic' | null;
  /** The area's own objective (its sub-problem's), or null when it failed. */
  objective: number | null;
  /** A proven lower bound on the area's objective (with --bound-nodes, or equal to it when proven optimal), else null. */
  bound: number | null;
  /** (objective − bound) / objective in percent when a bound is known (0 when optimal), else null. */
  gap: number | null;
  seed: number;
  elapsedMs: number;
  timeLimitHit: boolean;
}
