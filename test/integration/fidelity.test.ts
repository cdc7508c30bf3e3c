/** Behaviours checked against the Data API docs: enum operators, empty values, agents' look-ups. */
import { describe, expect, it } from 'vitest';
import { AGENT_CUSTOMER_IDS, AGENT_TOKEN } from '../../src/emulator/index.js';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';

const stack = useStack();

describe('locationMnemonic, an enum whose values the API does not list', () => {
  it('takes the enum operators', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(filter: { locationMnemonic: { in: ["sam"], ne: "msk" } }) { totalCount } }',
    );
    expect(body.errors).toBeUndefined();
    expect(stack().calls(AVAILABLE)[0]?.params.filter).toEqual({
      filters: [
        { field: 'location_mnemonic', operator: 'in', value: ['sam'] },
        { field: 'location_mnemonic', operator: '!=', value: 'msk' },
      ],
      condition: 'and',
    });
  });

  it('takes isNull, which the API gives every column type', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(filter: { locationMnemonic: { isNull: false } }) { totalCount } }',
    );
    expect(body.errors).toBeUndefined();
    expect(stack().calls(AVAILABLE)[0]?.params.filter).toEqual({
      field: 'location_mnemonic',
      operator: 'is_not_null',
      value: null,
    });
  });

  it.each(['startsWith', 'like', 'regexp'])('has no %s operator', async (operator) => {
    const { body } = await stack().query(
      `{ availableNumbers(filter: { locationMnemonic: { ${operator}: "m" } }) { totalCount } }`,
    );
    expect(body.errors?.[0]?.message).toMatch(
      new RegExp(`Field "${operator}" is not defined by type "CodeFilter"`),
    );
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('null operands', () => {
  it('eq: null and ne: null test emptiness and split the list between them', async () => {
    const count = async (filter: string) => {
      const { body } = await stack().query(
        `{ virtualNumberGroups(filter: { name: ${filter} }) { totalCount } }`,
      );
      expect(body.errors).toBeUndefined();
      return (body.data?.virtualNumberGroups as { totalCount: number }).totalCount;
    };
    const empty = await count('{ eq: null }');
    const filled = await count('{ ne: null }');
    const all = await count('{}');
    expect(empty + filled).toBe(all);
    expect(filled).toBeLessThan(all);
    expect(
      stack()
        .calls(GROUPS)
        .map((c) => c.params.filter),
    ).toEqual([
      { field: 'name', operator: '=', value: null },
      { field: 'name', operator: '!=', value: null },
      undefined,
    ]);
  });

  it('isNull: null is refused before any call', async () => {
    const { body } = await stack().query(
      '{ virtualNumberGroups(filter: { name: { isNull: null } }) { totalCount } }',
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack().calls()).toHaveLength(0);
  });
});

describe('agents', () => {
  const agent = { authorization: `Bearer ${AGENT_TOKEN}` };
  const customer = AGENT_CUSTOMER_IDS[0] ?? 0;

  it('look up node and nodes for a customer with userId, as lists do', async () => {
    const list = await stack().query(
      `{ virtualNumberGroups(first: 2, userId: ${customer}) { nodes { id name } } }`,
      undefined,
      agent,
    );
    const [a, b] = (list.body.data?.virtualNumberGroups as { nodes: { id: string }[] }).nodes;
    stack().emulator.resetCalls();
    const { body } = await stack().query(
      `query ($a: ID!, $ids: [ID!]!) {
         node(id: $a, userId: ${customer}) { id }
         nodes(ids: $ids, userId: ${customer}) { id }
       }`,
      { a: a?.id, ids: [a?.id, b?.id] },
      agent,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ node: { id: a?.id }, nodes: [{ id: a?.id }, { id: b?.id }] });
    expect(
      stack()
        .calls(GROUPS)
        .map((c) => c.params.user_id),
    ).toEqual([customer]);
  });
});
