import { describe, expect, it } from 'vitest';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';

const stack = useStack();

const fieldsSent = (method = AVAILABLE) =>
  stack()
    .calls(method)
    .map((c) => c.params.fields);

describe('fields follow the selection', () => {
  it('follows named and inline fragments, aliases and the Node interface', async () => {
    const { body } = await stack().query(`
      query {
        availableNumbers(first: 2) {
          edges { node { ...Price ... on Node { id } } }
          nodes { region: locationName ... on AvailableNumber { category } }
        }
      }
      fragment Price on AvailableNumber { monthlyCharge onetimePayment }
    `);
    expect(body.errors).toBeUndefined();
    expect(fieldsSent()).toEqual([
      ['monthly_charge', 'onetime_payment', 'phone_number', 'location_name', 'category'],
    ]);
    const nodes = (body.data?.availableNumbers as { nodes: Record<string, unknown>[] }).nodes;
    expect(Object.keys(nodes[0] ?? {})).toEqual(['region', 'category']);
  });

  it('honours @include and @skip with variables', async () => {
    const query = `query ($withFees: Boolean!, $noRegion: Boolean!) {
      availableNumbers(first: 1) {
        nodes {
          phoneNumber
          monthlyCharge @include(if: $withFees)
          locationName @skip(if: $noRegion)
        }
      }
    }`;
    // One document, parsed once: the selection is worked out per variable values.
    await stack().query(query, { withFees: false, noRegion: true });
    await stack().query(query, { withFees: true, noRegion: false });
    await stack().query(query, { withFees: false, noRegion: true });
    await stack().query(query, { withFees: true, noRegion: true });
    expect(fieldsSent()).toEqual([
      ['phone_number'],
      ['phone_number', 'monthly_charge', 'location_name'],
      ['phone_number'],
      ['phone_number', 'monthly_charge'],
    ]);
  });

  it('asks for the key column when only __typename or cursors are selected', async () => {
    const { body } = await stack().query(
      '{ virtualNumberGroups(first: 3) { edges { cursor } nodes { __typename } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(fieldsSent(GROUPS)).toEqual([['id']]);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({ limit: 3 });
    const list = body.data?.virtualNumberGroups as { edges: unknown[]; nodes: unknown[] };
    expect(list.edges).toHaveLength(3);
    expect(list.nodes).toEqual([
      { __typename: 'VirtualNumberGroup' },
      { __typename: 'VirtualNumberGroup' },
      { __typename: 'VirtualNumberGroup' },
    ]);
  });
});

describe('one call per distinct list in a request', () => {
  it('merges identical lists selected under aliases into one call with the union of fields', async () => {
    const { body } = await stack().query(`{
      a: availableNumbers(first: 3, orderBy: [{ field: PHONE_NUMBER }]) { nodes { phoneNumber category } }
      b: availableNumbers(first: 3, orderBy: [{ field: PHONE_NUMBER }]) { nodes { minCharge } totalCount }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls()).toHaveLength(1);
    expect(fieldsSent()).toEqual([['phone_number', 'category', 'min_charge']]);
    const a = (body.data?.a as { nodes: { phoneNumber: string }[] }).nodes;
    const b = (body.data?.b as { nodes: { minCharge: number }[]; totalCount: number }).nodes;
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(3);
    expect(Object.keys(b[0] ?? {})).toEqual(['minCharge']);
  });

  it('lets a count-only list ride on another call with the same filter', async () => {
    const { body } = await stack().query(`{
      page: availableNumbers(first: 5, filter: { category: { eq: GOLD } }) { nodes { phoneNumber } }
      count: availableNumbers(filter: { category: { eq: GOLD } }) { totalCount }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls()).toHaveLength(1);
    expect((body.data?.count as { totalCount: number }).totalCount).toBeGreaterThan(0);
  });

  it('makes separate calls for lists that differ in arguments', async () => {
    await stack().query(`{
      a: availableNumbers(first: 3) { nodes { phoneNumber } }
      b: availableNumbers(first: 4) { nodes { phoneNumber } }
      c: availableNumbers(first: 3, filter: { category: { eq: GOLD } }) { totalCount }
      groups: virtualNumberGroups(first: 2) { totalCount }
    }`);
    expect(stack().calls(AVAILABLE)).toHaveLength(3);
    expect(stack().calls(GROUPS)).toHaveLength(1);
  });
});
