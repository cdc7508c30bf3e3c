import { describe, expect, it } from 'vitest';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';

const stack = useStack();

const globalId = (type: string, id: string | number) =>
  Buffer.from(`${type}:${String(id)}`).toString('base64');

async function someIds() {
  const { body } = await stack().query(`{
    availableNumbers(first: 3) { nodes { id phoneNumber category } }
    virtualNumberGroups(first: 2) { nodes { id databaseId name } }
  }`);
  stack().emulator.resetCalls();
  return {
    numbers: (body.data?.availableNumbers as { nodes: { id: string; phoneNumber: string }[] })
      .nodes,
    groups: (body.data?.virtualNumberGroups as { nodes: { id: string; databaseId: number }[] })
      .nodes,
  };
}

describe('node and nodes', () => {
  it('fetches a node by the id a list returned, asking only for the selected columns', async () => {
    const { numbers } = await someIds();
    const first = numbers[0];
    if (!first) throw new Error('no rows');
    const { body } = await stack().query(
      `query ($id: ID!) { node(id: $id) { __typename id ... on AvailableNumber { phoneNumber category } } }`,
      { id: first.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.node).toMatchObject({
      __typename: 'AvailableNumber',
      id: first.id,
      phoneNumber: first.phoneNumber,
    });
    expect(stack().calls(AVAILABLE)[0]?.params).toMatchObject({
      filter: { field: 'phone_number', operator: 'in', value: [first.phoneNumber] },
      limit: 1,
      fields: ['phone_number', 'category'],
    });
  });

  it('merges look-ups of one request into one call per type, and keeps the order of ids', async () => {
    const { numbers, groups } = await someIds();
    const ids = [
      groups[1]?.id,
      numbers[2]?.id,
      numbers[0]?.id,
      globalId('AvailableNumber', '70000000000'),
      groups[0]?.id,
    ];
    const { body } = await stack().query(
      `query ($ids: [ID!]!, $one: ID!) {
        nodes(ids: $ids) {
          id
          ... on AvailableNumber { phoneNumber }
          ... on VirtualNumberGroup { databaseId name }
        }
        single: node(id: $one) { ... on AvailableNumber { monthlyCharge } }
      }`,
      { ids, one: numbers[1]?.id },
    );
    expect(body.errors).toBeUndefined();
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
    expect(stack().calls(GROUPS)).toHaveLength(1);
    const numberCall = stack().calls(AVAILABLE)[0]?.params;
    expect(numberCall?.filter).toEqual({
      field: 'phone_number',
      operator: 'in',
      value: [
        numbers[2]?.phoneNumber,
        numbers[0]?.phoneNumber,
        '70000000000',
        numbers[1]?.phoneNumber,
      ],
    });
    expect(numberCall?.fields).toEqual(['phone_number', 'monthly_charge']);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({
      filter: {
        field: 'id',
        operator: 'in',
        value: [groups[1]?.databaseId, groups[0]?.databaseId],
      },
      fields: ['id', 'name'],
    });
    const nodes = body.data?.nodes as ({ id: string } | null)[];
    expect(nodes.map((n) => n?.id ?? null)).toEqual([ids[0], ids[1], ids[2], null, ids[4]]);
    expect(body.data?.single).toHaveProperty('monthlyCharge');
  });

  it('resolves unknown, malformed and foreign ids to null without calling the API', async () => {
    const { body } = await stack().query(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } bad: node(id: "%%%") { id } }`,
      {
        ids: [
          'not-base64!',
          globalId('Nope', 1),
          globalId('VirtualNumberGroup', 'abc'),
          Buffer.from('no colon').toString('base64'),
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ nodes: [null, null, null, null], bad: null });
    expect(stack().calls()).toHaveLength(0);
  });
});
