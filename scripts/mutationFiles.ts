/**
 * Which files `npm run mutation` mutates and which tests it runs against them,
 * both from stryker.config.json's `mutate` list (test/unit/ mirrors src/), and
 * whether a Stryker report still records those files as they are.
 * vitest.mutation.config.ts takes its test set from here; scripts/mutation-check.ts
 * refuses a report of other sources than the current ones, and
 * test/unit/structure/mutationIncremental.test.ts a stale committed
 * incremental file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface StrykerConfig {
  readonly mutate: readonly string[];
  readonly incrementalFile: string;
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

/** What a Stryker report (or its incremental file, the same report) records of each file. */
export interface RecordedFiles {
  readonly files: Readonly<Record<string, { readonly source: string }>>;
  readonly testFiles?: Readonly<Record<string, { readonly source?: string }>>;
}

/** The mutated files and the mutation test files, each with its current source. */
export function mutationSources(
  root: string,
  mutate: readonly string[],
): { mutated: Map<string, string>; tests: Map<string, string> } {
  const read = (files: string[]) =>
    new Map(files.map((f) => [f, readFileSync(path.join(root, f), 'utf8')] as const));
  return {
    mutated: read(filesMatching(root, 'src', mutate)),
    tests: read(filesMatching(root, 'test/unit', mutationTestGlobs(mutate))),
  };
}

/**
 * Where a report's mutated files differ from `mutated` (path → current
 * source): one line per file changed or no longer mutated since the report was
 * written. A mutated file the report lacks is not counted: Stryker leaves out
 * files it made no mutant in (type-only, or `as const` descriptions).
 */
export function staleMutatedFiles(
  recorded: RecordedFiles,
  mutated: ReadonlyMap<string, string>,
): string[] {
  return Object.entries(recorded.files).flatMap(([file, { source }]) => {
    const current = mutated.get(file);
    if (current === undefined) return [`${file}: recorded, no longer mutated`];
    return current === source ? [] : [`${file}: changed since recorded`];
  });
}

/**
 * Where a report's test files differ from `tests` (path → current source): one
 * line per test file added, removed or changed since the report was written.
 */
export function staleTestFiles(
  recorded: RecordedFiles,
  tests: ReadonlyMap<string, string>,
): string[] {
  const files = recorded.testFiles ?? {};
  const lines = Object.entries(files).flatMap(([file, { source }]) => {
    const current = tests.get(file);
    if (current === undefined) return [`${file}: recorded, no longer a mutation test`];
    return current === source ? [] : [`${file}: changed since recorded`];
  });
  for (const file of tests.keys()) {
    if (!(file in files)) lines.push(`${file}: not recorded`);
  }
  return lines;
}

interface Position {
  readonly line: number;
  readonly column: number;
}
interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { readonly start: Position; readonly end: Position };
  killedBy?: string[];
  coveredBy?: string[];
  [field: string]: unknown;
}
interface ReportTest {
  id: string;
  name: string;
  [field: string]: unknown;
}
/** The parts of a Stryker report its incremental mode reads (mutation-testing-report-schema). */
export interface IncrementalReport {
  readonly schemaVersion: string;
  readonly thresholds: unknown;
  readonly files: Record<string, { language: string; source: string; mutants: ReportMutant[] }>;
  readonly testFiles?: Record<string, { source?: string; tests: ReportTest[] }>;
}

const byKey = <T>(entries: [string, T][]) =>
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
/** The same object with its fields in name order (Stryker's order varies with how a result came). */
const sortedFields = <T extends object>(value: T): T =>
  Object.fromEntries(byKey(Object.entries(value))) as T;
const positionKey = ({ line, column }: Position) =>
  `${String(line).padStart(6, '0')}:${String(column).padStart(6, '0')}`;
const mutantKey = (m: ReportMutant) =>
  `${positionKey(m.location.start)}-${positionKey(m.location.end)} ${m.mutatorName} ${m.replacement ?? ''}`;

/**
 * Stryker's report in a canonical form, so that a run on unchanged sources
 * writes the same bytes: files, tests and mutants in a fixed order, test and
 * mutant ids numbered in that order, and only what the incremental mode reads
 * (no absolute project root, no options of the run). Stryker numbers tests in
 * the order they ran and lists files in the order they finished.
 */
export function canonicalReport(report: IncrementalReport): IncrementalReport {
  const testIds = new Map<string, string>();
  const testFiles = byKey(Object.entries(report.testFiles ?? {})).map(([file, entry]) => {
    const tests = [...entry.tests]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((test) => {
        const id = String(testIds.size);
        testIds.set(test.id, id);
        return sortedFields({ ...test, id });
      });
    return [file, { ...entry, tests }] as const;
  });
  const remap = (ids: string[] | undefined) =>
    ids
      ?.map((id) => testIds.get(id) ?? id)
      .sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  let mutantId = 0;
  const files = byKey(Object.entries(report.files)).map(([file, entry]) => {
    const mutants = [...entry.mutants]
      .sort((a, b) => (mutantKey(a) < mutantKey(b) ? -1 : mutantKey(a) > mutantKey(b) ? 1 : 0))
      .map((m) => {
        const { killedBy, coveredBy, ...rest } = m;
        const canonical: ReportMutant = { ...rest, id: String(mutantId++) };
        // Absent and empty read alike; Stryker writes either.
        const killed = remap(killedBy);
        const covered = remap(coveredBy);
        if (killed?.length) canonical.killedBy = killed;
        if (covered?.length) canonical.coveredBy = covered;
        return sortedFields(canonical);
      });
    return [file, { ...entry, mutants }] as const;
  });
  return {
    schemaVersion: report.schemaVersion,
    thresholds: report.thresholds,
    files: Object.fromEntries(files),
    testFiles: Object.fromEntries(testFiles),
  };
}
