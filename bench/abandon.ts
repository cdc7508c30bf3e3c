/**
 * Abandoning clients (issue 23): 20 clients ask for 10 000-row pages and hang up after 50 ms, for
 * 10 s, while one connection times a one-row query. Does the gateway drop the work no one awaits?
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, startUpstream } from './children.js';
import { postJson } from './load.js';
import { sampleProcess } from './procstat.js';
import { BENCH_TOKEN_PREFIX, BIG_PAGE } from './scenarios.js';
import type { RunOptions } from './run.js';
import { quantile } from './stats.js';

const CLIENTS = 20;
const HANG_UP_MS = 50;
/** Paced, not back to back: the probe's own CPU (≈ 2 % of a core) stays under the idle line. */
const PROBE_EVERY_MS = 100;
const AFTER_MS = 5_000;
/** Idle: under 5 % of a core for two 500 ms windows in a row (one quiet window can be a pause). */
const [WINDOW_MS, IDLE_SHARE, IDLE_WAIT_MAX_MS] = [500, 0.05, 60_000];
const MB = 1024 * 1024;

export const ONE_ROW_QUERY =
  'query OneRow { availableNumbers(first: 1) { nodes { phoneNumber } } }';
export type Abandon = Awaited<ReturnType<typeof runAbandon>>;
export type Latencies = ReturnType<typeof latencies>;

const latencies = (ms: readonly number[]) => {
  const [p50, p99, max] = [0.5, 0.99, 1].map((q) => quantile(ms, q));
  return { requests: ms.length, p50: p50 ?? NaN, p99: p99 ?? NaN, max: max ?? NaN };
};
const ok = ({ status, text }: { status: number; text: string }) =>
  status === 200 && !text.includes('"errors"');

/** One request, hung up on after 50 ms on a connection of its own (the hang-up closes it). */
function askAndHangUp(url: URL, body: string, token: string) {
  return new Promise<'abandoned' | 'answered' | 'failed'>((resolve) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const req = request(url, { method: 'POST', agent: false, headers });
    const timer = setTimeout(() => {
      resolve('abandoned');
      req.destroy();
    }, HANG_UP_MS);
    const settle = (outcome: 'answered' | 'failed') => () => {
      clearTimeout(timer);
      resolve(outcome);
    };
    req.on('response', (res) => res.resume().on('end', settle('answered')));
    req.on('error', settle('failed')).end(body);
  });
}

/** 20 clients for `seconds`, each with its own token (distinct callers), the page's order alternating. */
async function attack(url: URL, seconds: number, pages: readonly string[]) {
  const counts = { abandoned: 0, answered: 0, failed: 0 };
  const end = performance.now() + seconds * 1000;
  const client = async (k: number) => {
    for (let i = 0; performance.now() < end; i += 1) {
      const outcome = await askAndHangUp(url, pages[i % 2] ?? '', `${BENCH_TOKEN_PREFIX}${k + 1}`);
      counts[outcome] += 1;
      if (outcome === 'failed') await sleep(HANG_UP_MS); // no hot loop on a dead gateway
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  return counts;
}

/** The gateway's share of a core per window from now until two idle windows in a row (or 60 s). */
async function cpuUntilIdle(sample: () => { cpuMicros: number } | undefined) {
  const shares: number[] = [];
  for (let last = sample(); last && shares.length < IDLE_WAIT_MAX_MS / WINDOW_MS;) {
    await sleep(WINDOW_MS);
    const next = sample();
    if (next) shares.push((next.cpuMicros - last.cpuMicros) / (WINDOW_MS * 1000));
    last = next;
    if (shares.length >= 2 && Math.max(...shares.slice(-2)) < IDLE_SHARE) {
      return { cpuAfter: shares, idleAfterSeconds: ((shares.length - 2) * WINDOW_MS) / 1000 };
    }
  }
  return { cpuAfter: shares, idleAfterSeconds: null };
}

export async function runAbandon(options: RunOptions & { seconds: number }) {
  const upstream = await startUpstream('static');
  const { entry, gatewayEnv: env, seconds } = options;
  const started = startGateway({ entry, upstreamUrl: upstream.url, env });
  const gateway = await started.catch(async (error: unknown) => {
    await upstream.stop();
    throw error;
  });
  const sample = () => {
    try {
      return sampleProcess(gateway.pid);
    } catch {
      return undefined; // the gateway is gone
    }
  };
  let peak = 0;
  const peakSampler = setInterval(() => {
    peak = Math.max(peak, sample()?.rssBytes ?? 0);
  }, 100).unref();
  try {
    const body = (variables: object) => JSON.stringify({ query: BIG_PAGE, variables });
    const pages = ['ASC', 'DESC'].map((direction) => body({ first: 10_000, direction }));
    const probe = JSON.stringify({ query: ONE_ROW_QUERY });
    // Each answered in full once: the static upstream fills its replies, the gateway warms up.
    for (const body of [...pages, probe, probe]) {
      const reply = await postJson(gateway.url, body);
      if (!ok(reply)) throw new Error(`abandon warm-up failed: ${reply.text.slice(0, 300)}`);
    }
    options.log(`abandon: ${CLIENTS} clients hang up on 10 000-row pages, ${seconds} s…`);
    let lastHangUp = Number.POSITIVE_INFINITY;
    const probes: { at: number; ms: number; ok: boolean }[] = [];
    const probing = (async () => {
      while (performance.now() < lastHangUp + AFTER_MS) {
        const at = performance.now();
        const answered = await postJson(gateway.url, probe).then(ok, () => false);
        probes.push({ at, ms: performance.now() - at, ok: answered });
        await sleep(at + PROBE_EVERY_MS - performance.now());
      }
    })();
    const counts = await attack(new URL(gateway.url), seconds, pages);
    lastHangUp = performance.now();
    const cpu = await cpuUntilIdle(sample);
    await probing;
    const end = sample();
    const by = (after: boolean) =>
      probes.filter((p) => p.at >= lastHangUp === after).map((p) => p.ms);
    // The one-row query by when it started (during, or within 5 s after); idle: null if not in 60 s.
    return {
      subject: 'gateway' as const,
      seconds,
      clients: CLIENTS,
      attack: counts,
      probe: { during: latencies(by(false)), after: latencies(by(true)) },
      errors: probes.filter((p) => !p.ok).length,
      ...cpu,
      rssEndMb: (end?.rssBytes ?? Number.NaN) / MB,
      peakRssMb: peak / MB,
      gatewayExited: end === undefined,
    };
  } finally {
    clearInterval(peakSampler);
    await gateway.stop();
    await upstream.stop();
  }
}
