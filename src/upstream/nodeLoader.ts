import DataLoader from 'dataloader';
import type { MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import type { ApiSession } from './apiSession.js';

export interface NodeRequest {
  /** Value of the method's key column. */
  readonly key: string | number;
  /** Columns the selection needs. */
  readonly columns: readonly string[];
}

/**
 * Per-request loader of rows by key, for `node`/`nodes`.
 *
 * Batch contract: returns one row (or null when the API has none) or one Error
 * per request, in request order. All look-ups of one tick become a single call
 * with an `in` filter on the key and the union of the selected columns.
 */
export function createNodeLoader(
  api: Pick<ApiSession, 'get' | 'defaultUserId'>,
  method: MethodDescription,
  maxBatchSize: number,
  userId: number | undefined = api.defaultUserId,
): DataLoader<NodeRequest, Row | null, string> {
  return new DataLoader<NodeRequest, Row | null, string>(
    async (requests) => {
      const keys = [...new Set(requests.map((r) => r.key))];
      const fields = [...new Set([method.key, ...requests.flatMap((r) => r.columns)])];
      const result = await api.get(method.method, {
        ...(userId === undefined ? {} : { user_id: userId }),
        filter: { field: method.key, operator: 'in', value: keys },
        limit: keys.length,
        fields,
      });
      const rows = new Map(result.data.map((row) => [String(row[method.key]), row]));
      return requests.map((r) => rows.get(String(r.key)) ?? null);
    },
    {
      cacheKeyFn: (r) => `${typeof r.key}:${String(r.key)}|${[...r.columns].sort().join(',')}`,
      maxBatchSize,
    },
  );
}
