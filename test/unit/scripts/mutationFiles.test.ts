import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncrementalReport } from '../../../scripts/mutationFiles.js';
import {
  canonicalReport,
  filesMatching,
  globToRegExp,
  mutationTestGlobs,
  readStrykerConfig,
} from '../../../scripts/mutationFiles.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('the mutation test set', () => {
  it('takes a mutated folder whole and a mutated file by its name', () => {
    expect(mutationTestGlobs(['src/translate/**/*.ts', 'src/emulator/query.ts'])).toEqual([
      'test/unit/translate/**/*.test.ts',
      'test/unit/emulator/query.test.ts',
      'test/unit/emulator/query[A-Z]*.test.ts',
    ]);
    expect(() => mutationTestGlobs(['src/**/query*.ts'])).toThrow(/src\/\*\*\/query\*\.ts/);
  });

  it('matches globs as Stryker and Vitest do for these forms', () => {
    const folder = globToRegExp('test/unit/translate/**/*.test.ts');
    expect(folder.test('test/unit/translate/paging.test.ts')).toBe(true);
    expect(folder.test('test/unit/translate/deep/er/paging.test.ts')).toBe(true);
    expect(folder.test('test/unit/translate/paging.test.tsx')).toBe(false);
    expect(folder.test('test/unit/translateX/paging.test.ts')).toBe(false);
    const aspect = globToRegExp('test/unit/emulator/query[A-Z]*.test.ts');
    expect(aspect.test('test/unit/emulator/queryCorners.test.ts')).toBe(true);
    expect(aspect.test('test/unit/emulator/queryable.test.ts')).toBe(false);
    expect(aspect.test('test/unit/emulator/query.test.ts')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('is, for stryker.config.json, the unit tests of the mutated modules and nothing that builds the schema', () => {
    const { mutate } = readStrykerConfig(ROOT);
    const tests = filesMatching(ROOT, 'test/unit', mutationTestGlobs(mutate));
    expect(tests).toContain('test/unit/translate/paging.test.ts');
    expect(tests).toContain('test/unit/api/errors.test.ts');
    expect(tests).toContain('test/unit/emulator/query.test.ts');
    expect(tests).toContain('test/unit/emulator/queryCorners.test.ts');
    expect(tests).toContain('test/unit/emulator/filterLimits.test.ts');
    expect(tests.filter((t) => !/^test\/unit\/(translate|api|emulator)\//.test(t))).toEqual([]);
    expect(tests).not.toContain('test/unit/emulator/data.test.ts');
    expect(tests).not.toContain('test/unit/emulator/unspecifiedOrder.test.ts');
    const mutated = filesMatching(ROOT, 'src', mutate);
    expect(mutated).toContain('src/translate/paging.ts');
    expect(mutated).toContain('src/emulator/query.ts');
    expect(mutated).not.toContain('src/emulator/data.ts');
  });
});

describe("the canonical form of Stryker's incremental file", () => {
  const location = (line: number) => ({
    start: { line, column: 1 },
    end: { line, column: 5 },
  });
  /** One report as two runs may write it: tests numbered and fields ordered differently. */
  const run = (order: 'first' | 'second'): IncrementalReport => {
    const [p, q] = order === 'first' ? ['0', '1'] : ['1', '0'];
    const tests = [
      { id: p, name: 'pages forwards' },
      { id: q, name: 'filters' },
    ];
    const mutants = [
      {
        id: '7',
        mutatorName: 'EqualityOperator',
        replacement: '<=',
        location: location(3),
        status: 'Killed',
        killedBy: [p],
        coveredBy: [p, q],
      },
      order === 'first'
        ? { id: '8', mutatorName: 'BooleanLiteral', location: location(1), status: 'Survived' }
        : {
            status: 'Survived',
            location: location(1),
            mutatorName: 'BooleanLiteral',
            id: '2',
            killedBy: [],
            coveredBy: [],
          },
    ];
    return {
      schemaVersion: '1.0',
      thresholds: { high: 95, low: 90, break: 90 },
      files: {
        'src/b.ts': { language: 'typescript', source: 'b', mutants: [] },
        'src/a.ts': {
          language: 'typescript',
          source: 'a',
          mutants: order === 'first' ? mutants : [...mutants].reverse(),
        },
      },
      testFiles: { 'test/unit/a.test.ts': { source: 't', tests } },
    };
  };

  it('is the same for two runs that found the same', () => {
    const one = JSON.stringify(canonicalReport(run('first')));
    expect(JSON.stringify(canonicalReport(run('second')))).toBe(one);
    expect(JSON.stringify(canonicalReport(JSON.parse(one) as IncrementalReport))).toBe(one);
  });

  it('orders files, tests and mutants, and keeps which test killed and covered which mutant', () => {
    const canonical = canonicalReport(run('second'));
    expect(Object.keys(canonical.files)).toEqual(['src/a.ts', 'src/b.ts']);
    const tests = canonical.testFiles?.['test/unit/a.test.ts']?.tests ?? [];
    expect(tests.map((t) => [t.id, t.name])).toEqual([
      ['0', 'filters'],
      ['1', 'pages forwards'],
    ]);
    const [boolean, equality] = canonical.files['src/a.ts']?.mutants ?? [];
    expect(boolean).toEqual({
      id: '0',
      location: location(1),
      mutatorName: 'BooleanLiteral',
      status: 'Survived',
    });
    expect(equality).toMatchObject({ id: '1', killedBy: ['1'], coveredBy: ['0', '1'] });
    expect(Object.keys(canonical)).toEqual(['schemaVersion', 'thresholds', 'files', 'testFiles']);
  });
});
