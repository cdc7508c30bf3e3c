/**
 * GraphiQL's assets as a browser gets them: every one, in br, gzip and plain,
 * decodes to exactly the asset. The build's precompressed files are served as
 * they are when they check out; a missing or broken one falls back to
 * compressing on the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, describe, expect, it } from 'vitest';
import type { Asset } from '../../src/http/graphiqlAssets.js';
import { graphiqlAssets, useGraphiQLAssets } from '../../src/http/graphiqlAssets.js';
import { precompressedFile } from '../../src/http/graphiqlPrecompressed.js';
import { createLogger } from '../../src/observability/logger.js';
import { useStack } from '../helpers/stack.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(body: Uint8Array, encoding: string | undefined): Buffer {
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'gzip') return gunzipSync(body);
  return Buffer.from(body);
}

const assets = [...graphiqlAssets().byPath.values()];

describe('GraphiQL assets served by the gateway', () => {
  const stack = useStack();
  const urlOf = (asset: Asset) => `${stack().url}/${asset.path}`;

  it.each(['br', 'gzip', 'identity'])('decode to exactly the asset, %s', async (accept) => {
    for (const asset of assets) {
      const reply = await get(urlOf(asset), { 'accept-encoding': accept });
      const encoding = reply.headers['content-encoding'] as string | undefined;

      expect(reply.status).toBe(200);
      expect(encoding).toBe(asset.compressible && accept !== 'identity' ? accept : undefined);
      expect(decoded(reply.body, encoding).equals(asset.body)).toBe(true);
      expect(reply.headers['content-length']).toBe(String(reply.body.byteLength));
      expect(reply.headers['content-type']).toBe(asset.contentType);
      expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers a revalidation with 304 and no body', async () => {
    const { style } = graphiqlAssets();
    const reply = await get(urlOf(style), { 'if-none-match': style.etag });
    expect(reply.status).toBe(304);
    expect(reply.body.byteLength).toBe(0);
  });
});

describe('GraphiQL assets with precompressed files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphiql-assets-'));
  const { style, icon, script } = graphiqlAssets();
  // Brotli 1, so these bytes differ from what the server would make (quality 5).
  const styleBr = brotliCompressSync(style.body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
  });
  writeFileSync(precompressedFile(dir, style, 'br'), styleBr);
  writeFileSync(precompressedFile(dir, icon, 'br'), 'not brotli');
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
    plugins: [useGraphiQLAssets('/graphql', { precompressedDir: dir })],
    logging: false,
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchAsset = async (asset: Asset, encoding: string) => {
    const response = await yoga.fetch(`http://gateway/graphql/${asset.path}`, {
      headers: { 'accept-encoding': encoding },
    });
    return new Uint8Array(await response.arrayBuffer());
  };

  it('serves a file that decodes to its asset as it is', async () => {
    expect(Buffer.from(await fetchAsset(style, 'br')).equals(styleBr)).toBe(true);
  });

  it('compresses for itself when the file is broken, missing or for another encoding', async () => {
    for (const [asset, encoding] of [
      [icon, 'br'],
      [script, 'br'],
      [style, 'gzip'],
    ] as const) {
      const body = await fetchAsset(asset, encoding);
      expect(decoded(body, encoding).equals(asset.body)).toBe(true);
    }
  });

  it('falls back the same way when the directory does not exist, and says so once', async () => {
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    const missing = join(dir, 'missing');
    const elsewhere = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      plugins: [
        useGraphiQLAssets('/graphql', {
          precompressedDir: missing,
          logger: createLogger('info', sink),
        }),
      ],
      logging: false,
    });
    for (const asset of [style, icon]) {
      const response = await elsewhere.fetch(`http://gateway/graphql/${asset.path}`, {
        headers: { 'accept-encoding': 'br' },
      });
      expect(response.headers.get('content-encoding')).toBe('br');
      const body = new Uint8Array(await response.arrayBuffer());
      expect(decoded(body, 'br').equals(asset.body)).toBe(true);
    }
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0] ?? '{}')).toMatchObject({ dir: missing, asset: style.path });
  });
});
