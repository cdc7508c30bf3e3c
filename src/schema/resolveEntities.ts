/**
 * Federation entity references (`_entities(representations:)`), read one by
 * one while planning (plan/lookupFields.ts): a representation that names no
 * entity of ours, lacks its key or has a malformed or over-long key is a
 * BAD_USER_INPUT error at its own index (null there), never a failure of the
 * whole list, and costs no call. The number of representations is bounded
 * before execution (http/plugins/plan.ts).
 */
import type { Row } from '../api/wire.js';
import type { LookupFieldPlan } from '../plan/lookupFields.js';
import type { CallTable } from '../upstream/callTable.js';
import { resolveLookup } from './resolveLookup.js';

/** The abstract `_Entity` type is resolved by `__typename`, as @apollo/subgraph does it. */
function typed(row: Row | null, typeName: string): Row | null {
  if (row) Object.defineProperty(row, '__typename', { value: typeName });
  return row;
}

/**
 * Resolves `_entities`: in order, a row, null (no such row) or an error, per
 * representation. References of one type share the plan's calls, asking for
 * the columns the selection needs on that type.
 */
export function resolveEntities(
  plan: LookupFieldPlan,
  calls: CallTable,
): (Promise<Row | null> | Error | null)[] {
  return plan.items.map((item) =>
    item === null || item instanceof Error
      ? item
      : resolveLookup(item, calls).then((row) => typed(row, item.method.typeName)),
  );
}
