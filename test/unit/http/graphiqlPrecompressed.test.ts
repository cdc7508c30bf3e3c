/**
 * The precompressed GraphiQL assets: written once per content, read back only
 * when they decode to exactly their asset, and a build step that cannot write
 * them fails instead of shipping without them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Precompressible } from '../../../src/http/graphiqlPrecompressed.js';
import {
  ENCODINGS,
  PRECOMPRESSED_DIR,
  precompressedFile,
  readPrecompressed,
  writePrecompressed,
} from '../../../src/http/graphiqlPrecompressed.js';

function fakeAsset(name: string, text: string, compressible = true): Precompressible {
  const body = new TextEncoder().encode(text);
  const hash = createHash('sha256').update(body).digest('hex');
  return { path: `assets/${name}`, hash, body, compressible };
}

const decode = (bytes: Uint8Array, encoding: string) =>
  encoding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes);

describe('precompressed GraphiQL assets', () => {
  let dir: string;
  const script = fakeAsset('a.js', 'const answer = 42;\n'.repeat(2000));
  const style = fakeAsset('a.css', 'body { margin: 0 }\n'.repeat(500));
  const font = fakeAsset('a.woff2', 'wOF2 already compressed', false);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'graphiql-precompressed-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives in dist/graphiql-assets/ of the package, whether run from src/ or dist/', () => {
    expect(PRECOMPRESSED_DIR).toBe(
      join(import.meta.dirname, '..', '..', '..', 'dist', 'graphiql-assets') + '/',
    );
  });

  it('writes each compressible asset in both encodings, decoding to exactly the asset', async () => {
    const files = await writePrecompressed([script, style, font], dir);

    expect(files.map((f) => `${f.asset.path} ${f.encoding}`).sort()).toEqual([
      'assets/a.css br',
      'assets/a.css gzip',
      'assets/a.js br',
      'assets/a.js gzip',
    ]);
    for (const asset of [script, style]) {
      for (const encoding of ENCODINGS) {
        const file = readFileSync(precompressedFile(dir, asset, encoding));
        expect(decode(file, encoding).equals(asset.body)).toBe(true);
        expect(file.byteLength).toBeLessThan(asset.body.byteLength / 10);
        expect(await readPrecompressed(dir, asset, encoding)).toEqual(new Uint8Array(file));
      }
    }
    expect(await readPrecompressed(dir, font, 'br')).toBeUndefined();
  });

  it('reuses the files of an earlier run instead of compressing again', async () => {
    await writePrecompressed([script], dir);
    const file = precompressedFile(dir, script, 'br');
    const written = statSync(file).mtimeMs;

    const again = await writePrecompressed([script], dir);

    expect(again.map((f) => f.ms)).toEqual([undefined, undefined]);
    expect(statSync(file).mtimeMs).toBe(written);
  });

  it('replaces a truncated file, and never reads one back', async () => {
    await writePrecompressed([script], dir);
    const file = precompressedFile(dir, script, 'br');
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.byteLength - 10));

    expect(await readPrecompressed(dir, script, 'br')).toBeUndefined();
    const [rewritten] = (await writePrecompressed([script], dir)).filter(
      (f) => f.encoding === 'br',
    );
    expect(rewritten?.ms).toBeTypeOf('number');
    expect(readFileSync(file).equals(good)).toBe(true);
  });

  it('does not read a file written for other contents under the same name', async () => {
    await writePrecompressed([script], dir);
    const impostor = { ...style, hash: script.hash };

    expect(await readPrecompressed(dir, impostor, 'br')).toBeUndefined();
    expect(await readPrecompressed(dir, impostor, 'gzip')).toBeUndefined();
  });

  it('reads nothing from a directory that does not exist', async () => {
    expect(await readPrecompressed(join(dir, 'missing'), script, 'br')).toBeUndefined();
  });

  it('rejects when the directory cannot be written (the build step fails, not ships without)', async () => {
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');

    await expect(writePrecompressed([style], join(notADirectory, 'assets'))).rejects.toThrow();
  });
});
