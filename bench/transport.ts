/**
 * `npm run bench:transport`: the CPU one JSON-RPC call costs the caller, for
 * each HTTP client, side by side in one process and one run: got as the
 * client used to configure it (keep-alive agent, retry policy, text body),
 * a bare `http.request` on a keep-alive agent, undici's `Pool`, and the
 * project's `RpcClient` as it is now (queue, breaker, reply checks included).
 * The upstream is the static bench upstream in its own process, so the
 * measured process does nothing but call. Rounds are interleaved (A B C D A B
 * C D …) so a burst of contention on the machine hits every client alike; the
 * median round is reported.
 *
 * Issue 14's rule: got is kept only if one call costs at most 2 × a bare
 * `http.request`; the verdict is printed.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import got from 'got';
import { Pool } from 'undici';
import { DEMO_TOKEN } from '../src/emulator/index.js';
import { RpcClient } from '../src/rpc/client.js';
import { startUpstream, stopAllChildren } from './children.js';
import { jsonRpcBody } from './workload.js';

type Caller = (body: string) => Promise<string>;

const PARAMS = {
  access_token: DEMO_TOKEN,
  limit: 20,
  offset: 0,
  filter: { field: 'location_mnemonic', operator: '=', value: 'spb' },
  sort: [{ field: 'min_charge', order: 'asc' }],
  fields: ['phone_number', 'category', 'min_charge'],
};
const METHOD = 'get.available_virtual_numbers';

function gotCaller(url: string, inFlight: number): Caller {
  const client = got.extend({
    timeout: { request: 10_000 },
    retry: { limit: 2, methods: ['POST'], statusCodes: [502, 503, 504] },
    throwHttpErrors: false,
    responseType: 'text',
    agent: { http: new http.Agent({ keepAlive: true, maxSockets: inFlight }) },
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  });
  return async (body) => (await client.post(url, { body })).body;
}

function httpCaller(url: string, inFlight: number): Caller {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const target = new URL(url);
  return (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json; charset=UTF-8',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

function undiciCaller(url: string, inFlight: number): Caller {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: inFlight });
  return async (body) => {
    const { body: reply } = await pool.request({
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body,
    });
    return reply.text();
  };
}

function rpcClientCaller(url: string, inFlight: number): Caller {
  const client = new RpcClient({
    url,
    timeoutMs: 10_000,
    retries: 2,
    retryBaseMs: 100,
    maxConcurrency: inFlight,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 10_000 },
  });
  // The body is the client's to build: only the params are handed over.
  return async () => JSON.stringify(await client.call(METHOD, PARAMS));
}

/** `calls` calls with `inFlight` of them outstanding at any time; CPU µs per call. */
async function round(call: Caller, body: string, calls: number, inFlight: number): Promise<number> {
  let left = calls;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      const reply = await call(body);
      if (!reply.includes('"data"')) throw new Error(`unexpected reply: ${reply.slice(0, 200)}`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export interface TransportResult {
  readonly client: string;
  readonly medianMicrosPerCall: number;
  readonly rounds: readonly number[];
}

export async function measureTransports(
  url: string,
  options: { rounds: number; calls: number; inFlight: number },
): Promise<TransportResult[]> {
  const body = jsonRpcBody({ method: METHOD, params: PARAMS });
  const callers: [string, Caller][] = [
    ['got (tuned)', gotCaller(url, options.inFlight)],
    ['http.request', httpCaller(url, options.inFlight)],
    ['undici Pool', undiciCaller(url, options.inFlight)],
    ['RpcClient (this project)', rpcClientCaller(url, options.inFlight)],
  ];
  // Warm every path (JIT, sockets) before the first measured round.
  for (const [, call] of callers) await round(call, body, options.calls, options.inFlight);
  const samples = new Map<string, number[]>(callers.map(([name]) => [name, []]));
  for (let r = 0; r < options.rounds; r += 1) {
    for (const [name, call] of callers) {
      samples.get(name)?.push(await round(call, body, options.calls, options.inFlight));
    }
  }
  return callers.map(([name]) => {
    const rounds = samples.get(name) ?? [];
    return { client: name, medianMicrosPerCall: median(rounds), rounds };
  });
}

/** Issue 14's rule for keeping got. */
export function gotVerdict(results: readonly TransportResult[]): string {
  const cost = (name: string) =>
    results.find((r) => r.client === name)?.medianMicrosPerCall ?? Number.NaN;
  const ratio = cost('got (tuned)') / cost('http.request');
  return ratio <= 2
    ? `got costs ${ratio.toFixed(2)} × http.request (≤ 2): got may stay`
    : `got costs ${ratio.toFixed(2)} × http.request (> 2): JSON-RPC calls go over undici`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      calls: { type: 'string', default: '2000' },
      'in-flight': { type: 'string', default: '16' },
    },
  });
  const options = {
    rounds: Number(values.rounds),
    calls: Number(values.calls),
    inFlight: Number(values['in-flight']),
  };
  const upstream = await startUpstream('static');
  try {
    const results = await measureTransports(upstream.url, options);
    const lines = [
      `One JSON-RPC call (S1-shaped, 20 rows), ${options.inFlight} in flight, ` +
        `${options.calls} calls × ${options.rounds} interleaved rounds, caller CPU µs per call:`,
      '',
      '| client | median µs/call | vs http.request | rounds |',
      '|---|---:|---:|---|',
      ...results.map((r) => {
        const base = results.find((b) => b.client === 'http.request')?.medianMicrosPerCall ?? 1;
        return `| ${r.client} | ${r.medianMicrosPerCall.toFixed(0)} | ${(r.medianMicrosPerCall / base).toFixed(2)} | ${r.rounds.map((v) => v.toFixed(0)).join(' ')} |`;
      }),
      '',
      gotVerdict(results),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await upstream.stop();
    await stopAllChildren();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await main();
}
