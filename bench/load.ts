/**
 * Sending load: timed autocannon runs with every answer checked (latencies from its per-response
 * event: its histogram rounds to whole milliseconds, too coarse for the p50 targets); single posts.
 */
import autocannon from 'autocannon';
import { sum } from './stats.js';
import type { LoadItem, Workload } from './workload.js';

/** `connectionErrors` include the timeouts (30 s); `badBodies`: answers that say they failed. */
type Failures = Record<'connectionErrors' | 'timeouts' | 'non2xx' | 'badBodies', number>;
/** Requests answered (any status) and sent (cut-off ones included); latencies per HTTP request. */
type Counts = { responses: number; sent: number; seconds: number };
export type LoadResult = Counts & { latenciesMs: number[]; failures: Failures };
const TYPE = { 'content-type': 'application/json' };
type Setup = autocannon.Request['setupRequest'];

/**
 * autocannon starts every connection at the head of its list: 32 would send the same request at
 * once, and single flight would fold them. The k-th connection starts k strides in instead.
 */
export function spread(items: readonly LoadItem[], stride: number): Setup {
  let connections = 0;
  const places = new WeakMap<object, number>();
  return (request, context) => {
    const place = places.get(context) ?? (connections++ * stride) % items.length;
    places.set(context, (place + 1) % items.length);
    const item = items[place];
    if (!item) return request;
    return { ...request, body: item.body, headers: { ...request.headers, ...item.headers } };
  };
}

/** Failures show in the body: GraphQL's "errors", JSON-RPC's "error", Mesh's null result. */
const FAILED = { graphql: ['"errors"'], jsonrpc: ['"error"'], mesh: ['"errors"', '"result":null'] };

export function runWorkload(url: string, workload: Workload, connections: number, seconds: number) {
  const perSet = Math.max(1, Math.round(workload.items.length / workload.requests));
  const stride = Math.max(1, Math.floor(workload.requests / connections)) * perSet;
  const failed = FAILED[workload.protocol];
  const verifyBody = (b: unknown) => !failed.some((m) => String(b).includes(m)) && !!String(b);
  const latenciesMs: number[] = [];
  return new Promise<LoadResult>((resolve, reject) => {
    const options = {
      url,
      method: 'POST' as const,
      headers: TYPE,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [{ setupRequest: spread(workload.items, stride) }],
      verifyBody,
    };
    const instance = autocannon(options, (error: unknown, r) => {
      if (error) {
        reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        return;
      }
      const { errors: connectionErrors, timeouts, non2xx, mismatches: badBodies, requests } = r;
      const failures = { connectionErrors, timeouts, non2xx, badBodies };
      const counts = { responses: requests.total, sent: requests.sent, seconds: r.duration };
      resolve({ ...counts, latenciesMs, failures });
    });
    instance.on('response', (_client, _status, _bytes, ms) => latenciesMs.push(ms));
  });
}

/** The failures of several runs, by kind and in all (timeouts are among the connection errors). */
export function failuresOf(runs: readonly LoadResult[]) {
  const failures: Failures = { connectionErrors: 0, timeouts: 0, non2xx: 0, badBodies: 0 };
  for (const kind of Object.keys(failures) as (keyof Failures)[]) {
    failures[kind] = sum(runs.map((run) => run.failures[kind]));
  }
  return { errors: failures.connectionErrors + failures.non2xx + failures.badBodies, failures };
}

/** One POST of a JSON body over loopback, bounded in time. */
export async function postJson(url: string, body: string, headers: Record<string, string> = {}) {
  const signal = AbortSignal.timeout(60_000);
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { ...TYPE, ...headers },
    signal,
  });
  return { status: response.status, text: await response.text() };
}
