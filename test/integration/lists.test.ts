import { describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { AVAILABLE, GROUPS, useStack } from '../helpers/stack.js';

const stack = useStack();

interface NumberNode {
  phoneNumber: string;
  category: string | null;
  locationMnemonic: string | null;
  minCharge: number | null;
}

describe('a list with filter, order and selection', () => {
  it('sends filter, sort, paging and exactly the selected columns, and answers with matching rows', async () => {
    const { body } = await stack().query(`{
      availableNumbers(
        first: 5
        filter: { locationMnemonic: { eq: "spb" }, category: { in: [GOLD, SILVER] } }
        orderBy: [{ field: CATEGORY, direction: DESC }, { field: PHONE_NUMBER }]
      ) {
        totalCount
        nodes { phoneNumber category locationMnemonic }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls()).toHaveLength(1);
    expect(stack().calls(AVAILABLE)[0]?.params).toEqual({
      access_token: DEMO_TOKEN,
      filter: {
        condition: 'and',
        filters: [
          // One object's conditions go in the input type's field order.
          { field: 'category', operator: 'in', value: ['gold', 'silver'] },
          { field: 'location_mnemonic', operator: '=', value: 'spb' },
        ],
      },
      sort: [
        { field: 'category', order: 'desc' },
        { field: 'phone_number', order: 'asc' },
      ],
      offset: 0,
      limit: 5,
      fields: ['phone_number', 'category', 'location_mnemonic'],
    });
    const list = body.data?.availableNumbers as { totalCount: number; nodes: NumberNode[] };
    expect(list.nodes).toHaveLength(5);
    expect(list.totalCount).toBeGreaterThan(5);
    for (const node of list.nodes) {
      expect(node.locationMnemonic).toBe('spb');
      expect(['GOLD', 'SILVER']).toContain(node.category);
    }
    // category desc (API spelling: silver > gold alphabetically), then phone number.
    const keys = list.nodes.map((n) => `${n.category === 'SILVER' ? 0 : 1}:${n.phoneNumber}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('translates or/and trees with nesting preserved', async () => {
    const { body } = await stack().query(`{
      availableNumbers(first: 3, filter: {
        or: [
          { phoneNumber: { startsWith: "7812" } },
          { and: [{ locationMnemonic: { eq: "ekb" } }, { category: { ne: USUAL } }] }
        ]
      }) { totalCount nodes { phoneNumber locationMnemonic category } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls(AVAILABLE)[0]?.params.filter).toEqual({
      condition: 'or',
      filters: [
        { field: 'phone_number', operator: 'like', value: '7812%' },
        {
          condition: 'and',
          filters: [
            { field: 'location_mnemonic', operator: '=', value: 'ekb' },
            { field: 'category', operator: '!=', value: 'usual' },
          ],
        },
      ],
    });
    const nodes = (body.data?.availableNumbers as { nodes: NumberNode[] }).nodes;
    for (const n of nodes) {
      expect(
        n.phoneNumber.startsWith('7812') ||
          (n.locationMnemonic === 'ekb' && n.category !== 'USUAL'),
      ).toBe(true);
    }
  });

  it('sends no filter for an empty filter object and the default page size of 20', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(filter: {}) { nodes { phoneNumber } } }',
    );
    expect((body.data?.availableNumbers as { nodes: unknown[] }).nodes).toHaveLength(20);
    const params = stack().calls(AVAILABLE)[0]?.params;
    expect(params).toEqual({
      access_token: DEMO_TOKEN,
      // Without orderBy, the documented default order: the key ascending.
      sort: [{ field: 'phone_number', order: 'asc' }],
      offset: 0,
      limit: 20,
      fields: ['phone_number'],
    });
  });

  it('matches startsWith/contains text literally, wildcards included', async () => {
    const { body } = await stack().query(
      '{ availableNumbers(filter: { phoneNumber: { contains: "_%" } }) { totalCount } }',
    );
    expect(stack().calls(AVAILABLE)[0]?.params.filter).toEqual({
      field: 'phone_number',
      operator: 'like',
      value: '%\\_\\%%',
    });
    expect((body.data?.availableNumbers as { totalCount: number }).totalCount).toBe(0);
  });

  it('filters on isNull and passes userId as user_id', async () => {
    const { body } = await stack().query(`{
      virtualNumberGroups(userId: 1001, filter: { name: { isNull: true }, databaseId: { gte: 1 } }) {
        nodes { databaseId name }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({
      user_id: 1001,
      filter: {
        condition: 'and',
        filters: [
          { field: 'id', operator: '>=', value: 1 },
          { field: 'name', operator: 'is_null', value: null },
        ],
      },
      fields: ['id', 'name'],
    });
    const nodes = (body.data?.virtualNumberGroups as { nodes: { name: unknown }[] }).nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.name).toBeNull();
  });

  it('returns nested lists of a group as arrays and asks for their columns', async () => {
    const { body } = await stack().query(`{
      virtualNumberGroups(first: 40, orderBy: [{ field: DATABASE_ID }]) {
        nodes { databaseId employees { id fullName } employeeGroups { id name } virtualPhones { id number } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(stack().calls(GROUPS)[0]?.params.fields).toEqual([
      'id',
      'employees',
      'employee_groups',
      'virtual_phones',
    ]);
    const nodes = (
      body.data?.virtualNumberGroups as {
        nodes: { databaseId: number; employees: { id: number }[]; virtualPhones: unknown[] }[];
      }
    ).nodes;
    const ids = nodes.map((n) => n.databaseId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(nodes.some((n) => n.employees.length > 0)).toBe(true);
    expect(nodes.some((n) => n.virtualPhones.length === 0)).toBe(true);
  });
});

describe('filters passed as variables', () => {
  it('run like inline filters, nested and/or included', async () => {
    const { body } = await stack().query(
      `query ($filter: VirtualNumberGroupFilter, $order: [VirtualNumberGroupOrder!]) {
        virtualNumberGroups(first: 5, filter: $filter, orderBy: $order) { totalCount nodes { name } }
      }`,
      {
        filter: { or: [{ name: { isNull: true } }, { and: [{ databaseId: { gte: 1 } }] }] },
        order: [{ field: 'NAME', direction: 'DESC' }],
      },
    );
    expect(body.errors).toBeUndefined();
    expect((body.data?.virtualNumberGroups as { nodes: unknown[] }).nodes).toHaveLength(5);
    expect(stack().calls(GROUPS)[0]?.params).toMatchObject({
      filter: {
        condition: 'or',
        filters: [
          { field: 'name', operator: 'is_null', value: null },
          { field: 'id', operator: '>=', value: 1 },
        ],
      },
      sort: [
        { field: 'name', order: 'desc' },
        { field: 'id', order: 'asc' },
      ],
    });
  });
});
