/**
 * `npm run mutation`'s last step: fails naming every file (or directory) whose
 * mutation score is under its threshold (scripts/mutationThresholds.ts). The
 * report must be of the sources as they are: an incremental run's report holds
 * every mutant, the reused ones too, so the thresholds judge the whole.
 * Usage: tsx scripts/mutation-check.ts [reports/mutation/mutation.json]
 */
import { readFileSync } from 'node:fs';
import type { RecordedFiles } from './mutationFiles.js';
import { mutationSources, readStrykerConfig, staleMutatedFiles } from './mutationFiles.js';
import type { ReportFiles } from './mutationThresholds.js';
import { failures, scores } from './mutationThresholds.js';

const path = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(path, 'utf8')) as { files?: ReportFiles };
if (report.files === undefined || Object.keys(report.files).length === 0) {
  console.error(`${path}: no mutated files in the report`);
  process.exit(1);
}
const { mutated } = mutationSources(process.cwd(), readStrykerConfig(process.cwd()).mutate);
const stale = staleMutatedFiles(report as RecordedFiles, mutated);
if (stale.length > 0) {
  console.error(`${path} is not a report of the current sources:\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
const all = scores(report.files);
for (const s of all) {
  const score = Number.isNaN(s.score) ? 'n/a' : `${s.score.toFixed(2)} %`;
  console.log(`${score.padStart(8)}  (≥ ${s.threshold} %)  ${s.name}`);
}
const mutants = Object.values(report.files).reduce((n, f) => n + f.mutants.length, 0);
console.log(`${mutants} mutants in ${Object.keys(report.files).length} files`);
const failed = failures(all);
for (const s of failed) {
  console.error(
    `\n${s.name}: mutation score ${s.score.toFixed(2)} % is under ${s.threshold} %. Undetected:`,
  );
  for (const mutant of s.undetected) console.error(`  ${mutant}`);
}
if (failed.length > 0) process.exit(1);
