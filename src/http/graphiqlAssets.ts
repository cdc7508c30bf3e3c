/**
 * GraphiQL's scripts, styles, editor workers and icon as static files, served
 * by the gateway itself (no CDN, so it works offline and behind a firewall)
 * under content-hashed URLs with long-lived, immutable cache headers: a
 * browser downloads them once per GraphiQL release, compressed, and the page
 * that references them stays small. `@graphql-yoga/render-graphiql` would
 * inline all of them (~9 MB) into the page on every load. The stylesheet's
 * inline fonts become files of their own (graphiqlFonts.ts), the three editor
 * workers one script (graphiqlWorkers.ts), the icon only its tab sizes
 * (graphiqlIcon.ts), and `npm run build:graphiql` compresses everything at
 * the highest settings (graphiqlPrecompressed.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import type { FontType } from './graphiqlFonts.js';
import { replaceInlineFonts } from './graphiqlFonts.js';
import { iconWithSizes, TAB_ICON_SIZES } from './graphiqlIcon.js';
import { PRECOMPRESSED_DIR, readPrecompressed } from './graphiqlPrecompressed.js';
import type { WorkerSources } from './graphiqlWorkers.js';
import { combineWorkers, sha256, workersScript } from './graphiqlWorkers.js';
import type { Encoding } from './plugins/compression.js';
import { compress, negotiateEncoding } from './plugins/compression.js';

interface RenderGraphiQLAssets {
  readonly css: string;
  readonly js: string;
  readonly editorWorkerService: string;
  readonly jsonWorker: string;
  readonly graphqlWorker: string;
  readonly favicon: string;
}

/**
 * The package exports only its renderer; the assets sit beside it, so they
 * are read from its own directory (a file path is outside the exports map).
 */
function loadAssets(): RenderGraphiQLAssets {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@graphql-yoga/render-graphiql');
  return require(join(dirname(entry), 'graphiql.js')) as RenderGraphiQLAssets;
}

/** Monaco's editor workers by the label GraphiQL starts each with. */
export function workerSources(): WorkerSources {
  const source = loadAssets();
  return {
    editorWorkerService: source.editorWorkerService,
    json: source.jsonWorker,
    graphql: source.graphqlWorker,
  };
}

export interface Asset {
  /** Path under the GraphiQL endpoint, e.g. `assets/graphiql.3f2a….js`. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Uint8Array;
  /** sha256 of `body`, hex. */
  readonly hash: string;
  readonly etag: string;
  readonly compressible: boolean;
}

function asset(
  name: string,
  ext: string,
  contentType: string,
  body: Uint8Array,
  compressible = true,
): Asset {
  const hash = sha256(body);
  return {
    path: `assets/${name}.${hash.slice(0, 16)}.${ext}`,
    contentType,
    body,
    hash,
    etag: `"${hash.slice(0, 32)}"`,
    compressible,
  };
}

/** woff and woff2 are compressed already; a TrueType font is not (Monaco's icons: 80 → 40 KB). */
const FONT_FORMATS: Readonly<Record<FontType, { ext: string; compressible: boolean }>> = {
  'font/woff2': { ext: 'woff2', compressible: false },
  'font/woff': { ext: 'woff', compressible: false },
  'font/ttf': { ext: 'ttf', compressible: true },
};

export interface GraphiQLAssets {
  readonly script: Asset;
  readonly style: Asset;
  readonly icon: Asset;
  /** Monaco's three editor workers in one script (graphiqlWorkers.ts). */
  readonly workers: Asset;
  /** The stylesheet's fonts, fetched by the browser as the page needs them. */
  readonly fonts: readonly Asset[];
  readonly byPath: ReadonlyMap<string, Asset>;
}

let loaded: GraphiQLAssets | undefined;

/**
 * Read once per process (the sources are ~9 MB of text) and only when GraphiQL
 * is on; the workers' script is the build's minified one when
 * `npm run build:graphiql` left it in dist/graphiql-assets/.
 */
export function graphiqlAssets(): GraphiQLAssets {
  if (loaded) return loaded;
  const source = loadAssets();
  const text = (value: string) => new TextEncoder().encode(value);
  const js = 'text/javascript; charset=utf-8';
  const iconBase64 = source.favicon.replace(/^data:[^,]*;base64,/, '');
  const workers = asset(
    'editor-workers',
    'js',
    js,
    text(workersScript(combineWorkers(workerSources()), PRECOMPRESSED_DIR)),
  );
  const script = asset('graphiql', 'js', js, text(source.js));
  const fonts = new Map<string, Asset>();
  const css = replaceInlineFonts(source.css, (type, body) => {
    const { ext, compressible } = FONT_FORMATS[type];
    const font = asset('font', ext, type, body, compressible);
    fonts.set(font.path, font);
    // Beside the stylesheet, under assets/: relative to its URL.
    return font.path.slice('assets/'.length);
  });
  const style = asset('graphiql', 'css', 'text/css; charset=utf-8', text(css));
  // Compressible too: the icon's bitmaps are uncompressed (5 KB → ~2 KB).
  const icon = asset(
    'favicon',
    'ico',
    'image/x-icon',
    iconWithSizes(Buffer.from(iconBase64, 'base64'), TAB_ICON_SIZES),
  );
  const all = [script, style, icon, workers, ...fonts.values()];
  loaded = {
    script,
    style,
    icon,
    workers,
    fonts: [...fonts.values()],
    byPath: new Map(all.map((a) => [a.path, a])),
  };
  return loaded;
}

/**
 * Brotli quality when `npm run build:graphiql` left no precompressed file
 * (tests, `npm run dev`): 5 takes ~1 s of one core for all the assets and
 * gives most of the gain; 11 saves another ~12 % for ~40× the time, so only
 * the build step does it.
 */
const FALLBACK_BROTLI_QUALITY = 5;

const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface GraphiQLAssetsOptions {
  /** Where `npm run build:graphiql` wrote the precompressed files (tests point elsewhere). */
  readonly precompressedDir?: string;
  /** Told once when an asset has no precompressed file (an image built without them). */
  readonly logger?: Logger;
}

/**
 * Serves the assets at `<graphqlEndpoint>/assets/…`; any other asset path is a 404.
 * Compressed bodies are the build's precompressed files when they check out,
 * else compressed here on first request, off the event loop (zlib's thread
 * pool); either way once per asset and encoding, kept for the server's life.
 */
export function useGraphiQLAssets(
  graphqlEndpoint: string,
  { precompressedDir = PRECOMPRESSED_DIR, logger }: GraphiQLAssetsOptions = {},
): Plugin {
  const prefix = `${graphqlEndpoint}/`;
  const compressed = new Map<string, Promise<Uint8Array>>();
  let told = false;
  const compressHere = async (asset: Asset, encoding: Encoding): Promise<Uint8Array> => {
    if (!told) {
      told = true;
      logger?.info(
        { dir: precompressedDir, asset: asset.path, encoding },
        'GraphiQL assets not precompressed (npm run build:graphiql): compressing them at brotli 5',
      );
    }
    return new Uint8Array(await compress(asset.body, encoding, FALLBACK_BROTLI_QUALITY));
  };
  const compressedBody = (asset: Asset, encoding: Encoding): Promise<Uint8Array> => {
    const key = `${asset.path} ${encoding}`;
    let body = compressed.get(key);
    if (!body) {
      body = readPrecompressed(precompressedDir, asset, encoding).then(
        (found) => found ?? compressHere(asset, encoding),
      );
      compressed.set(key, body);
    }
    return body;
  };
  return {
    async onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      const endResponse = (response: Response) => {
        payload.endResponse(response);
      };
      if (!url.pathname.startsWith(prefix)) return;
      const found = graphiqlAssets().byPath.get(url.pathname.slice(prefix.length));
      if (!found || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(new fetchAPI.Response('Not found', { status: 404 }));
        return;
      }
      const headers = new fetchAPI.Headers({
        'content-type': found.contentType,
        'cache-control': IMMUTABLE,
        etag: found.etag,
      });
      if (request.headers.get('if-none-match') === found.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      let body = found.body;
      if (found.compressible) {
        headers.set('vary', 'Accept-Encoding');
        const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
        if (encoding) {
          body = await compressedBody(found, encoding);
          headers.set('content-encoding', encoding);
        }
      }
      headers.set('content-length', String(body.byteLength));
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers }),
      );
    },
  };
}
