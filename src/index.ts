/**
 * footprint-align as a library: the one list of what is public (package.json exports only this
 * file). Every CLI command is one of these functions, callable from any program:
 *   validate → validateLayer · score → runScore · optimise → runOptimise (runNested with --within)
 *   · check → checkPlanFile · compare → comparePlans · workshop → makeWorkshop.
 *
 * Dependencies run one way, each folder of src/ importing only those before it (docs/design.md;
 * checked by dependency-cruiser in `npm test`, .dependency-cruiser.cjs):
 *   errors, version, format → io → geometry → layers → validate → align → plan → search → evidence
 *   → scenario → pipeline → report → check → workshop → cli → index.ts.
 * Outside search/, code imports the search only through search/index.ts.
 */
export { EXIT, FootprintError, InfeasibleError } from './errors.js';
export type { Area, AreaGeometry, Crs, Layer, RawFeature, RawLayer } from './layers/types.js';
export { loadLayer, readRawLayer, detectIdField, detectPopulationField } from './layers/load.js';
export { gdalSource, readGdalLayer, maskCredentials } from './layers/gdal.js';
export { fromBng, toBng, BNG_PROJ4 } from './layers/crs.js';
export { writeFileAtomic, writeGeoJson, rfc7946Collection, stringifyFeatureCollection, featureCollectionChunks } from './geometry/rfc7946.js';
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
// Awkward inputs and safe outputs: what a binary file is, how input text was decoded, warnings found while reading, names as Markdown/HTML text, CSV cells.
export { detectBinaryFormat, type BinaryFormat } from './io/formats.js';
export { decodeText, type DecodedText, type TextEncoding } from './io/encoding.js';
export { listenForInputNotices, type NoticeListener } from './io/notices.js';
export { csvCell, csvTextValue, formatCsv, neutraliseFormula } from './io/csv.js';
export { htmlText, mdCode, mdText } from './report/escape.js';

export { buildProblem, unitAssignment } from './plan/problem.js';
export type { Problem, LayerTerm } from './plan/problem.js';
export { PlanState } from './plan/state.js';
export { evaluatePlan, checkPlan } from './plan/evaluate.js';
export { infeasibilityReasons, assertFeasible, footprintWindow, tightWindow } from './plan/feasibility.js';
export { optimise } from './search/index.js';
export type { OptimiseOptions, OptimiseResult } from './search/index.js';
export { solveExact, enumeratePlans, type EnumeratedPlans } from './search/index.js';

export { buildWorkspace } from './pipeline/workspace.js';
export { runOptimise, problemFromWorkspace, type OptimiseRun } from './pipeline/optimise.js';
export { runNested, type NestedRun, type NestHooks } from './pipeline/nest.js';
export { runScore, type ScoreRun, type ScoreRunOptions } from './pipeline/score.js';
export { runExplore, type ExploreOptions, type ExploreRun, type ExplorePlan } from './pipeline/explore.js';
export type { PlanOutcome, Workspace } from './pipeline/types.js';
export { writePlanOutputs } from './report/write-plan.js';
export { writeScoreOutputs } from './report/write-score.js';
export { writeExploreOutputs } from './report/write-explore.js';
export { optimiseSummary, nestedSummary } from './report/optimise-summary.js';
export { writeBoardOutputs, type BoardOptions } from './report/board.js';
export { reportHtml } from './report/html.js';
export { workbookBytes, evidenceSheet, compositionSheet, servicesSheet, type SheetTable, type SheetColumn } from './report/xlsx.js';
export { geopackageBytes, type GpkgLayer } from './report/gpkg.js';
export { qgisProject } from './report/qgis.js';
export { loadEvidence, planEvidence, evidenceColumns, type EvidenceInputs, type PlanEvidence } from './evidence/evidence.js';
export { evidenceCsv } from './evidence/csv.js';
export { runEvidence, type EvidenceRunOptions } from './check/evidence.js';
export { areasEvidence, assignmentEvidence, type EvidenceRun } from './pipeline/evidence.js';
export { writeEvidenceOutputs } from './report/write-evidence.js';
export { planServices, loadServices, roundPosts, type ServiceInput, type ServiceResult, type ServiceRow } from './evidence/services.js';
export { cohortMeasures } from './evidence/cohorts.js';
export { assignmentMembership, crosswalkMembership, type Membership } from './evidence/membership.js';
export { servicesCsv, servicesJson } from './evidence/services-csv.js';
export type { CohortSpec, ServiceSpec, CurrentSpec } from './evidence/services-config.js';

export { readScenario } from './scenario/read.js';
export { scenarioSchema } from './scenario/schema.js';
export { configFromScenario, type RunConfig } from './scenario/config.js';

export { checkPlanFile } from './check/check.js';
export { formatCheck } from './check/format.js';
export { comparePlans, compareMarkdown, runCompare, type ComparedPlan } from './check/compare.js';

export { makeWorkshop, type Workshop } from './workshop/make.js';
export { run } from './cli/main.js';
