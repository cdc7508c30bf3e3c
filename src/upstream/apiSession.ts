import type { ApiVersionInfo, GetParams, GetResult, Metadata, RateLimits } from '../api/wire.js';
import { MissingTokenError } from '../api/errors.js';
import type { RpcCallEvent, RpcClient } from '../rpc/client.js';

/** The part of the RPC client a request uses (tests substitute a recording fake). */
export type DataApiClient = Pick<RpcClient, 'get'>;
import { RpcError, clientGone, outcomeOf } from '../rpc/errors.js';
import type { SessionTokenProvider } from './sessionAuth.js';
import { inCallSpan } from '../observability/telemetry.js';
import type { Span } from '@opentelemetry/api';

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
    private readonly onLimits?: (limits: RateLimits) => void,
    private readonly maxTokens = 1000,
  ) {}

  limitsFor(token: string): RateLimits | undefined {
    return this.limitsByToken.get(token);
  }

  remember(token: string, metadata: Metadata): void {
    if (metadata.limits) {
      this.onLimits?.(metadata.limits);
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

/** Where a request's access token comes from. */
export type Credential =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'session'; readonly provider: SessionTokenProvider };

/** Milliseconds since `started`, to a tenth: finer is noise in a log line. */
function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * The API as one GraphQL request sees it: its credential, its default
 * `user_id`, and the metadata of the replies it received.
 */
export class ApiSession {
  private lastLimits: RateLimits | undefined;
  apiVersion: ApiVersionInfo | undefined;
  /** The operation's span, parent of each call's span. */
  traceParent: Span | undefined;

  constructor(
    private readonly client: DataApiClient,
    private readonly memory: UpstreamMemory,
    private readonly credential: Credential | undefined,
    readonly defaultUserId: number | undefined,
    /** `performance.now()` instant after which API calls are abandoned. */
    private readonly deadline?: number,
    private readonly onCall?: (record: RpcCallEvent) => void,
    /**
     * Fires when the request's client goes away: no call starts after it, and
     * calls waiting for it are left (cancelled unless another request shares them).
     */
    private readonly signal?: AbortSignal,
  ) {}

  /** Rate limits are per account: a session's token changes, its account does not. */
  private get credentialKey(): string | undefined {
    if (!this.credential) return undefined;
    return this.credential.kind === 'token' ? this.credential.token : 'session';
  }

  /** Rate limits from the last reply this request saw, else the last seen for its credential. */
  get rateLimit(): RateLimits | undefined {
    const key = this.credentialKey;
    return this.lastLimits ?? (key ? this.memory.limitsFor(key) : undefined);
  }

  async get(method: string, params: GetParams): Promise<GetResult> {
    const credential = this.credential;
    if (!credential) throw new MissingTokenError();
    if (this.signal?.aborted) throw clientGone(method);
    const token =
      credential.kind === 'token' ? credential.token : await credential.provider.token();
    try {
      return await this.send(method, params, token);
    } catch (error) {
      // A session may lapse between our check and the API's: log in again once and repeat.
      if (
        credential.kind === 'session' &&
        error instanceof RpcError &&
        error.mnemonic === 'access_token_expired'
      ) {
        return this.send(method, params, await credential.provider.renew(token));
      }
      throw error;
    }
  }

  private async send(method: string, params: GetParams, token: string): Promise<GetResult> {
    const started = performance.now();
    const key = this.credentialKey ?? token;
    try {
      const result = await inCallSpan(this.traceParent, method, () =>
        this.client.get(method, { access_token: token, ...params }, this.deadline, this.signal),
      );
      this.observe(key, result.metadata);
      this.onCall?.({
        method,
        durationMs: elapsedMs(started),
        outcome: 'ok',
        rows: result.data.length,
      });
      return result;
    } catch (error) {
      if (error instanceof RpcError && error.metadata) this.observe(key, error.metadata);
      this.onCall?.({
        method,
        durationMs: elapsedMs(started),
        outcome: outcomeOf(error),
        ...(error instanceof RpcError && error.mnemonic ? { mnemonic: error.mnemonic } : {}),
      });
      throw error;
    }
  }

  private observe(key: string, metadata: Metadata): void {
    if (metadata.limits) this.lastLimits = metadata.limits;
    if (metadata.api_version) this.apiVersion = metadata.api_version;
    this.memory.remember(key, metadata);
  }
}
