/** The bench's distinct workload and its Mesh form. */
import { describe, expect, it } from 'vitest';
import { spread } from '../../bench/load.js';
import { meshWorkload } from '../../bench/mesh.js';
import { SCENARIOS } from '../../bench/scenarios.js';
import type { Discovered } from '../../bench/workload.js';
import { jsonRpcWorkload, tokensFor, variantsWith } from '../../bench/workload.js';

describe('distinct scenarios', () => {
  it('S1 is 360 different requests; S1-same is one', () => {
    const keys = SCENARIOS.S1.variants.map((v) => JSON.stringify(v.variables));
    expect(new Set(keys).size).toBe(360);
    expect(SCENARIOS['S1-same'].variants).toHaveLength(1);
  });

  it('spreads the variants over several tokens on the static upstream only', () => {
    const found: Discovered = {
      scenario: SCENARIOS.S1,
      variants: [0, 1, 2, 3].map((token) => ({
        variables: { first: 11 + token },
        token,
        calls: [{ method: 'get.x', params: { access_token: 'demo-token', limit: 11 + token } }],
      })),
    };
    const staticTokens = variantsWith(found, tokensFor('static', 4)).map((v) => v.token);
    expect(new Set(staticTokens).size).toBe(4);
    const emulatorTokens = variantsWith(found, tokensFor('emulator', 4)).map((v) => v.token);
    expect(new Set(emulatorTokens)).toEqual(new Set(['demo-token']));
    const bodies = jsonRpcWorkload('S1', variantsWith(found, tokensFor('static', 4))).items;
    expect(
      bodies.map(
        (b) => (JSON.parse(b.body) as { params: { access_token: string } }).params.access_token,
      ),
    ).toEqual(staticTokens);
  });
});

describe('the load spread', () => {
  it('starts each connection at its own place and walks the list from there', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'].map((body) => ({ body }));
    const setup = spread(items, 2);
    if (typeof setup !== 'function') throw new Error('not a function');
    const [first, second] = [{}, {}];
    const request = { method: 'POST', headers: {} } as Parameters<typeof setup>[0];
    const bodyOf = (context: object) => setup(request, context).body;
    expect([bodyOf(first), bodyOf(second), bodyOf(first), bodyOf(second)]).toEqual([
      'a',
      'c',
      'b',
      'd',
    ]);
  });
});

describe('the Mesh form of a variant', () => {
  it('carries the same JSON-RPC params as arguments and the token as a header', () => {
    const params = {
      access_token: 'demo-token',
      limit: 20,
      offset: 0,
      filter: { field: 'location_mnemonic', operator: '=', value: 'spb' },
      sort: [{ field: 'min_charge', order: 'asc' }],
      fields: ['phone_number', 'min_charge'],
    };
    const workload = meshWorkload('S1', [
      {
        variables: {},
        token: 'bench-token-1',
        calls: [{ method: 'get.available_virtual_numbers', params }],
      },
    ]);
    const item = workload?.items[0];
    expect(item?.headers).toEqual({ 'x-access-token': 'bench-token-1' });
    const body = JSON.parse(item?.body ?? '{}') as { query: string; variables: unknown };
    expect(body.variables).toEqual({
      l: 20,
      o: 0,
      f: params.filter,
      s: params.sort,
      c: params.fields,
    });
    expect(body.query).toMatch(/data \{ phone_number min_charge \}/);
  });

  it('has no form for a request of several calls (S3)', () => {
    const call = { method: 'get.available_virtual_numbers', params: { fields: ['phone_number'] } };
    expect(
      meshWorkload('S3', [{ variables: {}, token: 't', calls: [call, call] }]),
    ).toBeUndefined();
  });
});
