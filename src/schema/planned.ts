import type { GraphQLResolveInfo } from 'graphql';
import type { FieldPlan } from '../plan/operationPlan.js';
import type { GatewayContext } from './context.js';

/**
 * The plan of the root field being resolved, of the kind its resolver
 * serves; a field whose arguments planning refused throws that refusal here,
 * at the field, as execution reports any resolver's error.
 */
export function planned<K extends FieldPlan['kind']>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  kind: K,
): Extract<FieldPlan, { kind: K }> {
  const plan = ctx.fieldPlan(info);
  if (plan.kind === 'refused') throw plan.error;
  if (plan.kind !== kind) {
    throw new Error(`unreachable: ${info.fieldName} planned as ${plan.kind}, resolved as ${kind}`);
  }
  return plan as Extract<FieldPlan, { kind: K }>;
}
