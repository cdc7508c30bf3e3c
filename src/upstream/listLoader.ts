import DataLoader from 'dataloader';
import type { GetParams, GetResult } from '../api/wire.js';
import type { ApiSession } from './apiSession.js';

export interface ListRequest {
  readonly method: string;
  readonly params: GetParams;
  /**
   * Only `metadata.total_items` is wanted: any call in the same batch with the
   * same method, `user_id` and filter can answer it.
   */
  readonly countOnly?: boolean;
}

function withoutFields({ fields: _fields, ...rest }: GetParams): GetParams {
  return rest;
}

function unionFields(requests: readonly ListRequest[]): string[] | undefined {
  const fields = new Set<string>();
  for (const { params } of requests) {
    // One request for every column means the merged call wants them all.
    if (!params.fields) return undefined;
    for (const field of params.fields) fields.add(field);
  }
  return [...fields];
}

// Plain JSON.stringify is a sound key: params are built in a fixed key order and
// GraphQL coerces filter inputs in their type's field order. (A stable stringify
// cost 4 % of the gateway's CPU on small pages.) Each request's key is made once:
// the loader's cache and the batch both ask for it.
const callKeys = new WeakMap<ListRequest, string>();
function callKey(r: ListRequest): string {
  let key = callKeys.get(r);
  if (key === undefined) {
    key = JSON.stringify([r.method, withoutFields(r.params)]);
    callKeys.set(r, key);
  }
  return key;
}
const countKey = (r: ListRequest) =>
  JSON.stringify([r.method, r.params.user_id ?? null, r.params.filter ?? null]);
/** The call's key plus what it asks of the call (field names hold no `|` or `,`). */
const requestKey = (r: ListRequest) =>
  `${callKey(r)}|${r.countOnly ? 'count' : (r.params.fields?.join(',') ?? '*')}`;

/**
 * Per-request loader of `get.*` pages.
 *
 * Batch contract: receives every request made in one tick and returns one
 * result or one Error per request, in request order. Requests that differ only
 * in `fields` share one call whose `fields` is the union (the API sends only the
 * columns asked for); count-only requests ride on any call with the same filter.
 */
export function createListLoader(
  api: Pick<ApiSession, 'get'>,
): DataLoader<ListRequest, GetResult, string> {
  return new DataLoader<ListRequest, GetResult, string>(
    async (requests) => {
      const groups = new Map<string, ListRequest[]>();
      for (const request of requests) {
        if (request.countOnly) continue;
        const key = callKey(request);
        groups.set(key, [...(groups.get(key) ?? []), request]);
      }
      const calls = new Map<string, Promise<GetResult>>();
      const totals = new Map<string, Promise<GetResult>>();
      // Totals are looked up only for count-only requests; most batches have none.
      const counting = requests.some((request) => request.countOnly);
      const call = (group: readonly [ListRequest, ...ListRequest[]]): void => {
        const [first] = group;
        const fields = group.length === 1 ? first.params.fields : unionFields(group);
        const params =
          fields === first.params.fields
            ? first.params
            : { ...withoutFields(first.params), ...(fields ? { fields } : {}) };
        const result = api.get(first.method, params);
        calls.set(callKey(first), result);
        if (!counting) return;
        const total = countKey(first);
        if (!totals.has(total)) totals.set(total, result);
      };
      for (const [first, ...rest] of groups.values()) if (first) call([first, ...rest]);
      for (const request of requests) {
        if (request.countOnly && !totals.has(countKey(request))) call([request]);
      }
      return Promise.all(
        requests.map((request) => {
          const page = request.countOnly
            ? totals
                .get(countKey(request))
                ?.then(({ metadata }): GetResult => ({ metadata, data: [] }))
            : calls.get(callKey(request));
          return (page ?? Promise.reject(new Error('unreachable: request without a call'))).catch(
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          );
        }),
      );
    },
    { cacheKeyFn: requestKey },
  );
}
