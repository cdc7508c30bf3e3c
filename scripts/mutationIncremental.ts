/**
 * `npm run mutation`'s step after Stryker: rewrites Stryker's incremental file
 * (stryker.config.json `incrementalFile`, committed) in a canonical form, so
 * that a run on unchanged sources leaves it byte for byte as it was and a
 * change shows as the mutants and tests it touched (scripts/mutationFiles.ts).
 * Usage: tsx scripts/mutationIncremental.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncrementalReport } from './mutationFiles.js';
import { canonicalReport, readStrykerConfig } from './mutationFiles.js';

const file = readStrykerConfig(process.cwd()).incrementalFile;
const report = JSON.parse(readFileSync(file, 'utf8')) as IncrementalReport;
writeFileSync(file, `${JSON.stringify(canonicalReport(report), null, 1)}\n`);
