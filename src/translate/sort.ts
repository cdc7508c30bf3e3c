import type { ApiSort } from '../api/wire.js';

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
