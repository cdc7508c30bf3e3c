/**
 * src/ is layered; each folder may import only from those below it:
 *   api/ (the Data API's facts) ← rpc/, translate/, observability/ ← upstream/
 *   ← plan/ (what an operation will call) ← schema/ ← http/; config/ reads
 *   api/; emulator/ reads api/ (and config/, for the standalone emulator's port);
 *   src/index.ts, the entry point, wires everything.
 * schema/ reaches the API only through upstream/ (never rpc/).
 * translate/ and plan/ are pure: they import nothing that does I/O.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  api: [],
  rpc: ['api'],
  translate: ['api'],
  observability: ['api', 'rpc'],
  config: ['api'],
  upstream: ['api', 'rpc', 'observability', 'translate'],
  plan: ['api', 'translate', 'upstream', 'config'],
  schema: ['api', 'observability', 'translate', 'upstream', 'plan', 'config'],
  http: ['api', 'rpc', 'observability', 'translate', 'upstream', 'plan', 'schema', 'config'],
  emulator: ['api', 'config'],
};

/** Packages and built-ins that reach the network, the disk or a process. */
const IO =
  /^(node:)?(http|https|http2|net|tls|dgram|fs|fs\/promises|child_process|worker_threads)$|^(undici|got|ioredis|pino|prom-client|graphql-yoga)$|^@opentelemetry\//;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const files = filesUnder(SRC).map((file) => path.relative(SRC, file));
const layerOf = (file: string): string => file.split(path.sep)[0] ?? '';

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The src/ folder a relative import lands in, or undefined for a package. */
function folderOf(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.relative(SRC, path.resolve(path.dirname(path.join(SRC, from)), specifier));
  return target.split(path.sep)[0];
}

describe('the layout of src/', () => {
  it('puts every file in a layer folder (src/index.ts is the entry point)', () => {
    const loose = files.filter((f) => f !== 'index.ts' && !(layerOf(f) in MAY_IMPORT));
    expect(loose).toEqual([]);
  });

  it.each(files.filter((f) => f !== 'index.ts'))('%s imports only from layers below it', (file) => {
    const layer = layerOf(file);
    const allowed = new Set([layer, ...(MAY_IMPORT[layer] ?? [])]);
    const upward = importsOf(file).filter((s) => {
      const folder = folderOf(file, s);
      return folder !== undefined && !allowed.has(folder);
    });
    expect(upward).toEqual([]);
  });

  it.each(
    files.filter((f) => ['api', 'translate', 'plan'].some((l) => f.startsWith(`${l}${path.sep}`))),
  )('%s does no I/O', (file) => {
    expect(importsOf(file).filter((s) => IO.test(s))).toEqual([]);
  });
});
