/**
 * Issue 23: clients that leave stop the work. Over real HTTP, gateway and
 * emulator on ephemeral ports: clients asking for the largest pages
 * disconnect; the API sees no call started for a request already gone, no
 * answer is serialised for a gone client, and a small query is not kept
 * waiting behind their work.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import type { FastPathOutcome } from '../../../src/http/plugins/fastExecute.js';
import type { Stack, StackOptions } from '../../helpers/stack.js';
import { AVAILABLE, GROUPS, startStack } from '../../helpers/stack.js';

const PAGE_SIZE_MAX = 10_000;
const ROW =
  'id phoneNumber category locationMnemonic locationName minCharge monthlyCharge onetimePayment';
/** A largest page with every field; `i` makes each call distinct (no single flight). */
const big = (i: number) =>
  `{ availableNumbers(first: ${PAGE_SIZE_MAX - i}) { totalCount edges { cursor node { ${ROW} } } pageInfo { hasNextPage endCursor } } }`;
const SMALL = '{ virtualNumberGroups(first: 1) { nodes { name } } }';
/** How long the slowed API takes to answer a page. */
const DELAY_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 15_000) {
  const end = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A sample of the gateway's /metrics (0 when the series has no sample yet). */
/** Several series read from one scrape, so counters that move together are compared at one moment. */
async function metrics(stack: Stack, series: readonly string[]): Promise<number[]> {
  const text = await (await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).text();
  const lines = text.split('\n');
  return series.map((name) => {
    const line = lines.find((l) => l.startsWith(`${name} `));
    return line ? Number(line.slice(name.length + 1)) : 0;
  });
}

async function metric(stack: Stack, series: string): Promise<number> {
  const [value] = await metrics(stack, [series]);
  return value ?? 0;
}

/** Sends `query` and aborts it when `controller` fires; resolves to the status, or `aborted`. */
async function send(stack: Stack, query: string, controller: AbortController) {
  try {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: controller.signal,
    });
    await response.text();
    return response.status;
  } catch (error) {
    if (controller.signal.aborted) return 'aborted';
    throw error;
  }
}

function bigPages(options: Partial<NonNullable<StackOptions['gateway']>> = {}) {
  const config = loadConfig({ PAGE_SIZE_MAX: String(PAGE_SIZE_MAX) });
  const outcomes: FastPathOutcome[] = [];
  const gateway: NonNullable<StackOptions['gateway']> = {
    maxPageSize: config.maxPageSize,
    limits: config.limits,
    onFastPath: (outcome) => outcomes.push(outcome),
    ...options,
  };
  return { gateway, outcomes };
}

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('a client that leaves', () => {
  it('starts no API call once gone, gets nothing serialised, and keeps no one waiting', async () => {
    // Two calls in flight at most: the other requests' calls wait in the client's queue.
    const { gateway, outcomes } = bigPages({
      resilience: { ...loadConfig({}).resilience, retryBaseMs: 10, maxConcurrency: 2 },
      timeoutMs: 10_000,
      // Every request admitted at once: this test is about the API calls.
      work: { ...loadConfig({}).work, maxRows: 1_000_000 },
    });
    stack = await startStack({ gateway });
    const s = stack;
    s.emulator.setFault({ kind: 'slow', delayMs: DELAY_MS, methods: [AVAILABLE] });
    const clients = Array.from({ length: 12 }, () => new AbortController());
    const sent = clients.map((controller, i) => send(s, big(i), controller));
    await until(
      async () =>
        s.calls(AVAILABLE).length === 2 &&
        (await metric(s, 'graphql_work_operations{state="running"}')) === clients.length,
      'two calls sent and every request admitted',
    );

    for (const controller of clients) controller.abort();
    expect(await Promise.all(sent)).toEqual(clients.map(() => 'aborted'));
    await until(
      async () =>
        (await metric(s, 'graphql_requests_aborted_total')) === clients.length &&
        (await metric(s, 'graphql_work_operations{state="running"}')) === 0,
      'every request seen aborted and released',
    );

    // A small query right after: the calls in flight were cancelled and the
    // queued ones dropped, so it waits for none of them.
    const started = performance.now();
    const small = await s.query(SMALL);
    const smallMs = performance.now() - started;
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data).toEqual({ virtualNumberGroups: { nodes: [expect.any(Object)] } });
    expect(smallMs).toBeLessThan(DELAY_MS);

    // Long enough for the slowed calls to have been answered and the queue to move on.
    await sleep(DELAY_MS + 500);
    expect(s.calls(AVAILABLE)).toHaveLength(2);
    expect(s.calls(GROUPS)).toHaveLength(1);
    // Every abandoned result was dropped before serialisation; no page was built for them.
    expect(await metric(s, 'graphql_answers_dropped_total')).toBe(clients.length);
    expect(outcomes).toEqual(['answered']);
    // The two calls in flight were cancelled; the ten queued were never sent.
    expect(
      await metric(
        s,
        'data_api_call_duration_seconds_count{method="get.available_virtual_numbers",outcome="cancelled"}',
      ),
    ).toBe(clients.length);
    expect(s.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  }, 30_000);

  it('starts no API call for a request whose client left before it was read', async () => {
    const { gateway, outcomes } = bigPages();
    stack = await startStack({ gateway });
    const s = stack;
    // spawnSync blocks this process, gateway included, while the client connects,
    // sends its request and leaves: the gateway reads the request and the FIN together.
    const client = spawnSync(
      process.execPath,
      [
        '-e',
        `fetch(${JSON.stringify(s.url)}, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: ${JSON.stringify(JSON.stringify({ query: big(0) }))},
          signal: AbortSignal.timeout(200),
        }).then(() => process.exit(1), () => process.exit(0));`,
      ],
      { timeout: 15_000 },
    );
    expect(client.status).toBe(0);
    await until(
      async () => (await metric(s, 'graphql_requests_aborted_total')) === 1,
      'the request seen aborted',
    );
    await until(
      async () => (await metric(s, 'graphql_work_operations{state="running"}')) === 0,
      'the request released',
    );
    await sleep(300);
    expect(s.calls()).toEqual([]);
    expect(await metric(s, 'graphql_answers_dropped_total')).toBe(1);
    expect(outcomes).toEqual([]);
  }, 30_000);

  it('waiting at the work gate gives its place up without calling the API', async () => {
    // Room for one largest page at a time: the others wait for rows.
    const { gateway } = bigPages({
      work: { maxRequests: 100, maxRows: PAGE_SIZE_MAX, smallRows: 100, queueMs: 60_000 },
    });
    stack = await startStack({ gateway });
    const s = stack;
    s.emulator.setFault({ kind: 'slow', delayMs: DELAY_MS, methods: [AVAILABLE] });
    const clients = Array.from({ length: 6 }, () => new AbortController());
    const sent = clients.map((controller, i) => send(s, big(i), controller));
    await until(
      async () =>
        s.calls(AVAILABLE).length === 1 &&
        (await metric(s, 'graphql_work_operations{state="waiting"}')) === clients.length - 1,
      'one page running and the others waiting',
    );
    for (const controller of clients) controller.abort();
    await Promise.all(sent);
    await until(
      async () =>
        (await metric(s, 'graphql_work_operations{state="waiting"}')) === 0 &&
        (await metric(s, 'graphql_work_operations{state="running"}')) === 0 &&
        (await metric(s, 'graphql_work_rows')) === 0,
      'the gate empty',
    );
    const small = await s.query(SMALL);
    expect(small.body.data).toBeDefined();
    await sleep(DELAY_MS + 500);
    expect(s.calls(AVAILABLE)).toHaveLength(1);
    expect(await metric(s, 'graphql_requests_shed_total{bound="rows"}')).toBe(0);
    // A page asked for now runs at once.
    s.emulator.setFault(null);
    const after = await s.query(big(0));
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
  }, 30_000);

  it('does not cost another request a call shared with it (single flight)', async () => {
    stack = await startStack();
    const s = stack;
    const query = '{ availableNumbers(first: 100) { nodes { phoneNumber category } } }';
    s.emulator.setFault({ kind: 'slow', delayMs: 1_000, methods: [AVAILABLE] });
    const leaving = new AbortController();
    const left = send(s, query, leaving);
    await until(() => s.calls(AVAILABLE).length === 1, 'the first call');
    const staying = s.query(query);
    // The second request joins the call in flight, then the first leaves.
    await until(
      async () => (await metric(s, 'graphql_work_operations{state="running"}')) === 2,
      'both requests running',
    );
    await sleep(100);
    leaving.abort();
    expect(await left).toBe('aborted');
    const answer = await staying;
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data?.availableNumbers as { nodes: unknown[] }).nodes).toHaveLength(100);
    expect(s.calls(AVAILABLE)).toHaveLength(1);
    const cancelled =
      'data_api_call_duration_seconds_count{method="get.available_virtual_numbers",outcome="cancelled"}';
    expect(await metric(s, cancelled)).toBe(0);

    // When every request sharing it leaves, the call is cancelled.
    const both = [new AbortController(), new AbortController()];
    s.emulator.resetCalls();
    const gone = both.map((controller) => send(s, query, controller));
    await until(
      async () =>
        s.calls(AVAILABLE).length === 1 &&
        (await metric(s, 'graphql_work_operations{state="running"}')) === 2,
      'one shared call for two requests',
    );
    await sleep(100);
    const [first, second] = both as [AbortController, AbortController];
    first.abort();
    await sleep(100);
    expect(await metric(s, cancelled)).toBe(0);
    second.abort();
    expect(await Promise.all(gone)).toEqual(['aborted', 'aborted']);
    await until(async () => (await metric(s, cancelled)) === 1, 'the shared call cancelled');
    expect(s.calls(AVAILABLE)).toHaveLength(1);
  }, 30_000);

  it('under a stream of leaving clients, answers small queries and settles', async () => {
    const { gateway } = bigPages();
    stack = await startStack({ gateway });
    const s = stack;
    // The emulator shares this process and answers every call, cancelled or not:
    // with its 3 000 rows its own work would swamp the gateway's. 300 rows are enough here.
    s.emulator.removeRows(AVAILABLE, (row) => !String(row.phone_number).endsWith('0'));
    let storming = true;
    let aborted = 0;
    const client = async (i: number) => {
      while (storming) {
        const controller = new AbortController();
        const timer = setTimeout(() => {
          controller.abort();
        }, 50);
        if ((await send(s, big(i), controller)) === 'aborted') aborted += 1;
        clearTimeout(timer);
      }
    };
    const clients = Array.from({ length: 20 }, (_, i) => client(i));
    const small: number[] = [];
    const end = performance.now() + 1_500;
    while (performance.now() < end) {
      const answer = await s.query(SMALL);
      expect(answer.body.errors).toBeUndefined();
      small.push(answer.status);
    }
    storming = false;
    await Promise.all(clients);
    expect(small.length).toBeGreaterThan(0);
    expect(small.every((status) => status === 200)).toBe(true);
    expect(aborted).toBeGreaterThan(0);
    await until(
      async () =>
        (await metric(s, 'graphql_work_operations{state="running"}')) === 0 &&
        (await metric(s, 'graphql_work_operations{state="waiting"}')) === 0,
      'the work to end',
    );
    // Counted once each, and only requests whose client did leave.
    // One scrape: a request is counted aborted before its answer can be dropped,
    // but later aborts may land between two scrapes.
    const [seen = 0, dropped = 0] = await metrics(s, [
      'graphql_requests_aborted_total',
      'graphql_answers_dropped_total',
    ]);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(aborted);
    expect(dropped).toBeLessThanOrEqual(seen);
    expect(s.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  }, 30_000);
});
