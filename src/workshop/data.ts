import type { ServiceInput } from '../evidence/services.js';
import type { WorkshopExplore } from './explore-data.js';

/**
 * What a workshop page carries inline: the plan problem as plain arrays (the CSR tables of
 * `buildProblem`), the evidence inputs as per-unit figures, and the map already projected to
 * screen coordinates. Node builds it once (`buildWorkshopData`); the page turns it back into the
 * library's own structures (`hydrate` in session.ts), so the browser runs the same code as the CLI
 * and never needs the geometry libraries.
 */
export interface WorkshopData {
  /** Format version of this object, bumped when its shape changes. */
  version: 1;
  title: string;
  /** The command that made the page, for the footer. */
  source: string;
  k: number;
  min: number;
  max: number;
  compactnessWeight: number;
  footprintIds: string[];
  /** Footprint index (into footprintIds) of each unit at the start. */
  assignment: number[];
  /** Unit index → footprint index (0-based) for units locked by the scenario. */
  locked: Array<[number, number]>;
  units: WorkshopUnit[];
  /** Unit adjacency (CSR over units, rook, islands linked as in the run). */
  adjacency: { start: number[]; neighbour: number[] };
  layers: WorkshopLayer[];
  evidence: WorkshopEvidence;
  map: WorkshopMap;
  /** The plans of an explore run the page can switch between, with the frontier chart (explore-data.ts). */
  explore?: WorkshopExplore;
}

export interface WorkshopUnit {
  id: string;
  name: string | null;
  population: number;
  /** "wards: Coldhurst (E05014650)" and the like, one line per layer, for the hover card. */
  areas: string[];
}

export interface WorkshopLayer {
  name: string;
  weight: number;
  keepWhole: boolean;
  /** How a unit's one area is chosen when kept whole (shown in the panel). */
  homeRule: string;
  areaIds: string[];
  /** "Name (CODE)" of each area, for messages. */
  areaLabels: string[];
  /** Each area's name as the evidence names footprints after it (the id when it has none). */
  areaNames: string[];
  /** The crosswalk as the run uses it (CSR over units): w(u,a). */
  start: number[];
  area: number[];
  weight_: number[];
}

export interface WorkshopEvidence {
  measures: Array<{ column: string; field: string; source: string; aggregation: { kind: 'sum' } | { kind: 'mean' } | { kind: 'share'; lo: number; hi: number }; values: Array<number | null> }>;
  assets: Array<{ name: string; count: number[]; distance: Array<number | null> }>;
  resources: Array<{ name: string; source: string; perUnit: number[]; total: number; need: Record<string, number> }>;
  needWeights: Record<string, number>;
  needStated: boolean;
  need: number[];
  resourceNeed: number[][];
  names: Record<string, string>;
  /** Measure columns that are cohorts (tiers of need). */
  cohorts: string[];
  /** The service model: demand per unit, capacity, rounding, today's posts (evidence/services.ts). */
  services: WorkshopService[];
}

/** A service as the page carries it: evidence/services.ts's ServiceInput with plain arrays (JSON) and no notes. */
export type WorkshopService = Omit<ServiceInput, 'demand' | 'current'> & {
  demand: number[];
  current: { kind: 'units'; perUnit: number[]; source: string } | { kind: 'footprints'; amounts: Record<string, number>; source: string } | null;
};

export interface WorkshopMap {
  width: number;
  height: number;
  /** SVG path data of each unit. */
  unitPaths: string[];
  /** Shared boundary of each pair of neighbouring units (b = −1: the territory's outer edge), as SVG path data. */
  edges: Array<{ a: number; b: number; d: string }>;
  /** Service-layer outlines: the unit edges where a unit's home area changes. */
  outlines: Array<{ layer: string; colour: string; dash: string; d: string }>;
}
