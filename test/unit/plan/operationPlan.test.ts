import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, rowWidth } from '../../../src/api/index.js';
import { loadConfig } from '../../../src/config/config.js';
import type { OperationPlan } from '../../../src/plan/operationPlan.js';
import { Planner } from '../../../src/plan/operationPlan.js';
import { schema } from '../../../src/schema/index.js';

const planner = new Planner({
  paging: { defaultPageSize: 20, maxPageSize: 1000 },
  limits: loadConfig({}).limits,
  defaultUserId: undefined,
  maxKeysPerCall: 1000,
});

function planOf(query: string, variables?: Record<string, unknown>, name?: string): OperationPlan {
  const outcome = planner.plan(schema, parse(query), name, variables);
  if (!('plan' in outcome)) throw new Error(`not planned: ${JSON.stringify(outcome)}`);
  return outcome.plan;
}

const width = rowWidth(availableVirtualNumbers);

describe('Planner', () => {
  it('plans a document without variables once, and again for each set of variables', () => {
    const fixed = parse('{ availableNumbers(first: 2) { nodes { phoneNumber } } }');
    const first = planner.plan(schema, fixed, undefined, {});
    const again = planner.plan(schema, fixed, undefined, {});
    expect('plan' in again && 'plan' in first && again.plan === first.plan).toBe(true);
    const varying = parse('query ($n: Int) { availableNumbers(first: $n) { nodes { id } } }');
    const two = planner.plan(schema, varying, undefined, { n: 2 });
    const three = planner.plan(schema, varying, undefined, { n: 3 });
    expect('plan' in two && 'plan' in three).toBe(true);
    if ('plan' in two && 'plan' in three) {
      expect(two.plan.calls[0]?.params.limit).toBe(2);
      expect(three.plan.calls[0]?.params.limit).toBe(3);
      expect(three.plan.variables).toEqual({ n: 3 });
    }
  });

  it('returns the variables that do not coerce, as execution would refuse them', () => {
    const outcome = planner.plan(
      schema,
      parse('query ($n: Int!) { availableNumbers(first: $n) { totalCount } }'),
      undefined,
      {},
    );
    expect('errors' in outcome && outcome.errors[0]?.message).toMatch(/\$n/);
  });

  it('plans nothing for an operation name the document lacks', () => {
    expect(planner.plan(schema, parse('query A { __typename }'), 'B', {})).toEqual({
      notPlanned: 'no operation',
    });
  });

  it('merges lists that differ only in their selection, and prices each call once', () => {
    const plan = planOf(`{
      a: availableNumbers(first: 5) { nodes { phoneNumber } }
      b: availableNumbers(first: 5) { nodes { category } totalCount }
      c: availableNumbers(first: 7) { totalCount }
    }`);
    expect(plan.calls).toHaveLength(1);
    expect(plan.calls[0]?.params.fields).toEqual(['phone_number', 'category']);
    expect(plan.cost).toBe(5 * width);
    expect(plan.rows).toBe(5);
  });

  it('weighs the rows of every distinct call, from the variables and their defaults', () => {
    const query = `query Q($n: Int = 30) {
      ...Lists
    }
    fragment Lists on Query {
      a: availableNumbers(first: $n) { nodes { phoneNumber } }
      ... on Query { b: virtualNumberGroups(last: 7) { nodes { name } } }
      c: availableNumbers(first: 1000, orderBy: [{ field: CATEGORY, direction: DESC }]) { nodes { id } }
      d: availableNumbers(first: 500, orderBy: [{ field: CATEGORY }]) { totalCount }
    }`;
    // d's page is never fetched: its count rides on a's call (same method and filter).
    expect(planOf(query).rows).toBe(30 + 7 + 1000);
    expect(planOf(query, { n: 200 }, 'Q').rows).toBe(200 + 7 + 1000);
    expect(planOf('{ __typename }').rows).toBe(0);
  });

  it('records a field whose arguments are refused, with no call for it', () => {
    const plan = planOf('{ bad: availableNumbers(first: -1) { totalCount } }');
    const [node] = plan.rootFields.get('bad') ?? [];
    expect(node && plan.field(node)).toMatchObject({ kind: 'refused' });
    expect(plan.calls).toHaveLength(0);
  });

  it('follows @include, fragments and aliases to the root fields execution resolves', () => {
    const plan = planOf(
      `query ($on: Boolean!) {
        ...F
        x: availableNumbers(first: 1) @include(if: $on) { nodes { id } }
      }
      fragment F on Query { y: availableNumbers(first: 2) { nodes { id } } }`,
      { on: false },
    );
    expect([...plan.rootFields.keys()]).toEqual(['y']);
    expect(plan.calls.map((c) => c.params.limit)).toEqual([2]);
  });

  it('looks up node ids of one type in one call, and reads the largest _entities list', () => {
    const id = (n: string) => Buffer.from(`AvailableNumber:${n}`).toString('base64');
    const plan = planOf(`{
      a: node(id: "${id('74950000001')}") { id }
      b: nodes(ids: ["${id('74950000002')}", "junk"]) { id }
      _entities(representations: [{ __typename: "AvailableNumber", phoneNumber: "74950000003" }, { __typename: "Nope" }]) { __typename }
    }`);
    expect(plan.calls).toHaveLength(1);
    expect(plan.calls[0]?.params.filter).toEqual({
      field: 'phone_number',
      operator: 'in',
      value: ['74950000001', '74950000002', '74950000003'],
    });
    expect(plan.largestRepresentations).toBe(2);
  });
});
