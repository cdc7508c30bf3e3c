/**
 * Fails when an installed package does not support every Node version the
 * gateway declares (package.json `engines.node`). npm only warns
 * (`EBADENGINE`), and only about the Node it runs on; this checks the whole
 * declared range, for every package the lock file installs, so a dependency
 * update that drops a supported Node line fails `npm test` instead of
 * shipping. The fix is an `overrides` entry pinning a version that still
 * supports the range (see package.json), or a narrower declared range.
 *
 *   tsx scripts/checkEngines.ts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

export interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
}

export interface EngineConflict {
  /** The package's path in node_modules, e.g. `node_modules/a/node_modules/b`. */
  readonly path: string;
  readonly version: string;
  readonly requires: string;
}

/**
 * Packages whose `engines.node` leaves out part of `declared`. A range that
 * semver cannot read counts as a conflict: it cannot be shown to hold.
 */
export function engineConflicts(
  declared: string,
  packages: Readonly<Record<string, LockedPackage>>,
): EngineConflict[] {
  if (semver.validRange(declared) === null) {
    throw new Error(`the declared Node range "${declared}" is not a semver range`);
  }
  const conflicts: EngineConflict[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    // "" is the project itself; old lock files may list engines as an array (no Node range).
    const engines = entry.engines;
    if (path === '' || engines === undefined || Array.isArray(engines)) continue;
    const requires = (engines as { readonly node?: string }).node;
    if (requires === undefined) continue;
    const readable = semver.validRange(requires) !== null;
    if (!readable || !semver.subset(declared, requires)) {
      conflicts.push({ path, version: entry.version ?? '?', requires });
    }
  }
  return conflicts;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
}

function main(): void {
  const manifest = readJson('package.json') as { engines?: { node?: string } };
  const declared = manifest.engines?.node;
  if (declared === undefined) throw new Error('package.json declares no engines.node');
  const lock = readJson('package-lock.json') as { packages: Record<string, LockedPackage> };
  const conflicts = engineConflicts(declared, lock.packages);
  if (conflicts.length === 0) {
    console.log(`engines: every installed package supports Node ${declared}`);
    return;
  }
  console.error(`engines: ${conflicts.length} installed packages do not support Node ${declared}:`);
  for (const c of conflicts) console.error(`  ${c.path}@${c.version} requires node ${c.requires}`);
  process.exitCode = 1;
}

// Run as a script, not when a test imports engineConflicts.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
