import { CURSOR_SLACK } from '../../../src/translate/paging.js';
import { encodeCursor, fingerprint } from '../../../src/translate/cursor.js';
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/fakeClient.js';

const paramsOf = async (query: string, variables?: Record<string, unknown>) => {
  const { result, calls } = await run(query, variables);
  expect(result.errors).toBeUndefined();
  return calls.map((c) => c.params);
};

describe('selection → fields', () => {
  it('maps GraphQL field names to API columns, id to the key column', async () => {
    expect(
      await paramsOf('{ virtualNumberGroups { nodes { id databaseId employeeGroups { name } } } }'),
    ).toEqual([
      {
        access_token: 'token',
        sort: [{ field: 'id', order: 'asc' }],
        offset: 0,
        limit: 20,
        fields: ['id', 'employee_groups'],
      },
    ]);
  });

  it('collects fields from edges.node and nodes, fragments on the type and on Node', async () => {
    const [params] = await paramsOf(`
      { availableNumbers(first: 1) {
          edges { node { ...F } }
          nodes { ... on Node { id } minCharge }
      } }
      fragment F on AvailableNumber { locationMnemonic }`);
    expect(params?.fields).toEqual(['location_mnemonic', 'min_charge', 'phone_number']);
  });

  it('asks for each column once however often it is selected', async () => {
    const [params] = await paramsOf(
      '{ availableNumbers { nodes { a: category b: category category } edges { node { category } } } }',
    );
    // The sort keys come too: cursors hold their values.
    expect(params?.fields).toEqual(['category', 'phone_number']);
  });

  it('drops fields excluded by @skip/@include', async () => {
    const [params] = await paramsOf(
      'query ($s: Boolean!) { availableNumbers { nodes { phoneNumber minCharge @skip(if: $s) locationName @include(if: $s) } } }',
      { s: true },
    );
    expect(params?.fields).toEqual(['phone_number', 'location_name']);
  });

  it('sends limit 1, the key column and no order when only totalCount and pageInfo are selected', async () => {
    expect(
      await paramsOf('{ availableNumbers(first: 50) { totalCount pageInfo { hasNextPage } } }'),
    ).toEqual([
      {
        access_token: 'token',
        offset: 0,
        limit: 1,
        fields: ['phone_number'],
      },
    ]);
  });

  it('fetches no rows for first: 0 but still answers totalCount', async () => {
    const { result, calls } = await run(
      '{ availableNumbers(first: 0) { totalCount nodes { phoneNumber } } }',
    );
    expect(result.data).toEqual({ availableNumbers: { totalCount: 100, nodes: [] } });
    expect(calls.map((c) => c.params.limit)).toEqual([1]);
  });
});

describe('arguments → params', () => {
  it('combines paging, filter, sort and userId', async () => {
    const filter = { field: 'category', operator: '=', value: 'gold' } as const;
    const sort = [
      { field: 'min_charge', order: 'desc' },
      { field: 'phone_number', order: 'asc' },
    ] as const;
    const query = { method: 'get.available_virtual_numbers', userId: 7, filter, sort };
    // The fake API's row 9 (placeholder values), so that the page finds its place.
    const after = encodeCursor(fingerprint(query), { position: 9, values: [null, '70000000009'] });
    expect(
      await paramsOf(
        `query ($after: String) { availableNumbers(first: 5, after: $after, userId: 7,
          filter: { category: { eq: GOLD } }, orderBy: [{ field: MIN_CHARGE, direction: DESC }]
        ) { nodes { phoneNumber } } }`,
        { after },
      ),
    ).toEqual([
      {
        access_token: 'token',
        user_id: 7,
        filter,
        sort,
        // A window of CURSOR_SLACK rows each side of the page, to find the cursor's row again.
        offset: 10 - CURSOR_SLACK - 1 < 0 ? 0 : 10 - CURSOR_SLACK - 1,
        limit: 10 + CURSOR_SLACK + 5,
        fields: ['phone_number', 'min_charge'],
      },
    ]);
  });

  it('reads last-without-before from the end in one call, the order reversed', async () => {
    const { result, calls } = await run(
      '{ availableNumbers(last: 30) { edges { cursor } } }',
      undefined,
      {
        total: 95,
      },
    );
    expect(result.errors).toBeUndefined();
    expect(calls.map((c) => [c.params.offset, c.params.limit, c.params.sort])).toEqual([
      [0, 30, [{ field: 'phone_number', order: 'desc' }]],
    ]);
  });

  it('serialises enum values in GraphQL spelling while sending the API spelling', async () => {
    const { calls } = await run(
      '{ availableNumbers(filter: { category: { notIn: [USUAL, BRONZE] } }) { totalCount } }',
    );
    expect(calls[0]?.params.filter).toEqual({
      field: 'category',
      operator: 'not_in',
      value: ['usual', 'bronze'],
    });
  });
});
