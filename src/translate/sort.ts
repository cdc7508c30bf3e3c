import type { MethodDescription } from '../api/types.js';
import { columnEntries, graphqlFieldName, screamingSnake } from '../api/types.js';
import type { ApiSort } from '../api/wire.js';
import { BadUserInputError } from '../api/errors.js';

/** An order input as resolvers receive it: enum values already in the API's spelling. */
export interface OrderInput {
  readonly field: string;
  readonly direction?: 'asc' | 'desc' | null;
}

/** `orderBy` → `sort`, keeping the order of keys. Returns undefined for no ordering. */
export function toApiSort(
  orderBy: readonly OrderInput[] | null | undefined,
): ApiSort[] | undefined {
  if (!orderBy || orderBy.length === 0) return undefined;
  return orderBy.map(({ field, direction }) => ({ field, order: direction ?? 'asc' }));
}

/**
 * Refuses, before any call, an `orderBy` that no sort needs: more keys than
 * the method has sortable columns, or one column twice.
 */
export function checkOrderBy(
  method: MethodDescription,
  orderBy: readonly OrderInput[] | null | undefined,
): void {
  if (!orderBy) return;
  const sortable = columnEntries(method).filter(([, spec]) => spec.sortable);
  if (orderBy.length > sortable.length) {
    throw new BadUserInputError(
      `"orderBy" has ${orderBy.length} keys; the limit is ${sortable.length} (the sortable fields of ${method.typeName}).`,
      'orderBy',
    );
  }
  const seen = new Set<string>();
  for (const { field } of orderBy) {
    if (seen.has(field)) {
      const spec = method.columns[field];
      const name = spec ? screamingSnake(graphqlFieldName(field, spec)) : field;
      throw new BadUserInputError(`"orderBy" sorts by ${name} twice.`, 'orderBy');
    }
    seen.add(field);
  }
}
