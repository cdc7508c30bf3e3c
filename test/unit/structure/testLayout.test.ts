/**
 * test/unit/ mirrors src/ (docs/development.md, "Tests"): the unit tests of
 * src/<layer>/<module>.ts live in test/unit/<layer>/, named <module>.test.ts
 * (or <module><Aspect>.test.ts); those of scripts/ in test/unit/scripts/; the
 * repository's own rules in test/unit/structure/. Integration tests of one
 * plugin of src/http/plugins/ are test/integration/plugins/<plugin>.test.ts.
 * Test files are named in camelCase, as the src/ files are.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const UNIT = path.join(ROOT, 'test/unit');

/** Folders of test/unit/ that mirror no src/ folder. */
const OWN_FOLDERS = new Set(['scripts', 'structure']);

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFilesUnder(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const rel = (file: string, from = ROOT) => path.relative(from, file).split(path.sep).join('/');

const isDirectory = (dir: string) => existsSync(dir) && statSync(dir).isDirectory();

/** Where a unit test may sit: a src/ folder (src/http/plugins too), or one of OWN_FOLDERS. */
function placedRight(file: string): boolean {
  const folder = path.dirname(rel(file, UNIT));
  if (folder === '.') {
    // Only a test of a module at the root of src/ (index.ts).
    return existsSync(path.join(ROOT, 'src', path.basename(file).replace(/\.test\.ts$/, '.ts')));
  }
  const top = folder.split('/')[0] ?? '';
  if (OWN_FOLDERS.has(top)) return folder === top;
  return isDirectory(path.join(ROOT, 'src', folder));
}

describe('the layout of test/', () => {
  it('puts every unit test in the test/unit/ folder of its src/ layer (or scripts/, structure/)', () => {
    const misplaced = testFilesUnder(UNIT)
      .filter((file) => !placedRight(file))
      .map((file) => rel(file));
    expect(misplaced).toEqual([]);
  });

  it('names every test file in camelCase, as the src/ files are (no kebab-case)', () => {
    const badlyNamed = testFilesUnder(path.join(ROOT, 'test'))
      .filter((file) => !/^[a-z][a-zA-Z0-9]*\.test\.ts$/.test(path.basename(file)))
      .map((file) => rel(file));
    expect(badlyNamed).toEqual([]);
  });

  it('names every test of test/integration/plugins/ after a plugin of src/http/plugins/', () => {
    const plugins = readdirSync(path.join(ROOT, 'src/http/plugins')).map((f) =>
      f.replace(/\.ts$/, ''),
    );
    const dir = path.join(ROOT, 'test/integration/plugins');
    const orphans = testFilesUnder(dir)
      .map((file) => path.basename(file).replace(/\.test\.ts$/, ''))
      .filter((name) => !plugins.some((p) => name === p || new RegExp(`^${p}[A-Z]`).test(name)));
    expect(orphans).toEqual([]);
  });

  it('catches what it is meant to', () => {
    expect(placedRight(path.join(UNIT, 'translate/paging.test.ts'))).toBe(true);
    expect(placedRight(path.join(UNIT, 'http/plugins/apq.test.ts'))).toBe(true);
    expect(placedRight(path.join(UNIT, 'scripts/checkEngines.test.ts'))).toBe(true);
    expect(placedRight(path.join(UNIT, 'index.test.ts'))).toBe(true);
    expect(placedRight(path.join(UNIT, 'rpcErrors.test.ts'))).toBe(false);
    expect(placedRight(path.join(UNIT, 'translation/paging.test.ts'))).toBe(false);
    expect(placedRight(path.join(UNIT, 'scripts/nested/x.test.ts'))).toBe(false);
  });
});
