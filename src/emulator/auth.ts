/**
 * Who is calling: fixed keys for each case the gateway must handle, plus
 * sessions made by `login.user`. Token errors echo the token in `value`, as the
 * real API echoes values; redacting it is the gateway's job.
 */
import { randomBytes } from 'node:crypto';
import { EmulatorError } from './errors.js';

/** A customer's permanent key. */
export const DEMO_TOKEN = 'demo-token';
/** An agent's key: needs `user_id`, one of `AGENT_CUSTOMER_IDS`. */
export const AGENT_TOKEN = 'agent-token';
export const BLOCKED_TOKEN = 'blocked-token';
/** A temporary key past its end date. */
export const EXPIRED_TOKEN = 'expired-token';
export const AGENT_CUSTOMER_IDS: readonly number[] = [1001, 1002];
export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo-password';

export type Role = 'customer' | 'agent';

export interface Principal {
  readonly token: string;
  readonly role: Role;
}

export interface Session {
  readonly access_token: string;
  /** Unix seconds. */
  readonly expire_at: number;
}

type KeyState =
  | { readonly status: 'active'; readonly role: Role }
  | { readonly status: 'blocked' }
  | { readonly status: 'expired' };

const KEYS: ReadonlyMap<string, KeyState> = new Map<string, KeyState>([
  [DEMO_TOKEN, { status: 'active', role: 'customer' }],
  [AGENT_TOKEN, { status: 'active', role: 'agent' }],
  [BLOCKED_TOKEN, { status: 'blocked' }],
  [EXPIRED_TOKEN, { status: 'expired' }],
]);

export interface AuthOptions {
  readonly sessionTtlSeconds: number;
  readonly now: () => number;
}

export class Auth {
  /** Session token → expiry (ms). Expired sessions stay, to answer `access_token_expired`. */
  private readonly sessions = new Map<string, number>();

  constructor(private readonly options: AuthOptions) {}

  identify(token: unknown): Principal {
    if (token === undefined || token === null) {
      throw new EmulatorError('required_parameter_missed', { field: 'access_token' });
    }
    if (typeof token !== 'string') {
      throw new EmulatorError('data_type_error', { field: 'access_token', value: token });
    }
    const key = KEYS.get(token) ?? this.sessionState(token);
    if (key === undefined) {
      throw new EmulatorError('access_token_invalid', { field: 'access_token', value: token });
    }
    if (key.status === 'blocked') {
      throw new EmulatorError('access_token_blocked', { field: 'access_token', value: token });
    }
    if (key.status === 'expired') {
      throw new EmulatorError('access_token_expired', { field: 'access_token', value: token });
    }
    return { token, role: key.role };
  }

  /** Agents act for one of their customers; customers' `user_id` is ignored. */
  authorizeUser(principal: Principal, userId: unknown): void {
    if (userId === undefined || userId === null) {
      if (principal.role === 'agent') {
        throw new EmulatorError('required_parameter_missed', { field: 'user_id' });
      }
      return;
    }
    if (typeof userId !== 'number' || !Number.isInteger(userId)) {
      throw new EmulatorError('data_type_error', { field: 'user_id', value: userId });
    }
    if (principal.role === 'agent' && !AGENT_CUSTOMER_IDS.includes(userId)) {
      throw new EmulatorError('forbidden', { field: 'user_id', value: userId });
    }
  }

  login(login: unknown, password: unknown): Session {
    requireString('login', login);
    requireString('password', password);
    if (login !== DEMO_LOGIN || password !== DEMO_PASSWORD) throw new EmulatorError('auth_error');
    const token = randomBytes(20).toString('hex');
    const expiresAt = this.options.now() + this.options.sessionTtlSeconds * 1000;
    this.sessions.set(token, expiresAt);
    return { access_token: token, expire_at: Math.floor(expiresAt / 1000) };
  }

  /** Ends a session; a permanent key is left as it is. */
  logout(token: unknown): void {
    const principal = this.identify(token);
    this.sessions.delete(principal.token);
  }

  private sessionState(token: string): KeyState | undefined {
    const expiresAt = this.sessions.get(token);
    if (expiresAt === undefined) return undefined;
    return this.options.now() >= expiresAt
      ? { status: 'expired' }
      : { status: 'active', role: 'customer' };
  }
}

function requireString(field: string, value: unknown): asserts value is string {
  if (value === undefined || value === null) {
    throw new EmulatorError('required_parameter_missed', { field });
  }
  if (typeof value !== 'string') throw new EmulatorError('data_type_error', { field, value });
}
