/**
 * Compresses GraphiQL's assets at brotli 11 and gzip 9 into
 * dist/graphiql-assets/, where the server looks for them (see
 * src/http/graphiqlPrecompressed.ts). `npm run build:graphiql`, which the
 * Dockerfile runs; ~40 s of CPU the first time, then instant: files for
 * unchanged assets are reused. Not part of `npm run build` (which `npm start`
 * and the benchmarks run): a local start serves brotli 5 made on first request.
 *
 *   tsx scripts/precompressGraphiQL.ts [dir]
 */
import { graphiqlAssets } from '../src/http/graphiqlAssets.js';
import { PRECOMPRESSED_DIR, writePrecompressed } from '../src/http/graphiqlPrecompressed.js';

const dir = process.argv[2] ?? PRECOMPRESSED_DIR;
const files = await writePrecompressed(graphiqlAssets().byPath.values(), dir);
const compressed = files.filter((file) => file.ms !== undefined).length;
for (const { asset, encoding, bytes, ms } of files) {
  const how = ms === undefined ? 'reused' : `${(ms / 1000).toFixed(1)} s`;
  console.info(
    `${asset.path.padEnd(40)} ${encoding.padEnd(4)} ${String(asset.body.byteLength).padStart(9)} → ${String(bytes).padStart(9)}  ${how}`,
  );
}
console.info(
  `GraphiQL assets: ${String(compressed)} compressed, ${String(files.length - compressed)} reused, in ${dir}`,
);
