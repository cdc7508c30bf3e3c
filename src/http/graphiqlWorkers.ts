/**
 * Monaco's three editor workers (the base editor worker, JSON, GraphQL) as one
 * script. Each worker bundle of `@graphql-yoga/render-graphiql` carries its
 * own copy of Monaco's worker runtime: fetched as three files they are 429 KB
 * at brotli 11, as one 241 KB, because brotli finds the repeated runtime in
 * the same stream. The browser fetches the script once (one URL, cached as
 * immutable) and Monaco starts it three times; Monaco names each worker by
 * its label (`new Worker(url, { name: label, type: 'module' })`), so the
 * script runs the bundle that `self.name` asks for.
 *
 * `npm run build:graphiql` also minifies the bundles with esbuild (241 → 200
 * KB at brotli 11) and combines them into dist/graphiql-assets/, named by the
 * hash of the script combined here; the server serves that file when it is
 * there for these sources, else the script as combined here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Monaco's worker labels, as GraphiQL asks for them, and their bundles. */
export type WorkerSources = Readonly<Record<string, string>>;

/**
 * The combined script. Every bundle is an esbuild IIFE that was loaded as a
 * module worker (strict mode, module scope), so wrapping it in a function
 * changes nothing it can see. A label with no bundle fails the worker with an
 * error that names it, where Monaco reports it.
 */
export function combineWorkers(sources: WorkerSources): string {
  const labels = Object.keys(sources);
  const entries = labels
    .map((label) => `  ${JSON.stringify(label)}: () => {\n${sources[label] ?? ''}\n},`)
    .join('\n');
  return `// Monaco's editor workers, one per label (self.name): ${labels.join(', ')}.
const workers = {
${entries}
};
const start = Object.hasOwn(workers, self.name) ? workers[self.name] : undefined;
if (!start) {
  throw new Error(\`No Monaco worker "\${self.name}": this script has ${labels.join(', ')}\`);
}
start();
`;
}

export const sha256 = (text: string | Uint8Array): string =>
  createHash('sha256').update(text).digest('hex');

/** Where the build leaves the minified script for a combined script of this hash. */
export function minifiedWorkersFile(dir: string, combinedHash: string): string {
  return join(dir, `${combinedHash}.workers.min.js`);
}

/**
 * The script to serve: the build's minified file for exactly this combined
 * script when there is one, else the combined script itself. Read once, when
 * the assets are first loaded.
 */
export function workersScript(combined: string, dir: string): string {
  try {
    return readFileSync(minifiedWorkersFile(dir, sha256(combined)), 'utf8');
  } catch {
    return combined;
  }
}
