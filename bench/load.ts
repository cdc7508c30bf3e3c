/**
 * One timed autocannon run. Latencies are collected from autocannon's
 * per-response event rather than its histogram, which rounds to whole
 * milliseconds: the 1 ms target on p50 needs finer figures.
 */
import autocannon from 'autocannon';
import { bodyLooksOk } from './check.js';
import type { LoadItem, Workload } from './workload.js';

export interface LoadOptions {
  readonly url: string;
  /** Sent in turn on each connection, connection k starting at item k × `stride`. */
  readonly items: readonly LoadItem[];
  readonly stride: number;
  readonly connections: number;
  readonly seconds: number;
  readonly verifyBody: (body: string) => boolean;
}

export interface LoadResult {
  /** HTTP responses received (every status). */
  readonly responses: number;
  /** HTTP requests written, including those cut off in flight when the run ended. */
  readonly sent: number;
  readonly seconds: number;
  /** Per HTTP request, in milliseconds, unsorted. */
  readonly latenciesMs: number[];
  readonly connectionErrors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Responses whose body failed `verifyBody`. */
  readonly badBodies: number;
}

/** Requests that take longer count as timeouts (errors), so a run always ends. */
const REQUEST_TIMEOUT_SECONDS = 30;

/**
 * autocannon sends a request list from its start on every connection, so 32
 * connections would send the same request at the same moment (and single
 * flight would fold them). Each connection instead keeps its own place in the
 * list, the k-th starting k strides in.
 */
export function spread(
  items: readonly LoadItem[],
  stride: number,
): autocannon.Request['setupRequest'] {
  let connections = 0;
  const places = new WeakMap<object, number>();
  return (request, context) => {
    let place = places.get(context);
    if (place === undefined) {
      place = (connections * stride) % items.length;
      connections += 1;
    }
    const item = items[place];
    places.set(context, (place + 1) % items.length);
    if (!item) return request;
    return { ...request, body: item.body, headers: { ...request.headers, ...item.headers } };
  };
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections: options.connections,
        duration: options.seconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [{ setupRequest: spread(options.items, options.stride) }],
        verifyBody: (body) => options.verifyBody(String(body)),
      },
      (error: unknown, result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
          return;
        }
        resolve({
          responses: result.requests.total,
          sent: result.requests.sent,
          seconds: result.duration,
          latenciesMs,
          connectionErrors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          badBodies: result.mismatches,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latenciesMs.push(responseTime);
    });
  });
}

/** A run of a workload's bodies, every answer checked against its protocol. */
export function runWorkload(
  url: string,
  workload: Workload<string>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const perSet = Math.max(1, Math.round(workload.items.length / workload.requests));
  const setsPerConnection = Math.max(1, Math.floor(workload.requests / connections));
  return runLoad({
    url,
    items: workload.items,
    stride: setsPerConnection * perSet,
    connections,
    seconds,
    verifyBody: bodyLooksOk(workload.protocol),
  });
}

/** Every failed request of a run (autocannon's `errors` already include its timeouts). */
export function loadErrors(load: LoadResult): number {
  return load.connectionErrors + load.non2xx + load.badBodies;
}

/** The q-quantile (0..1) of unsorted samples; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
