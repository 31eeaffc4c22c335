/**
 * Output formats for `footprint check`, each aimed at a place a CI log is read: a terminal,
 * a machine, GitHub Actions annotations, and JUnit XML (which most CI systems show as tests).
 */
import { terminalText } from '../report/escape.js';

export interface CheckFinding {
  /** Constraint id, e.g. "contiguity". */
  constraint: string;
  message: string;
  footprint?: string;
  units?: string[];
}

export interface ConstraintResult {
  /** Stable id, e.g. "population-bounds". */
  id: string;
  /** What is checked, for people: "each footprint's population is within 30,000–55,000". */
  title: string;
  /** 'skipped' when the check does not apply (no layers given for misalignment, say). */
  status: 'pass' | 'fail' | 'skipped';
  findings: CheckFinding[];
  /** Why it was skipped, or a one-line summary when it passed. */
  detail?: string;
}

export interface CheckReport {
  plan: string;
  units: string;
  results: ConstraintResult[];
  /** Unit id → footprint id, as read or as matched by overlay. */
  assignment: Record<string, string>;
}

export type CheckFormat = 'text' | 'json' | 'github' | 'junit';

export function failed(report: CheckReport): boolean {
  return report.results.some((r) => r.status === 'fail');
}

export function formatCheck(report: CheckReport, format: CheckFormat, { color = false }: { color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ok: !failed(report), ...report }, null, 2)}\n`;
    case 'github':
      return formatGithub(report);
    case 'junit':
      return formatJunit(report);
    case 'text':
      return formatText(report, color);
  }
}

const UNITS_SHOWN = 10;

function unitList(units: string[] | undefined): string {
  if (!units || units.length === 0) return '';
  const shown = units.slice(0, UNITS_SHOWN).join(', ');
  return units.length > UNITS_SHOWN ? ` (units ${shown} and ${units.length - UNITS_SHOWN} more)` : ` (units ${shown})`;
}

function formatText(report: CheckReport, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[39m` : s);
  const lines = [`footprint check: ${report.plan} against ${report.units}`];
  for (const result of report.results) {
    const mark = result.status === 'pass' ? paint(32, 'PASS') : result.status === 'fail' ? paint(31, 'FAIL') : paint(33, 'SKIP');
    lines.push(`${mark}  ${result.title}${result.detail ? ` — ${result.detail}` : ''}`);
    for (const finding of result.findings) lines.push(terminalText(`      ${finding.message}${unitList(finding.units)}`));
  }
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const passes = report.results.filter((r) => r.status === 'pass').length;
  lines.push(failures === 0 ? `all ${passes} constraints pass` : `${failures} of ${passes + failures} constraints fail`);
  return `${lines.join('\n')}\n`;
}

/**
 * GitHub workflow commands: the message ("data") escapes %, CR and LF; property values such as
 * the title additionally escape ":" and ",", which would otherwise end the property.
 * (As in @actions/core's escapeData / escapeProperty.)
 */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function formatGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const finding of result.findings) {
      const title = escapeGithubProperty(`footprint check: ${result.title}`);
      lines.push(`::error file=${escapeGithubProperty(report.plan)},title=${title}::${escapeGithubData(finding.message + unitList(finding.units))}`);
    }
  }
  const failures = report.results.filter((r) => r.status === 'fail').length;
  lines.push(failures === 0 ? `::notice title=footprint check::all constraints pass` : `::notice title=footprint check::${failures} constraint(s) fail`);
  return `${lines.join('\n')}\n`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

function formatJunit(report: CheckReport): string {
  const tests = report.results.length;
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const skipped = report.results.filter((r) => r.status === 'skipped').length;
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="footprint.check" name="${escapeXml(result.id)}: ${escapeXml(result.title)}" time="0">`;
    if (result.status === 'pass') return `${open}</testcase>`;
    if (result.status === 'skipped') return `${open}\n      <skipped message="${escapeXml(result.detail ?? 'not applicable')}"/>\n    </testcase>`;
    const body = result.findings.map((f) => f.message + unitList(f.units)).join('\n');
    const summary = result.findings[0]?.message ?? result.title;
    return `${open}\n      <failure type="${escapeXml(result.id)}" message="${escapeXml(summary)}">${escapeXml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="footprint check" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `  <testsuite name="${escapeXml(`footprint check ${report.plan}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
