/**
 * Beyond one machine, on loopback: three gateway processes (the built gateway,
 * started as `npm start` starts it) share one Data API (the emulator, which
 * counts the calls it gets) and one Redis, behind Debian's nginx configured
 * with deploy/nginx/proxy.conf, the file the Compose deployment uses.
 *
 * nginx and redis-server are required, never skipped: `.ci/run` installs both.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../helpers/gatewayProcess.js';
import { startGatewayProcess } from '../helpers/gatewayProcess.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { PrivateBuild } from '../helpers/build.js';
import { buildPrivately } from '../helpers/build.js';
import type { RunningNginx } from '../helpers/nginx.js';
import { findNginx, startNginx } from '../helpers/nginx.js';
import type { RedisServer } from '../helpers/redis.js';
import { redisAvailable, startRedis } from '../helpers/redis.js';

const PROXY_CONF = fileURLToPath(new URL('../../deploy/nginx/proxy.conf', import.meta.url));
/** As deploy/nginx/nginx.conf's upstream lines. */
const SERVER_PARAMETERS = 'max_fails=1 fail_timeout=2s';
const AVAILABLE = 'get.available_virtual_numbers';

const PAGE = /* GraphQL */ `
  query Page($first: Int!, $after: String, $region: String!) {
    availableNumbers(
      first: $first
      after: $after
      filter: { locationMnemonic: { eq: $region } }
      orderBy: [{ field: PHONE_NUMBER }]
    ) {
      nodes {
        phoneNumber
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

interface PageData {
  availableNumbers: {
    nodes: { phoneNumber: string }[];
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}

interface Answer {
  readonly status: number;
  readonly servedBy: string | null;
  readonly data: PageData | null | undefined;
  readonly errors: unknown;
}

async function post(
  url: string,
  variables: Record<string, unknown>,
  extra: Record<string, unknown> = { query: PAGE },
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...extra, variables }),
  });
  const body = (await response.json()) as { data?: PageData | null; errors?: unknown };
  return {
    status: response.status,
    servedBy: response.headers.get('x-served-by'),
    data: body.data,
    errors: body.errors,
  };
}

const tally = (names: readonly (string | null)[]) => {
  const counts: Record<string, number> = {};
  for (const name of names) counts[String(name)] = (counts[String(name)] ?? 0) + 1;
  return counts;
};

describe('three replicas behind nginx, sharing Redis', () => {
  let build: PrivateBuild | undefined;
  let emulator: RunningEmulator | undefined;
  let redis: RedisServer | undefined;
  let nginx: RunningNginx | undefined;
  /** A replica's process, under the name it shows in `x-served-by`. */
  const replicas: { name: string; process: GatewayProcess }[] = [];

  const stack = () => {
    if (!build || !emulator || !redis || !nginx) throw new Error('the stack did not start');
    return { build, emulator, redis, nginx, graphql: `${nginx.origin}/graphql` };
  };

  /** One replica on `port` (0: any), configured as every replica of a deployment is. */
  const startReplica = async (name: string, port = 0) => {
    if (!build || !emulator || !redis) throw new Error('start the build, emulator and Redis first');
    return {
      name,
      process: await startGatewayProcess({
        entry: 'dist',
        cwd: build.root,
        // Three starting at once on a busy machine; alone, one starts in about a second.
        readyTimeoutMs: 90_000,
        env: {
          PORT: String(port),
          DATA_API_URL: emulator.url,
          DATA_API_TOKEN: DEMO_TOKEN,
          REDIS_URL: redis.url,
          DATA_API_CACHE_TTL_MS: '60000',
          INSTANCE_ID: name,
          // info: the "ready at" line is how a start is seen to be complete.
          LOG_LEVEL: 'info',
        },
      }),
    };
  };

  beforeAll(async () => {
    const nginxBinary = findNginx();
    if (!nginxBinary) {
      throw new Error('nginx is not installed: `apt-get install nginx` (.ci/run installs it)');
    }
    if (!redisAvailable) {
      throw new Error(
        'redis-server is not installed: `apt-get install redis-server` (.ci/run installs it)',
      );
    }
    [build, emulator, redis] = await Promise.all([
      buildPrivately(),
      startEmulator({ minuteLimit: 1_000_000, dayLimit: 1_000_000 }),
      startRedis(),
    ]);
    replicas.push(
      ...(await Promise.all(['replica-1', 'replica-2', 'replica-3'].map((n) => startReplica(n)))),
    );
    nginx = await startNginx(nginxBinary, {
      upstreamPorts: replicas.map((r) => r.process.port),
      serverParameters: SERVER_PARAMETERS,
      proxyConf: PROXY_CONF,
    });
  }, 240_000);

  afterAll(async () => {
    for (const { process: replica } of replicas) {
      if (replica.child.exitCode === null && replica.child.signalCode === null) {
        replica.child.kill('SIGKILL');
        await replica.exited;
      }
    }
    await nginx?.stop();
    await redis?.stop();
    await emulator?.close();
    await build?.remove();
  });

  it('spreads requests over all three replicas', async () => {
    const served: (string | null)[] = [];
    for (let i = 0; i < 30; i += 1) {
      const answer = await post(stack().graphql, { first: 1, region: 'spb' });
      expect(answer).toMatchObject({ status: 200, errors: undefined });
      served.push(answer.servedBy);
    }
    const counts = tally(served);
    expect(Object.keys(counts).sort()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    for (const count of Object.values(counts)) expect(count).toBeGreaterThanOrEqual(5);
  });

  it('pages on one replica with the cursor another replica gave', async () => {
    const variables = { first: 4, region: 'msk' };
    const first = await post(stack().graphql, variables);
    const cursor = first.data?.availableNumbers.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    // Round robin sends the next request elsewhere; a few tries make it certain.
    let second = await post(stack().graphql, { ...variables, after: cursor });
    for (let i = 0; i < 5 && second.servedBy === first.servedBy; i += 1) {
      second = await post(stack().graphql, { ...variables, after: cursor });
    }
    expect(second.servedBy).not.toBe(first.servedBy);
    expect(second.errors).toBeUndefined();

    // The same eight rows in one page, from a third replica directly.
    const third = replicas.find((r) => ![first.servedBy, second.servedBy].includes(r.name));
    if (!third) throw new Error('no third replica');
    const whole = await post(third.process.url, { first: 8, region: 'msk' });
    expect(whole.servedBy).toBe(third.name);
    const rows = whole.data?.availableNumbers.nodes ?? [];
    expect(rows).toHaveLength(8);
    expect(first.data?.availableNumbers.nodes).toEqual(rows.slice(0, 4));
    expect(second.data?.availableNumbers.nodes).toEqual(rows.slice(4, 8));
  });

  it('answers from the cache a replica filled in Redis, without calling the API again', async () => {
    const { emulator } = stack();
    const variables = { first: 3, region: 'ekb' };
    emulator.resetCalls();
    const answers: Answer[] = [];
    for (const replica of replicas) answers.push(await post(replica.process.url, variables));

    expect(answers.map((a) => a.servedBy)).toEqual(['replica-1', 'replica-2', 'replica-3']);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 200, errors: undefined });
      expect(answer.data).toEqual(answers[0]?.data);
    }
    expect(answers[0]?.data?.availableNumbers.nodes).toHaveLength(3);
    // One call, by the first replica; the others found its reply in Redis.
    expect(emulator.calls.filter((c) => c.method === AVAILABLE)).toHaveLength(1);
  });

  it('shares automatic persisted queries through Redis: registered on one replica, answered by hash on the others', async () => {
    // A document no other test sends, so no replica has it yet.
    const query = `${PAGE}\n# apq-shared`;
    const persistedQuery = {
      version: 1,
      sha256Hash: createHash('sha256').update(query).digest('hex'),
    };
    const byHash = { extensions: { persistedQuery } };
    const variables = { first: 2, region: 'spb' };
    const [one, two, three] = replicas;
    if (!one || !two || !three) throw new Error('three replicas expected');

    const unknown = await post(two.process.url, variables, byHash);
    expect(JSON.stringify(unknown.errors)).toContain('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(one.process.url, variables, { query, ...byHash });
    expect(registered).toMatchObject({ status: 200, errors: undefined });
    for (const replica of [two, three]) {
      // The store write is asynchronous; give it a moment on a busy machine.
      let answer = await post(replica.process.url, variables, byHash);
      for (let i = 0; i < 20 && answer.errors !== undefined; i += 1) {
        await sleep(100);
        answer = await post(replica.process.url, variables, byHash);
      }
      expect(answer).toMatchObject({ status: 200, errors: undefined, servedBy: replica.name });
      expect(answer.data).toEqual(registered.data);
    }
  });

  it('loses no request when a replica is stopped with SIGTERM under load and restarted', async () => {
    const { emulator, graphql } = stack();
    // Every API reply takes 50 ms, so requests are in flight when the signal lands.
    emulator.setFault({ kind: 'slow', delayMs: 50 });
    const failures: string[] = [];
    const served: (string | null)[] = [];
    let sent = 0;
    let loading = true;
    const clients = Array.from({ length: 12 }, async () => {
      while (loading) {
        sent += 1;
        // A new page size for each request: a call to the API, not a cache hit.
        const variables = { first: (sent % 900) + 1, region: 'spb' };
        try {
          const answer = await post(graphql, variables);
          served.push(answer.servedBy);
          if (answer.status !== 200 || answer.errors !== undefined || !answer.data) {
            failures.push(`${answer.status} ${JSON.stringify(answer.errors)}`);
          }
        } catch (error) {
          failures.push(String(error));
        }
      }
    });

    try {
      await sleep(800);
      const stopping = replicas[1]?.process;
      if (!stopping) throw new Error('no second replica');
      const servedBeforeStop = tally(served)['replica-2'] ?? 0;
      stopping.child.kill('SIGTERM');
      // 0: every request it had in flight was answered.
      expect(await stopping.exited).toBe(0);
      await sleep(500);

      const restarted = await startReplica('replica-2-restarted', stopping.port);
      replicas[1] = restarted;
      // nginx tries a failed replica again after fail_timeout (2 s).
      const deadline = performance.now() + 15_000;
      while ((tally(served)['replica-2-restarted'] ?? 0) < 10 && performance.now() < deadline) {
        await sleep(100);
      }
      loading = false;
      await Promise.all(clients);

      const counts = tally(served);
      // `$upstream_addr` lists every replica tried: a comma means nginx retried elsewhere.
      const retried = (await stack().nginx.accessLog()).filter((line) => line.includes(','));
      console.log(
        `answers per replica: ${JSON.stringify(counts)}; retried by nginx: ${retried.length}; failed: ${failures.length}`,
      );
      expect(servedBeforeStop).toBeGreaterThan(0);
      expect(counts['replica-2-restarted']).toBeGreaterThanOrEqual(10);
      expect(counts['replica-1']).toBeGreaterThan(0);
      expect(counts['replica-3']).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    } finally {
      loading = false;
      await Promise.all(clients);
      emulator.setFault(null);
    }
  }, 120_000);
});
