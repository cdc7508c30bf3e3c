/**
 * GraphiQL's assets compressed at the highest settings (brotli 11, gzip 9) by
 * `npm run build:graphiql` (which the Dockerfile runs), and
 * read back by the server. Brotli 11 takes the script bundle from 1.29 MB
 * (quality 5) to 1.12 MB, but costs ~40 s of one core for all the assets: far
 * too much for a request, or for every replica's start, so it is done once
 * per build and the files ship in dist/.
 *
 * A file is named by its asset's content hash, so a run reuses what an
 * earlier one wrote and a server never serves a file for other contents. The
 * server decompresses each file once and compares it with the asset before
 * serving it: a truncated or stale file is skipped, never sent.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import pLimit from 'p-limit';
import type { Encoding } from './plugins/compression.js';

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** dist/graphiql-assets/ of this package, from src/http/ (tests, dev) as from dist/http/. */
export const PRECOMPRESSED_DIR = fileURLToPath(
  new URL('../../dist/graphiql-assets/', import.meta.url),
);

export const ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

/** What this module needs of an asset. */
export interface Precompressible {
  readonly path: string;
  /** sha256 of `body`, hex. */
  readonly hash: string;
  readonly body: Uint8Array;
  readonly compressible: boolean;
}

export function precompressedFile(dir: string, asset: Precompressible, encoding: Encoding): string {
  return join(dir, `${asset.hash}.${encoding === 'br' ? 'br' : 'gz'}`);
}

/** The smallest output either encoding gives; minutes of CPU in total, so never on a request. */
export function compressBest(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      })
    : gzipAsync(body, { level: constants.Z_BEST_COMPRESSION });
}

/** Whether `compressed` decodes, with `encoding`, to exactly `body`. */
export async function decodesTo(
  compressed: Uint8Array,
  encoding: Encoding,
  body: Uint8Array,
): Promise<boolean> {
  try {
    const decoded = encoding === 'br' ? await unbrotli(compressed) : await gunzipAsync(compressed);
    return decoded.equals(body);
  } catch {
    return false;
  }
}

/**
 * The precompressed body of `asset` in `encoding` from `dir`, once checked to
 * decode to the asset; undefined when there is none (or it is unreadable or
 * wrong), and the caller compresses for itself.
 */
export async function readPrecompressed(
  dir: string,
  asset: Precompressible,
  encoding: Encoding,
): Promise<Uint8Array | undefined> {
  let file: Buffer;
  try {
    file = await readFile(precompressedFile(dir, asset, encoding));
  } catch {
    return undefined;
  }
  return (await decodesTo(file, encoding, asset.body)) ? new Uint8Array(file) : undefined;
}

/** Writes `file` under a temporary name and renames it, so a reader never sees half of one. */
export async function writeWhole(file: string, data: string | Uint8Array): Promise<void> {
  const partial = `${file}.${String(process.pid)}.tmp`;
  try {
    await writeFile(partial, data);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export interface PrecompressedFile {
  readonly asset: Precompressible;
  readonly encoding: Encoding;
  readonly bytes: number;
  /** Compressed now (milliseconds taken), or undefined when an earlier run's file was reused. */
  readonly ms: number | undefined;
}

/**
 * Writes every compressible asset in both encodings to `dir`, reusing files
 * that already decode to their asset. Two at a time on zlib's thread pool,
 * the largest first (the script alone is ~25 s). Each file is written under
 * a temporary name and renamed, so a reader never sees half of one. Rejects
 * when `dir` cannot be written: an image must not be built without its files.
 */
export async function writePrecompressed(
  assets: Iterable<Precompressible>,
  dir: string,
): Promise<PrecompressedFile[]> {
  await mkdir(dir, { recursive: true });
  const jobs = [...assets]
    .filter((asset) => asset.compressible)
    .sort((a, b) => b.body.byteLength - a.body.byteLength)
    .flatMap((asset) => ENCODINGS.map((encoding) => ({ asset, encoding })));
  const limit = pLimit(2);
  return Promise.all(
    jobs.map(({ asset, encoding }) =>
      limit(async (): Promise<PrecompressedFile> => {
        const existing = await readPrecompressed(dir, asset, encoding);
        if (existing) return { asset, encoding, bytes: existing.byteLength, ms: undefined };
        const started = performance.now();
        const compressed = await compressBest(asset.body, encoding);
        const ms = performance.now() - started;
        if (!(await decodesTo(compressed, encoding, asset.body))) {
          throw new Error(`${asset.path}: ${encoding} output does not decode to the asset`);
        }
        await writeWhole(precompressedFile(dir, asset, encoding), compressed);
        return { asset, encoding, bytes: compressed.byteLength, ms };
      }),
    ),
  );
}
