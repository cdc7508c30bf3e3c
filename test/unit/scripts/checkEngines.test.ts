import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { engineConflicts } from '../../../scripts/checkEngines.js';

const DECLARED = '^20.19.0 || ^22.13.0 || ^24.0.0';

const manifest = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { engines: { node: string } };

describe('engine conflicts', () => {
  it('finds a package that needs a newer Node than the declared range allows', () => {
    const conflicts = engineConflicts(DECLARED, {
      '': { version: '0.1.0', engines: { node: DECLARED } },
      'node_modules/old-friendly': { version: '1.0.0', engines: { node: '>=18' } },
      'node_modules/a/node_modules/needs-22': { version: '2.0.2', engines: { node: '>=22.15.0' } },
      'node_modules/no-engines': { version: '1.0.0' },
    });
    expect(conflicts).toEqual([
      { path: 'node_modules/a/node_modules/needs-22', version: '2.0.2', requires: '>=22.15.0' },
    ]);
  });

  it('finds a package that leaves out a later line of the range', () => {
    expect(
      engineConflicts(DECLARED, { 'node_modules/b': { engines: { node: '^20 || ^22' } } }),
    ).toHaveLength(1);
  });

  it('counts an unreadable range as a conflict and refuses an unreadable declaration', () => {
    expect(
      engineConflicts(DECLARED, { 'node_modules/c': { engines: { node: 'latest' } } }),
    ).toEqual([{ path: 'node_modules/c', version: '?', requires: 'latest' }]);
    expect(() => engineConflicts('twenty', {})).toThrow(/not a semver range/);
  });

  it('holds for the lock file, and the range covers this Node and the Docker image', () => {
    const lock = JSON.parse(
      readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8'),
    ) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };
    expect(engineConflicts(manifest.engines.node, lock.packages)).toEqual([]);
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);

    const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    const line = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1];
    expect(line).toBeDefined();
    // A maintained LTS line (even major, 22 or later), inside the declared range.
    expect(Number(line) % 2).toBe(0);
    expect(Number(line)).toBeGreaterThanOrEqual(22);
    expect(semver.intersects(`${line ?? ''}.x`, manifest.engines.node)).toBe(true);
  });
});
