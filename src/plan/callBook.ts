/**
 * The distinct Data API calls of one operation, collected while its fields are
 * planned and merged when planning ends, by the rules the API allows:
 * - list pages that differ only in `fields` are one call asking for the union;
 * - a count (only `metadata.total_items` wanted) rides on any page call with
 *   the same method, `user_id` and filter, else is one call of one row for
 *   every count of that filter;
 * - look-ups by key (`node`, `nodes`, `_entities`) of one type and customer are
 *   one call with an `in` filter per `maxKeysPerCall` keys.
 */
import type { MethodDescription } from '../api/types.js';
import type { ApiFilter, GetParams } from '../api/wire.js';
import type { UpstreamCall } from '../upstream/callTable.js';

/** A call a field will use, known once the book is closed. */
export interface CallHandle {
  readonly call: UpstreamCall;
}

class Handle implements CallHandle {
  private settled: UpstreamCall | undefined;

  get call(): UpstreamCall {
    if (!this.settled) throw new Error('unreachable: a call asked for before planning ended');
    return this.settled;
  }

  settle(call: UpstreamCall): void {
    this.settled = call;
  }
}

type Params = Omit<GetParams, 'fields'>;

/** The entry of `id`, made by `make` the first time it is asked for. */
function entryOf<T>(entries: Map<string, T>, id: string, make: () => T): T {
  let entry = entries.get(id);
  if (entry === undefined) {
    entry = make();
    entries.set(id, entry);
  }
  return entry;
}

/** A new handle waiting, with `handles`, on one call. */
function waitOn(handles: Handle[]): CallHandle {
  const handle = new Handle();
  handles.push(handle);
  return handle;
}

/** The identity of a call: method and every param but `fields`. */
function callId(method: string, params: Params): string {
  return JSON.stringify([method, params]);
}

/** The identity of a list's total: what `total_items` depends on. */
function countId(method: string, userId: number | undefined, filter: ApiFilter | undefined) {
  return JSON.stringify([method, userId ?? null, filter ?? null]);
}

interface PageEntry {
  readonly method: string;
  readonly params: Params;
  readonly fields: Set<string>;
  readonly handles: Handle[];
}

interface CountEntry {
  readonly method: MethodDescription;
  readonly userId: number | undefined;
  readonly filter: ApiFilter | undefined;
  readonly handles: Handle[];
}

interface KeyEntry {
  readonly method: MethodDescription;
  readonly userId: number | undefined;
  /** Distinct keys in first-asked order, each with the handles waiting on it. */
  readonly keys: Map<string, { readonly key: string | number; readonly handles: Handle[] }>;
  readonly fields: Set<string>;
}

export class CallBook {
  private readonly pages = new Map<string, PageEntry>();
  private readonly counts = new Map<string, CountEntry>();
  private readonly lookups = new Map<string, KeyEntry>();
  private closed: readonly UpstreamCall[] | undefined;

  constructor(private readonly maxKeysPerCall: number) {}

  /** A page of a list: `params` without `fields`, and the columns it needs. */
  page(method: string, params: Params, fields: readonly string[]): CallHandle {
    const entry = entryOf(this.pages, callId(method, params), () => ({
      method,
      params,
      fields: new Set<string>(),
      handles: [],
    }));
    for (const field of fields) entry.fields.add(field);
    return waitOn(entry.handles);
  }

  /** A call whose `total_items` is the number of rows `filter` matches. */
  count(
    method: MethodDescription,
    userId: number | undefined,
    filter: ApiFilter | undefined,
  ): CallHandle {
    const entry = entryOf(this.counts, countId(method.method, userId, filter), () => ({
      method,
      userId,
      filter,
      handles: [],
    }));
    return waitOn(entry.handles);
  }

  /** The row of `key`, with `columns`, for rows of `method` of customer `userId`. */
  lookup(
    method: MethodDescription,
    userId: number | undefined,
    key: string | number,
    columns: readonly string[],
  ): CallHandle {
    const entry = entryOf<KeyEntry>(
      this.lookups,
      JSON.stringify([method.method, userId ?? null]),
      () => ({
        method,
        userId,
        keys: new Map(),
        fields: new Set([method.key]),
      }),
    );
    for (const column of columns) entry.fields.add(column);
    const waiting = entryOf(entry.keys, `${typeof key}:${String(key)}`, () => ({
      key,
      handles: [],
    }));
    return waitOn(waiting.handles);
  }

  /** Merges what was asked into the operation's calls and settles every handle. */
  close(): readonly UpstreamCall[] {
    if (this.closed) return this.closed;
    const calls: UpstreamCall[] = [];
    const totals = new Map<string, UpstreamCall>();
    for (const entry of this.pages.values()) {
      const call: UpstreamCall = {
        id: callId(entry.method, entry.params),
        method: entry.method,
        params: { ...entry.params, fields: [...entry.fields] },
      };
      calls.push(call);
      for (const handle of entry.handles) handle.settle(call);
      const total = countId(entry.method, entry.params.user_id, entry.params.filter);
      if (!totals.has(total)) totals.set(total, call);
    }
    for (const [id, entry] of this.counts) {
      let call = totals.get(id);
      if (!call) {
        // One row of the key column, unsorted: the cheapest call that returns the total.
        const params: Params = {
          ...(entry.userId === undefined ? {} : { user_id: entry.userId }),
          ...(entry.filter ? { filter: entry.filter } : {}),
          offset: 0,
          limit: 1,
        };
        call = {
          id: callId(entry.method.method, params),
          method: entry.method.method,
          params: { ...params, fields: [entry.method.key] },
        };
        calls.push(call);
      }
      for (const handle of entry.handles) handle.settle(call);
    }
    for (const entry of this.lookups.values()) {
      const waiting = [...entry.keys.values()];
      for (let from = 0; from < waiting.length; from += this.maxKeysPerCall) {
        const chunk = waiting.slice(from, from + this.maxKeysPerCall);
        const params: Params = {
          ...(entry.userId === undefined ? {} : { user_id: entry.userId }),
          filter: { field: entry.method.key, operator: 'in', value: chunk.map((k) => k.key) },
          limit: chunk.length,
        };
        const call: UpstreamCall = {
          id: callId(entry.method.method, params),
          method: entry.method.method,
          params: { ...params, fields: [...entry.fields] },
        };
        calls.push(call);
        for (const { handles } of chunk) for (const handle of handles) handle.settle(call);
      }
    }
    this.closed = calls;
    return calls;
  }
}
