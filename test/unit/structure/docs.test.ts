/**
 * The README stays a front page (issue 13): the two commands a newcomer needs
 * first, at most 25 KB, the rest in docs/; and bench/ is the one load harness.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, currentCodes, renderCodes } from '../../../scripts/errorCodesDoc.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the README', () => {
  it('starts with the command that starts the gateway and the one that runs the tests', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    const commands = firstBlock.split('\n').map((line) => line.split('#')[0]?.trim());
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(README.indexOf('```sh')).toBeLessThan(100);
  });

  it('is at most 25 KB', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(25_000);
  });

  it('links to docs/ pages that exist', () => {
    const linked = [...README.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1] ?? '');
    expect(linked.length).toBeGreaterThan(0);
    for (const file of new Set(linked)) {
      expect(() => readFileSync(path.join(ROOT, file)), file).not.toThrow();
    }
  });
});

// Built from parts so that this file does not match itself.
const IMPORTS_AUTOCANNON = new RegExp(`from ['"]${['auto', 'cannon'].join('')}['"]`);

describe('the load harness', () => {
  it('is bench/ alone: no other code drives load with autocannon', () => {
    const drivers = ['src', 'scripts', 'test', 'examples']
      .flatMap((dir) => tsFilesUnder(path.join(ROOT, dir)))
      .filter((file) => IMPORTS_AUTOCANNON.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(drivers).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('lists the code table as src/api/errors.ts declares it (tsx scripts/errorCodesDoc.ts)', () => {
    const cells = (block: string | undefined) =>
      (block ?? '')
        .split('\n')
        .filter((line) => line.startsWith('|') && !/^\|[\s|-]+\|$/.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim()));
    const current = currentCodes(readFileSync(ERRORS_DOC, 'utf8'));
    expect(current).toBeDefined();
    expect(cells(current)).toEqual(cells(renderCodes()));
  });
});
