/**
 * The plan plugin plans each served operation once, before execution, and the
 * resolvers read that plan: nothing is planned a second time while executing
 * (the context Yoga hands the resolvers is not the object the context factory
 * built, so a plan kept on the latter would be missed and made again).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Planner } from '../../../src/plan/operationPlan.js';
import { useStack } from '../../helpers/stack.js';

const stack = useStack();

afterEach(() => {
  vi.restoreAllMocks();
});

const LIST = `query Page($first: Int!) {
  availableNumbers(first: $first) { totalCount nodes { phoneNumber category } }
}`;

describe('usePlan', () => {
  it('plans each operation once, and execution reads that plan', async () => {
    const plan = vi.spyOn(Planner.prototype, 'plan');
    const planExecution = vi.spyOn(Planner.prototype, 'planExecution');
    const ids = await stack().query('{ availableNumbers(first: 2) { nodes { id } } }');
    const [id] = (ids.body.data as { availableNumbers: { nodes: { id: string }[] } })
      .availableNumbers.nodes;
    const operations: [string, Record<string, unknown>?][] = [
      [LIST, { first: 3 }],
      [LIST, { first: 4 }],
      // Through the standard executor: an abstract type is not the fast path's.
      [`query ($id: ID!) { node(id: $id) { __typename id } }`, { id: id?.id }],
      [
        '{ a: availableNumbers(first: 1) { nodes { phoneNumber } } b: virtualNumberGroups { totalCount } }',
      ],
    ];
    plan.mockClear();
    for (const [query, variables] of operations) {
      const answer = await stack().query(query, variables);
      expect(answer.body.errors).toBeUndefined();
    }
    expect(plan).toHaveBeenCalledTimes(operations.length);
    expect(planExecution).not.toHaveBeenCalled();
  });
});
