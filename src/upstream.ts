import type { ApiVersionInfo, GetParams, GetResult, Metadata, RateLimits } from './api/wire.js';
import { MissingTokenError } from './errors.js';
import type { RpcClient } from './rpc/client.js';

/** The part of the RPC client a request uses (tests substitute a recording fake). */
export type DataApiClient = Pick<RpcClient, 'get'>;
import { RpcError } from './rpc/errors.js';

/**
 * What the gateway remembers across requests about the API: the last rate-limit
 * figures per credential (so a request that made no call still reports them, and
 * never another credential's) and whether the deprecation was already logged.
 */
export class UpstreamMemory {
  private readonly limitsByToken = new Map<string, RateLimits>();
  private deprecationLogged = false;

  constructor(
    private readonly onDeprecated: (info: ApiVersionInfo) => void,
    private readonly maxTokens = 1000,
  ) {}

  limitsFor(token: string): RateLimits | undefined {
    return this.limitsByToken.get(token);
  }

  remember(token: string, metadata: Metadata): void {
    if (metadata.limits) {
      // Re-inserting keeps the map in recency order; the oldest is evicted first.
      this.limitsByToken.delete(token);
      this.limitsByToken.set(token, metadata.limits);
      if (this.limitsByToken.size > this.maxTokens) {
        const oldest = this.limitsByToken.keys().next();
        if (!oldest.done) this.limitsByToken.delete(oldest.value);
      }
    }
    if (metadata.api_version?.current_version_deprecated && !this.deprecationLogged) {
      this.deprecationLogged = true;
      this.onDeprecated(metadata.api_version);
    }
  }
}

/**
 * The API as one GraphQL request sees it: its credential, its default
 * `user_id`, and the metadata of the replies it received.
 */
export class ApiSession {
  private lastLimits: RateLimits | undefined;
  apiVersion: ApiVersionInfo | undefined;

  constructor(
    private readonly client: DataApiClient,
    private readonly memory: UpstreamMemory,
    private readonly token: string | undefined,
    readonly defaultUserId: number | undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** Rate limits from the last reply this request saw, else the last seen for its token. */
  get rateLimit(): RateLimits | undefined {
    return this.lastLimits ?? (this.token ? this.memory.limitsFor(this.token) : undefined);
  }

  async get(method: string, params: GetParams): Promise<GetResult> {
    if (!this.token) throw new MissingTokenError();
    try {
      const result = await this.client.get(
        method,
        { access_token: this.token, ...params },
        this.signal,
      );
      this.observe(this.token, result.metadata);
      return result;
    } catch (error) {
      if (error instanceof RpcError && error.metadata) this.observe(this.token, error.metadata);
      throw error;
    }
  }

  private observe(token: string, metadata: Metadata): void {
    if (metadata.limits) this.lastLimits = metadata.limits;
    if (metadata.api_version) this.apiVersion = metadata.api_version;
    this.memory.remember(token, metadata);
  }
}
