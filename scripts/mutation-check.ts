/**
 * `npm run mutation`'s last step: fails naming every file (or directory) whose
 * mutation score is under its threshold (scripts/mutationThresholds.ts).
 * Usage: tsx scripts/mutation-check.ts [reports/mutation/mutation.json]
 */
import { readFileSync } from 'node:fs';
import type { ReportFiles } from './mutationThresholds.js';
import { failures, scores } from './mutationThresholds.js';

const path = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(path, 'utf8')) as { files?: ReportFiles };
if (report.files === undefined || Object.keys(report.files).length === 0) {
  console.error(`${path}: no mutated files in the report`);
  process.exit(1);
}
const all = scores(report.files);
for (const s of all) {
  const score = Number.isNaN(s.score) ? 'n/a' : `${s.score.toFixed(2)} %`;
  console.log(`${score.padStart(8)}  (≥ ${s.threshold} %)  ${s.name}`);
}
const failed = failures(all);
for (const s of failed) {
  console.error(
    `\n${s.name}: mutation score ${s.score.toFixed(2)} % is under ${s.threshold} %. Undetected:`,
  );
  for (const mutant of s.undetected) console.error(`  ${mutant}`);
}
if (failed.length > 0) process.exit(1);
