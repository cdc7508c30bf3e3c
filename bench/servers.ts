/**
 * The bench's servers, each forked into a process of its own (its CPU is not the load tool's):
 * `emulator`, rate limits lifted; `static`, each distinct call's reply computed once by a private
 * emulator, then served from bytes (only the JSON-RPC `id` spliced in), so a run measures the
 * caller; `proxy <url>`, the floor of any Node gateway, bodies piped to the upstream and back.
 */
import { subscribe } from 'node:diagnostics_channel';
import { Agent, createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import stableStringify from 'fast-json-stable-stringify';
import { DEMO_TOKEN, startEmulator } from '../src/emulator/index.js';
import { BENCH_TOKEN_PREFIX } from './scenarios.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * The emulator seeds 3 000 numbers, fewer than S4's 10 000-row page: an unfiltered page is
 * lengthened by repeating its rows, renumbered (outside the emulator's ranges) to stay unique.
 */
function padPage(method: string, params: Json, result: Json): Json {
  const { data, metadata } = result;
  const { limit = 0, offset = 0, filter } = params as Partial<Record<string, number>>;
  if (method !== 'get.available_virtual_numbers' || filter !== undefined) return result;
  if (!Array.isArray(data) || !isObject(metadata) || !data.length || data.length >= limit) {
    return result;
  }
  const rows = Array.from({ length: limit }, (_, i): unknown => {
    const row: unknown = data[i % data.length];
    const renumbered = { ...(row as Json), phone_number: `7999${String(i).padStart(7, '0')}` };
    return i < data.length ? row : renumbered;
  });
  return { ...result, data: rows, metadata: { ...metadata, total_items: offset + rows.length } };
}

function staticServer(emulatorUrl: string): Server {
  // One promise per distinct call: concurrent first requests share one fill.
  const cache = new Map<string, Promise<Buffer>>();
  const fill = async (method: string, params: Json) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const reply = (await (await fetch(emulatorUrl, init)).json()) as Json;
    const json = isObject(reply.result)
      ? `"result":${JSON.stringify(padPage(method, params, reply.result))}`
      : `"error":${JSON.stringify(reply.error ?? { code: -32603 })}`;
    return Buffer.from(`${json}}`);
  };
  const answer = async (body: string) => {
    const {
      id,
      method,
      params: given,
    } = JSON.parse(body) as { id?: unknown; method?: string; params?: Json };
    if (typeof method !== 'string') throw new Error('not a JSON-RPC request');
    // Distinct workloads spread over several tokens (distinct callers); the emulator knows one.
    const token = given?.access_token;
    const bench = typeof token === 'string' && token.startsWith(BENCH_TOKEN_PREFIX);
    const params = { ...given, ...(bench ? { access_token: DEMO_TOKEN } : {}) };
    const key = `${method} ${stableStringify(params)}`;
    const cached = cache.get(key) ?? fill(method, params);
    cache.set(key, cached);
    const head = `{"jsonrpc":"2.0","id":${JSON.stringify(typeof id === 'number' ? id : null)},`;
    return Buffer.concat([Buffer.from(head), await cached]);
  };
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // An upstream that cannot answer must show up as an error, never hang.
      const type = 'application/json; charset=UTF-8';
      const send = (status: number, reply: Buffer) =>
        res.writeHead(status, { 'content-type': type, 'content-length': reply.length }).end(reply);
      answer(Buffer.concat(chunks).toString('utf8')).then(
        (reply) => send(200, reply),
        (error: unknown) => send(500, Buffer.from(JSON.stringify({ error: String(error) }))),
      );
    });
  });
}

function proxyServer(target: URL): Server {
  const agent = new Agent({ keepAlive: true });
  const pick = ({ 'content-type': type, 'content-length': length }: IncomingHttpHeaders) => ({
    ...(type ? { 'content-type': type } : {}),
    ...(length ? { 'content-length': length } : {}),
  });
  return createServer((req, res) => {
    const upstream = request(
      target,
      { method: 'POST', agent, headers: pick(req.headers) },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, pick(reply.headers));
        reply.pipe(res);
      },
    );
    // Counted by the load tool as a non-2xx or a connection error, never hidden.
    upstream.on('error', () => (res.headersSent ? res : res.writeHead(502)).end());
    req.pipe(upstream);
  });
}

const [kind, target] = process.argv.slice(2);
if (kind === 'proxy' && target) {
  const server = proxyServer(new URL(target));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/v2.0` });
} else {
  // Far above any run's volume: the bench measures speed, not the API's rate limits.
  const emulator = await startEmulator({ host: '127.0.0.1', dayLimit: 1e12, minuteLimit: 1e12 });
  const forget = () => {
    emulator.resetCalls(); // its record of every call would leak
  };
  setInterval(forget, 1000).unref();
  const server = kind === 'static' ? staticServer(emulator.url) : undefined;
  if (server) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server?.address() as AddressInfo | undefined)?.port;
  // Responses served and socket bytes written for them (headers included), from the diagnostics
  // channel (the emulator is counted unchanged); of the static server alone (fills are not traffic).
  const traffic = { responses: 0, bytes: 0 };
  const seen = new WeakMap<Socket, number>(); // keep-alive sockets carry many responses
  subscribe('http.server.response.finish', (message) => {
    const { socket, server: from } = message as { socket?: unknown; server?: unknown };
    if (!(socket instanceof Socket) || (server && from !== server)) return;
    traffic.responses += 1;
    traffic.bytes += socket.bytesWritten - (seen.get(socket) ?? 0);
    seen.set(socket, socket.bytesWritten);
  });
  process.on('message', () => process.send?.({ type: 'stats', ...traffic }));
  process.send?.({ type: 'ready', url: port ? `http://127.0.0.1:${port}/v2.0` : emulator.url });
}
process.on('disconnect', () => process.exit(0)); // the bench owns this process
