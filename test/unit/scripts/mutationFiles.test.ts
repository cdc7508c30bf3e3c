import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
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
