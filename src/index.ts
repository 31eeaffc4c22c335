/**
 * footprint as a library: every CLI command is one of these functions, callable from any program.
 * Data flows one way: layers → validate → crosswalk / adjacency → plan + search → report / check.
 */
export { EXIT, FootprintError, InfeasibleError } from './errors.js';
export type { Area, AreaGeometry, Crs, Layer, RawFeature, RawLayer } from './layers/types.js';
export { loadLayer, readRawLayer, detectIdField, detectPopulationField } from './layers/load.js';
export { fromBng, toBng, BNG_PROJ4 } from './layers/crs.js';
export { writeFileAtomic, writeGeoJson, rfc7946Collection, stringifyFeatureCollection } from './geometry/rfc7946.js';
export { prepareOutputFolder, prepareOutputFile, writeOutputFolder, type OutputFolder, type OutputWriter } from './io/output-folder.js';
export { readPlanFile } from './layers/plan-file.js';

export { validateLayer } from './validate/validate.js';
export type { Finding, LayerReport, ValidateOptions } from './validate/types.js';

export type { Adjacency } from './geometry/types.js';
export { adjacency } from './geometry/adjacency.js';
export { dissolve } from './geometry/dissolve.js';
export { equalAreaProjection } from './geometry/project.js';

export type { Crosswalk } from './align/types.js';
export { crosswalk, DEFAULT_SLIVER_TOLERANCE } from './align/crosswalk.js';
export { misalignment, jointTable, pairMeasures, layerPartition, planPartition, unitPartition } from './align/measures.js';
export { scoreLayers } from './align/score.js';
export { loadServiceLayers, homeCrosswalk } from './align/source/index.js';
export type { LayerKind, LayerSpec, ServiceLayer } from './align/source/index.js';
export { siteCatchments, unitPoints } from './align/source/sites.js';
export { readTable } from './io/table.js';
export type { Table, TableRow } from './io/table.js';

export { buildProblem, unitAssignment } from './plan/problem.js';
export type { Problem, LayerTerm } from './plan/problem.js';
export { PlanState } from './plan/state.js';
export { evaluatePlan, checkPlan } from './plan/evaluate.js';
export { infeasibilityReasons, assertFeasible } from './plan/feasibility.js';
export { optimise } from './search/optimise.js';
export type { OptimiseOptions, OptimiseResult } from './search/optimise.js';
export { solveExact } from './search/exact/solve.js';

export { buildWorkspace } from './pipeline/workspace.js';
export { runOptimise, problemFromWorkspace } from './pipeline/optimise.js';
export { runExplore } from './pipeline/explore.js';
export type { ExploreOptions, ExploreRun, ExplorePlan } from './pipeline/explore.js';
export { enumeratePlans } from './search/enumerate/index.js';
export type { EnumeratedPlans } from './search/enumerate/index.js';
export { writeExploreOutputs } from './report/write-explore.js';
export type { PlanOutcome, Workspace } from './pipeline/types.js';
export { writePlanOutputs } from './report/write-plan.js';
export { loadEvidence, planEvidence, evidenceColumns, type EvidenceInputs, type PlanEvidence } from './evidence/evidence.js';
export { evidenceCsv } from './evidence/csv.js';

export { readScenario } from './scenario/read.js';
export { scenarioSchema } from './scenario/schema.js';
export type { RunConfig } from './scenario/config.js';

export { checkPlanFile } from './check/check.js';
export { formatCheck } from './check/format.js';
export { run } from './cli/main.js';
