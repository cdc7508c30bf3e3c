/**
 * Every response is counted in /metrics, refusals before execution included,
 * as a Prometheus parser nobody here wrote reads the exposition.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

const stack = useStack();

/** `http_responses_total` samples, as label sets with their values. */
async function responseCounts(): Promise<Map<string, number>> {
  const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
  const family = parsePrometheusTextFormat(text).find((f) => f.name === 'http_responses_total');
  expect(family?.type).toBe('COUNTER');
  const counts = new Map<string, number>();
  for (const sample of family?.metrics ?? []) {
    const { status, route, reason } = sample.labels ?? {};
    counts.set(`${status ?? ''} ${route ?? ''} ${reason ?? ''}`, Number(sample.value));
  }
  return counts;
}

function increase(before: Map<string, number>, after: Map<string, number>, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

describe('http_responses_total', () => {
  it('counts CSRF refusals, oversized bodies, bad documents, unknown paths and answers', async () => {
    const before = await responseCounts();
    const url = stack().url;
    const origin = new URL(url).origin;

    // A GET with no CSRF header and no browser metadata: refused before parsing.
    const csrf = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(csrf.status).toBe(403);
    const tooBig = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(200_000)}` }),
    });
    expect(tooBig.status).toBe(413);
    // Yoga answers application/json requests with 200 even when parsing fails.
    const syntax = await stack().query('{ availableNumbers(');
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await fetch(`${origin}/nowhere`)).status).toBe(404);
    for (let i = 0; i < 2; i++) expect((await stack().query('{ __typename }')).status).toBe(200);

    const after = await responseCounts();
    const csrfKey = [...after.keys()].find((key) => key.startsWith('403 graphql '));
    expect(csrfKey).toBeDefined();
    expect(increase(before, after, csrfKey ?? '')).toBe(1);
    expect(increase(before, after, '413 graphql PAYLOAD_TOO_LARGE')).toBe(1);
    expect(increase(before, after, '200 graphql GRAPHQL_PARSE_FAILED')).toBe(1);
    expect(increase(before, after, '404 other none')).toBe(1);
    expect(increase(before, after, '200 graphql ok')).toBe(2);
    // The /metrics read before is counted too.
    expect(increase(before, after, '200 metrics none')).toBe(1);
  });

  it('keeps labels bounded: a client cannot mint a label per path', async () => {
    const origin = new URL(stack().url).origin;
    for (let i = 0; i < 5; i++) await fetch(`${origin}/probe-${i}`);
    const keys = [...(await responseCounts()).keys()];
    expect(keys.filter((key) => key.includes('probe'))).toEqual([]);
  });
});
