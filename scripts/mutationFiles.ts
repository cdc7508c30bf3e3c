/**
 * Which files `npm run mutation` mutates and which tests it runs against them,
 * both from stryker.config.json's `mutate` list (test/unit/ mirrors src/).
 * vitest.mutation.config.ts takes its test set from here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface StrykerConfig {
  readonly mutate: readonly string[];
}

export function readStrykerConfig(root: string): StrykerConfig {
  return JSON.parse(readFileSync(path.join(root, 'stryker.config.json'), 'utf8')) as StrykerConfig;
}

/**
 * The unit tests of the mutated code: a mutated folder `src/X/**\/*.ts` brings
 * `test/unit/X/**\/*.test.ts`; a mutated file `src/X/name.ts` brings
 * `test/unit/X/name.test.ts` and `test/unit/X/name<Aspect>.test.ts`
 * (`query.ts`: `query.test.ts`, `queryCorners.test.ts`, not `queryable.test.ts`).
 */
export function mutationTestGlobs(patterns: readonly string[]): string[] {
  return patterns.flatMap((pattern) => {
    const folder = /^src\/([\w/]+)\/\*\*\/\*\.ts$/.exec(pattern)?.[1];
    if (folder !== undefined) return [`test/unit/${folder}/**/*.test.ts`];
    const file = /^src\/([\w/]+)\.ts$/.exec(pattern)?.[1];
    if (file !== undefined) return [`test/unit/${file}.test.ts`, `test/unit/${file}[A-Z]*.test.ts`];
    throw new Error(`no test glob for the mutate pattern ${pattern}`);
  });
}

/** A glob of the forms used here (`**\/`, `*`, `[A-Z]`) as a RegExp on `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob.charAt(i);
    if (glob.startsWith('**/', i)) {
      source += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') source += '[^/]*';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      source += glob.slice(i, end + 1);
      i = end;
    } else source += c.replace(/[.+?^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Files under `dir` (relative to `root`, `/`-separated) matching any of `globs`, sorted. */
export function filesMatching(root: string, dir: string, globs: readonly string[]): string[] {
  const patterns = globs.map(globToRegExp);
  const walk = (rel: string): string[] =>
    readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((entry) => {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) return walk(child);
      return patterns.some((p) => p.test(child)) ? [child] : [];
    });
  return walk(dir).sort();
}
