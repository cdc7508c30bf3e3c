import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { OperationPlan, Planner } from '../../plan/operationPlan.js';
import type { GatewayContext } from '../../schema/context.js';
import { refusal } from '../refuse.js';

/** What a request may cost, judged on its plan. */
export interface Budget {
  /** Distinct Data API calls (MAX_API_CALLS_PER_REQUEST). */
  readonly maxCalls: number;
  /** Values those calls may return, rows × columns of their type (QUERY_MAX_COST). */
  readonly maxCost: number;
  /** Most representations `_entities` takes, as `nodes(ids:)` (MAX_LIST_INPUT). */
  readonly maxListInput: number;
}

/** The refusal of a plan over budget, or undefined when it is within. */
export function overBudget(plan: OperationPlan, budget: Budget) {
  const calls = plan.calls.length;
  if (calls > budget.maxCalls) {
    return refusal(
      'QUERY_TOO_COMPLEX',
      `This query would make ${calls} Data API calls; the limit is ${budget.maxCalls} per request (MAX_API_CALLS_PER_REQUEST).`,
      {
        setting: 'MAX_API_CALLS_PER_REQUEST',
        limit: budget.maxCalls,
        found: calls,
        plannedCalls: calls,
      },
    );
  }
  if (plan.cost > budget.maxCost) {
    return refusal(
      'QUERY_TOO_COMPLEX',
      `This query could fetch ${plan.cost} values (rows × columns of their type); the cost limit is ${budget.maxCost} per request (QUERY_MAX_COST).`,
      { setting: 'QUERY_MAX_COST', limit: budget.maxCost, found: plan.cost },
    );
  }
  if (plan.largestRepresentations > budget.maxListInput) {
    // Checked for the whole operation, so no other root field of it calls the API either.
    return refusal(
      'BAD_USER_INPUT',
      `"representations" has ${plan.largestRepresentations} entries; the limit is ${budget.maxListInput} (MAX_LIST_INPUT).`,
      { argument: 'representations', limit: budget.maxListInput },
    );
  }
  return undefined;
}

/**
 * Plans each operation once its document is valid (plan/operationPlan.ts):
 * coerces the variables (refusing those that do not, BAD_USER_INPUT), refuses
 * a plan over budget before any call, and hands the plan to the resolvers,
 * the executor and the observability plugins through the context.
 */
export function usePlan(
  planner: Planner,
  budget: Budget,
  onPlan?: (plan: OperationPlan) => void,
): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // Envelop types these loosely; they are the validated execution's own values.
      const outcome = planner.plan(
        args.schema as GraphQLSchema,
        args.document as DocumentNode,
        args.operationName as string | null | undefined,
        args.variableValues as Record<string, unknown> | null | undefined,
      );
      if ('notPlanned' in outcome) return;
      if ('errors' in outcome) {
        setResultAndStopExecution({
          errors: outcome.errors.map((error) =>
            refusal('BAD_USER_INPUT', error.message, {}, undefined, error.nodes),
          ),
        });
        return;
      }
      const { plan } = outcome;
      const refused = overBudget(plan, budget);
      if (refused) {
        setResultAndStopExecution({ errors: [refused] });
        return;
      }
      (args.contextValue as GatewayContext).plan = plan;
      onPlan?.(plan);
    },
  };
}
