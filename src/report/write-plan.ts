import { join } from 'node:path';
import type { PlanOutcome } from '../pipeline/types.js';
import { writeFileAtomic, writeGeoJson } from '../layers/write.js';
import { assignmentCollection, assignmentCsv, footprintCollection, planDetails } from './plan.js';
import { planMarkdown } from './plan-markdown.js';

export interface WrittenPlan {
  files: string[];
}

/**
 * Write a plan's outputs into a folder: footprints.geojson, assignment.geojson, assignment.csv and
 * report.md. Each file is written atomically, so an interrupted run never leaves half a file.
 */
export function writePlanOutputs(outcome: PlanOutcome, outDir: string, options: { title: string; command?: string }): WrittenPlan {
  const details = planDetails(outcome);
  const files = {
    footprints: join(outDir, 'footprints.geojson'),
    assignmentGeoJson: join(outDir, 'assignment.geojson'),
    assignmentCsv: join(outDir, 'assignment.csv'),
    report: join(outDir, 'report.md'),
  };
  writeGeoJson(files.footprints, footprintCollection(outcome, details));
  writeGeoJson(files.assignmentGeoJson, assignmentCollection(outcome));
  writeFileAtomic(files.assignmentCsv, assignmentCsv(outcome));
  writeFileAtomic(files.report, planMarkdown(outcome, details, { title: options.title, command: options.command }));
  return { files: Object.values(files) };
}
