import { expect } from 'vitest';
import type { Stack } from './stack.js';

export interface WalkPage {
  readonly totalCount: number;
  readonly keys: string[];
  readonly pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export interface ListQuery {
  /** `availableNumbers` or `virtualNumberGroups`. */
  readonly field: 'availableNumbers' | 'virtualNumberGroups';
  readonly filter?: Record<string, unknown>;
  readonly orderBy?: readonly Record<string, unknown>[];
}

const KEY = { availableNumbers: 'phoneNumber', virtualNumberGroups: 'databaseId' } as const;

/** One page of a list, keys only, through the gateway. */
export async function listPage(
  stack: Stack,
  list: ListQuery,
  paging: Record<string, unknown>,
): Promise<WalkPage> {
  const type = list.field === 'availableNumbers' ? 'AvailableNumber' : 'VirtualNumberGroup';
  const query = `query Page($first: Int, $after: String, $last: Int, $before: String,
      $filter: ${type}Filter, $orderBy: [${type}Order!]) {
    ${list.field}(first: $first, after: $after, last: $last, before: $before,
        filter: $filter, orderBy: $orderBy) {
      totalCount
      nodes { key: ${KEY[list.field]} }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  const { body } = await stack.query(query, {
    ...paging,
    filter: list.filter ?? null,
    orderBy: list.orderBy ?? null,
  });
  expect(body.errors).toBeUndefined();
  const page = body.data?.[list.field] as {
    totalCount: number;
    nodes: { key: string | number }[];
    pageInfo: WalkPage['pageInfo'];
  };
  return { ...page, keys: page.nodes.map((n) => String(n.key)) };
}

/**
 * Pages through a whole list, forwards (`first`/`after`) or backwards
 * (`last`/`before`), calling `between` before every page but the first; returns
 * the keys in list order.
 */
export async function walk(
  stack: Stack,
  list: ListQuery,
  size: number,
  forward: boolean,
  between: (shown: readonly string[]) => void = () => undefined,
  /**
   * Whether a row already shown is still in the list: only then must the flag
   * toward them be true (with every shown row sold, it depends on rows added).
   */
  shownRemain: (shown: readonly string[]) => boolean = () => true,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; ; i++) {
    if (i > 0) between(seen);
    const paging: Record<string, unknown> = forward
      ? { first: size, after: cursor }
      : { last: size, before: cursor };
    const page: WalkPage = await listPage(stack, list, paging);
    const back = forward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (i === 0) expect(back).toBe(false);
    else if (shownRemain(seen)) expect(back).toBe(true);
    if (forward) seen.push(...page.keys);
    else seen.unshift(...page.keys);
    const more = forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return seen;
    expect(page.keys.length).toBeGreaterThan(0);
    cursor = forward ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (i > 10_000) throw new Error('the walk does not end');
  }
}
