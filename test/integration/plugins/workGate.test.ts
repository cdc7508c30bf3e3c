/**
 * Issue 23: load beyond what the process can serve is shed early and cheaply
 * (http/workGate.ts): past a bound, 503 SERVICE_OVERLOADED with Retry-After,
 * while small queries still answer; once the work ends, big requests are
 * admitted again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import type { GraphQLResponse, Stack, StackOptions } from '../../helpers/stack.js';
import { AVAILABLE, GROUPS, startStack } from '../../helpers/stack.js';

const BIG = (i: number) =>
  `{ availableNumbers(first: ${1000 - i}) { totalCount nodes { phoneNumber category minCharge } } }`;
const SMALL = '{ virtualNumberGroups(first: 1) { nodes { name } } }';

interface Answer extends GraphQLResponse {
  readonly retryAfter: string | null;
}

async function post(stack: Stack, query: string): Promise<Answer> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as GraphQLResponse['body'],
    text,
    retryAfter: response.headers.get('retry-after'),
  };
}

async function metric(stack: Stack, series: string): Promise<number> {
  const text = await (await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withWork(work: Partial<ReturnType<typeof loadConfig>['work']>): StackOptions {
  return { gateway: { work: { ...loadConfig({}).work, ...work } } };
}

const overloaded = (answer: Answer) => ({
  status: answer.status,
  code: answer.body.errors?.[0]?.extensions?.code,
  data: answer.body.data,
  retryAfter: answer.retryAfter,
});

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('the work gate', () => {
  it('sheds big requests past its rows with 503 and Retry-After, answers small ones, then admits again', async () => {
    // Room for one 1000-row page; no waiting.
    stack = await startStack(withWork({ maxRows: 1000, smallRows: 10, queueMs: 0 }));
    const s = stack;
    s.emulator.setFault({ kind: 'slow', delayMs: 1_500, methods: [AVAILABLE] });
    const first = post(s, BIG(0));
    await sleep(200);
    const rest = await Promise.all([1, 2, 3].map((i) => post(s, BIG(i))));
    for (const answer of rest) {
      expect(overloaded(answer)).toEqual({
        status: 503,
        code: 'SERVICE_OVERLOADED',
        data: undefined,
        retryAfter: '1',
      });
      expect(answer.body.errors?.[0]?.extensions?.bound).toBe('WORK_MAX_ROWS');
    }
    // A small query is not held up by the big one in flight.
    const small = await post(s, SMALL);
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();

    const admitted = await first;
    expect(admitted.status).toBe(200);
    expect(admitted.body.errors).toBeUndefined();
    // Shed before any call: only the admitted page reached the API.
    expect(s.calls(AVAILABLE)).toHaveLength(1);
    expect(s.calls(GROUPS)).toHaveLength(1);
    expect(await metric(s, 'graphql_requests_shed_total{bound="rows"}')).toBe(3);
    expect(
      await metric(
        s,
        'http_responses_total{status="503",route="graphql",reason="SERVICE_OVERLOADED"}',
      ),
    ).toBe(3);

    // The work is over: big requests are admitted again.
    s.emulator.setFault(null);
    const again = await Promise.all([post(s, BIG(4)), post(s, SMALL)]);
    expect(again.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await metric(s, 'graphql_work_rows')).toBe(0);
  }, 20_000);

  it('lets big requests wait for rows in turn, within WORK_QUEUE_MS', async () => {
    stack = await startStack(withWork({ maxRows: 1000, smallRows: 10, queueMs: 10_000 }));
    const s = stack;
    s.emulator.setFault({ kind: 'slow', delayMs: 300, methods: [AVAILABLE] });
    const answers = await Promise.all([0, 1, 2].map((i) => post(s, BIG(i))));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // One page at a time: each call was sent after the previous one was answered.
    const at = s.calls(AVAILABLE).map((call) => call.at);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i += 1) {
      expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(250);
    }
    expect(await metric(s, 'graphql_requests_shed_total{bound="rows"}')).toBe(0);
  }, 20_000);

  it('sheds any request past WORK_MAX_REQUESTS', async () => {
    stack = await startStack(withWork({ maxRequests: 2, queueMs: 0 }));
    const s = stack;
    s.emulator.setFault({ kind: 'slow', delayMs: 1_000, methods: [GROUPS] });
    const held = [post(s, SMALL), post(s, SMALL.replace('first: 1', 'first: 2'))];
    await sleep(300);
    const shed = await post(s, SMALL.replace('first: 1', 'first: 3'));
    expect(overloaded(shed)).toEqual({
      status: 503,
      code: 'SERVICE_OVERLOADED',
      data: undefined,
      retryAfter: '1',
    });
    expect(shed.body.errors?.[0]?.extensions?.bound).toBe('WORK_MAX_REQUESTS');
    expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([200, 200]);
    expect((await post(s, SMALL)).status).toBe(200);
    expect(await metric(s, 'graphql_requests_shed_total{bound="requests"}')).toBe(1);
  }, 20_000);
});
