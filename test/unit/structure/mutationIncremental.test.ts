/**
 * Stryker's incremental file is committed (docs/mutation.md): CI's
 * `npm run mutation` re-tests only the mutants of code and tests changed since
 * it was written. Whoever changes the mutated code or its tests runs
 * `npm run mutation` and commits the file it rewrites; this fails until then.
 * (CI would still be right without it, as Stryker re-tests what changed, but
 * slower on every run.)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordedFiles } from '../../../scripts/mutationFiles.js';
import {
  mutationSources,
  readStrykerConfig,
  staleMutatedFiles,
  staleTestFiles,
} from '../../../scripts/mutationFiles.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = readStrykerConfig(ROOT);
const file = path.join(ROOT, config.incrementalFile);
const REFRESH = `${config.incrementalFile} is stale: run npm run mutation and commit it`;

describe("Stryker's committed incremental file", () => {
  it('exists', () => {
    expect(existsSync(file), REFRESH).toBe(true);
  });

  const recorded = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as RecordedFiles)
    : { files: {} };
  const { mutated, tests } = mutationSources(ROOT, config.mutate);

  it('records every mutated file as it is now', () => {
    expect(Object.keys(recorded.files).length).toBeGreaterThan(0);
    expect(staleMutatedFiles(recorded, mutated), REFRESH).toEqual([]);
  });

  it('records every test file of the mutation run as it is now', () => {
    expect(staleTestFiles(recorded, tests), REFRESH).toEqual([]);
  });
});

describe('the staleness check', () => {
  const now = new Map([
    ['src/a.ts', 'a'],
    ['src/types.ts', 'type T = 1;'],
  ]);
  it('names a mutated file changed or gone, and passes one without mutants', () => {
    expect(staleMutatedFiles({ files: { 'src/a.ts': { source: 'a' } } }, now)).toEqual([]);
    expect(staleMutatedFiles({ files: { 'src/a.ts': { source: 'b' } } }, now)).toEqual([
      'src/a.ts: changed since recorded',
    ]);
    expect(staleMutatedFiles({ files: { 'src/gone.ts': { source: '' } } }, now)).toEqual([
      'src/gone.ts: recorded, no longer mutated',
    ]);
  });

  it('names a test file changed, added or gone', () => {
    const tests = new Map([
      ['test/unit/a.test.ts', 'x'],
      ['test/unit/new.test.ts', 'y'],
    ]);
    const testFiles = {
      'test/unit/a.test.ts': { source: 'old' },
      'test/unit/gone.test.ts': { source: 'z' },
    };
    expect(staleTestFiles({ files: {}, testFiles }, tests)).toEqual([
      'test/unit/a.test.ts: changed since recorded',
      'test/unit/gone.test.ts: recorded, no longer a mutation test',
      'test/unit/new.test.ts: not recorded',
    ]);
  });
});
