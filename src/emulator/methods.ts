/** The emulated JSON-RPC methods: `login.user`, `logout.user` and every described `get`. */
import { METHODS } from '../api/index.js';
import type { MethodDescription } from '../api/types.js';
import type { ApiVersionInfo, Row } from '../api/wire.js';
import { LOGIN_METHOD, LOGOUT_METHOD, METHOD_PARAMS } from '../api/wire.js';
import type { Auth } from './auth.js';
import { EmulatorError, toEmulatorError } from './errors.js';
import type { RateLimiter } from './limits.js';
import type { Random } from './random.js';
import { runQuery } from './query.js';

export interface MethodContext {
  readonly auth: Auth;
  readonly limiter: RateLimiter;
  /** Rows of each `get` method, by method name; a method without a table has no rows. */
  readonly tables: ReadonlyMap<string, readonly Row[]>;
  /** Serve as a deprecated version: successes carry `metadata.api_version`. */
  readonly deprecatedVersion: boolean;
  /** Set when rows come in an unspecified order, as from the real API (see runQuery). */
  readonly random?: Random;
}

export type Params = Readonly<Record<string, unknown>>;
export type MethodHandler = (context: MethodContext, params: Params) => unknown;

const DEPRECATION: ApiVersionInfo = {
  current_version_deprecated: true,
  current_version: '2.0',
  latest_version: '2.1',
};

const GET_PARAMS: ReadonlySet<string> = new Set(METHOD_PARAMS.get);
const LOGIN_PARAMS: ReadonlySet<string> = new Set(METHOD_PARAMS.login);
const LOGOUT_PARAMS: ReadonlySet<string> = new Set(METHOD_PARAMS.logout);

function rejectUnexpected(params: Params, known: ReadonlySet<string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (!known.has(name)) throw new EmulatorError('unexpected_parameters', { field: name, value });
  }
}

function versionMetadata(context: MethodContext): { api_version?: ApiVersionInfo } {
  return context.deprecatedVersion ? { api_version: DEPRECATION } : {};
}

function get(context: MethodContext, description: MethodDescription, params: Params): unknown {
  const principal = context.auth.identify(params.access_token);
  const { token } = principal;
  try {
    context.limiter.check(token);
    context.auth.authorizeUser(principal, params.user_id);
    rejectUnexpected(params, GET_PARAMS);
    const rows = context.tables.get(description.method) ?? [];
    const { total_items, data } = runQuery(description, rows, params, context.random);
    context.limiter.charge(token);
    const limits = context.limiter.snapshot(token);
    return { metadata: { total_items, limits, ...versionMetadata(context) }, data };
  } catch (error) {
    // Once the token is known, every error carries its limits.
    const failure = toEmulatorError(error);
    failure.limits ??= context.limiter.snapshot(token);
    throw failure;
  }
}

// Sessions are not charged: there is no token before login, and logout spends nothing.
function login(context: MethodContext, params: Params): unknown {
  rejectUnexpected(params, LOGIN_PARAMS);
  const session = context.auth.login(params.login, params.password);
  return { ...metadataOnly(context), data: session };
}

function logout(context: MethodContext, params: Params): unknown {
  rejectUnexpected(params, LOGOUT_PARAMS);
  context.auth.logout(params.access_token);
  return { ...metadataOnly(context), data: {} };
}

function metadataOnly(context: MethodContext): { metadata?: { api_version?: ApiVersionInfo } } {
  return context.deprecatedVersion ? { metadata: versionMetadata(context) } : {};
}

export function findMethod(name: string): MethodHandler | undefined {
  if (name === LOGIN_METHOD) return login;
  if (name === LOGOUT_METHOD) return logout;
  const description = METHODS.get(name);
  if (description === undefined) return undefined;
  return (context, params) => get(context, description, params);
}
