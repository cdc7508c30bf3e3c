/**
 * `npm run build:graphiql` (which the Dockerfile runs): GraphiQL's assets made
 * as small as they go, into dist/graphiql-assets/, where the server looks for
 * them. First the editor workers' script is minified (graphiqlWorkers.ts),
 * then every asset is compressed at brotli 11 and gzip 9
 * (graphiqlPrecompressed.ts). ~45 s of CPU the first time, then instant:
 * files for unchanged sources are reused. Not part of `npm run build` (which
 * `npm start` and the benchmarks run): a local start serves the workers
 * unminified and brotli 5 made on first request.
 *
 *   tsx scripts/buildGraphiQL.ts
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { transform } from 'esbuild';
import { graphiqlAssets, workerSources } from '../src/http/graphiqlAssets.js';
import type { PrecompressedFile } from '../src/http/graphiqlPrecompressed.js';
import {
  PRECOMPRESSED_DIR,
  writePrecompressed,
  writeWhole,
} from '../src/http/graphiqlPrecompressed.js';
import { combineWorkers, minifiedWorkersFile, sha256 } from '../src/http/graphiqlWorkers.js';

/**
 * The minified script must still parse and dispatch: run in a bare context
 * with a label it does not have, it throws its own error before any worker
 * bundle runs.
 */
function checkDispatch(script: string): void {
  try {
    runInNewContext(script, { self: { name: 'no-such-label' } });
  } catch (error) {
    // Thrown in the other context: its Error is not this one's.
    if (String(error).startsWith('Error: No Monaco worker "no-such-label"')) return;
    throw new Error(`minified editor workers do not dispatch: ${String(error)}`);
  }
  throw new Error('minified editor workers ran with an unknown label');
}

/**
 * Writes the minified workers' script for the installed GraphiQL; undefined
 * when already there. Each bundle is minified on its own: the same runtime
 * then gets the same short names in all three, which brotli finds repeated
 * (200 KB at brotli 11; minified as one file, 220 KB).
 */
export async function minifyWorkers(dir = PRECOMPRESSED_DIR): Promise<number | undefined> {
  const sources = workerSources();
  const file = minifiedWorkersFile(dir, sha256(combineWorkers(sources)));
  if (existsSync(file)) return undefined;
  const minified: Record<string, string> = {};
  for (const [label, source] of Object.entries(sources)) {
    // esbuild's default keeps legal comments (Monaco's and its parts' licences).
    minified[label] = (await transform(source, { minify: true, loader: 'js' })).code;
  }
  const code = combineWorkers(minified);
  checkDispatch(code);
  await mkdir(dir, { recursive: true });
  await writeWhole(file, code);
  return code.length;
}

/** Minifies the workers, then compresses every asset (the workers as minified). */
export async function buildGraphiQLAssets(): Promise<PrecompressedFile[]> {
  const minified = await minifyWorkers();
  if (minified !== undefined) {
    console.info(`editor workers minified: ${String(minified)} bytes`);
  }
  return writePrecompressed(graphiqlAssets().byPath.values(), PRECOMPRESSED_DIR);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildGraphiQLAssets();
  const compressed = files.filter((file) => file.ms !== undefined).length;
  for (const { asset, encoding, bytes, ms } of files) {
    const how = ms === undefined ? 'reused' : `${(ms / 1000).toFixed(1)} s`;
    console.info(
      `${asset.path.padEnd(40)} ${encoding.padEnd(4)} ${String(asset.body.byteLength).padStart(9)} → ${String(bytes).padStart(9)}  ${how}`,
    );
  }
  console.info(
    `GraphiQL assets: ${String(compressed)} compressed, ${String(files.length - compressed)} reused, in ${PRECOMPRESSED_DIR}`,
  );
}
