import DataLoader from 'dataloader';
import type { GetParams, GetResult } from '../api/wire.js';
import { ProtocolError } from '../rpc/errors.js';
import type { ReplyBytes } from '../rpc/replyBytes.js';
import { replyBytesOf } from '../rpc/replyBytes.js';
import type { ApiSession } from './apiSession.js';

/**
 * One Data API call an operation's plan will make (plan/): which method, with
 * which params, under an id that is the same for every field that shares it.
 */
export interface UpstreamCall {
  /** Equal ids are one call: the plan has already merged them. */
  readonly id: string;
  readonly method: string;
  readonly params: GetParams;
}

/**
 * A request's calls, each made at most once, when a resolver first asks for
 * it. The plan decided which calls exist and what each carries; this only
 * runs them (DataLoader dedups by id and batches one tick's first asks).
 */
export class CallTable {
  private readonly loader: DataLoader<UpstreamCall, GetResult, string>;
  private readonly kept: ReplyBytes[] = [];

  constructor(api: Pick<ApiSession, 'get'>) {
    this.loader = new DataLoader<UpstreamCall, GetResult, string>(
      (calls) =>
        Promise.all(
          calls.map((call) =>
            api
              .get(call.method, call.params)
              .then((result) => {
                const bytes = replyBytesOf(result.data);
                if (bytes) this.kept.push(bytes);
                return result;
              })
              .catch((error: unknown) =>
                error instanceof Error ? error : new Error(String(error)),
              ),
          ),
        ),
      { cacheKeyFn: (call) => call.id },
    );
  }

  /** The bytes of this request's replies, where kept (rows can be written from them). */
  get replies(): readonly ReplyBytes[] {
    return this.kept;
  }

  /** The reply of a planned call. */
  result(call: UpstreamCall): Promise<GetResult> {
    return this.loader.load(call);
  }

  /** `metadata.total_items` of a planned call: the rows its filter matches. */
  async total(call: UpstreamCall): Promise<number> {
    const { metadata } = await this.result(call);
    const total = metadata.total_items;
    if (typeof total !== 'number') throw new ProtocolError(call.method, 'no metadata.total_items');
    return total;
  }
}
