import { LOGIN_METHOD } from '../api/wire.js';
import type { RpcClient } from '../rpc/client.js';
import { ProtocolError } from '../rpc/errors.js';

export interface SessionOptions {
  readonly login: string;
  readonly password: string;
  /** Renew this long before `expire_at`, so no call goes out with a token about to lapse. */
  readonly renewBeforeMs: number;
  readonly now?: () => number;
}

interface Session {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * A session token obtained by `login.user` and renewed before it expires (a
 * session lives one hour). Concurrent requests share one login: while a login
 * is under way, every caller awaits the same promise.
 */
export class SessionTokenProvider {
  private session: Session | undefined;
  private pending: Promise<Session> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly client: Pick<RpcClient, 'call'>,
    private readonly options: SessionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A token valid for at least `renewBeforeMs`, logging in when needed. */
  async token(): Promise<string> {
    const session = this.session;
    if (session && session.expiresAt - this.now() > this.options.renewBeforeMs) {
      return session.token;
    }
    return (await this.login()).token;
  }

  /**
   * The API refused `token` as expired: log in again, once for all callers
   * that saw the same token, and return the new one.
   */
  async renew(expired: string): Promise<string> {
    if (this.session?.token === expired) this.session = undefined;
    return this.token();
  }

  private login(): Promise<Session> {
    this.pending ??= this.client
      .call(LOGIN_METHOD, { login: this.options.login, password: this.options.password })
      .then((result) => {
        const data = result.data as { access_token?: unknown; expire_at?: unknown } | undefined;
        if (typeof data?.access_token !== 'string' || typeof data.expire_at !== 'number') {
          throw new ProtocolError(LOGIN_METHOD, 'reply lacks access_token or expire_at');
        }
        this.session = { token: data.access_token, expiresAt: data.expire_at * 1000 };
        return this.session;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
