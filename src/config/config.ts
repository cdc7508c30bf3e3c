import { z } from 'zod';
import { WIDEST_ROW } from '../api/index.js';
import { API_LIMITS } from '../api/wire.js';
import { leavesOf, variable } from './variable.js';

/**
 * Environment → typed configuration, declared once: each leaf names its
 * variable, parses it, holds its default and documents it. `Config` is the
 * schema's output type, and the reference tables in docs/configuration.md and
 * the README are generated from it (`npm run config:docs`, checked in `npm test`).
 */
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(emptyAsUndefined, schema.optional());
const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

const declared = z.object({
  port: variable(port.default(4000), {
    env: 'PORT',
    group: 'server',
    doc: 'port to listen on (`0`: any free port, logged)',
    essential: true,
  }),
  host: variable(z.string().min(1).default('0.0.0.0'), {
    env: 'HOST',
    group: 'server',
    doc: 'address to listen on',
    essential: true,
  }),
  nodeEnv: variable(z.enum(['development', 'production', 'test']).default('production'), {
    env: 'NODE_ENV',
    group: 'server',
    doc: '`development` adds the original error to masked errors',
  }),
  logLevel: variable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    {
      env: 'LOG_LEVEL',
      group: 'server',
      doc: '`fatal` `error` `warn` `info` `debug` `trace` `silent` (JSON logs on stdout)',
      essential: true,
    },
  ),
  instanceId: variable(
    // Shown in a response header: a plain token, never anything that needs escaping.
    optional(z.string().regex(/^[\w.:-]{1,128}$/, 'letters, digits, . _ : - only, at most 128')),
    {
      env: 'INSTANCE_ID',
      group: 'server',
      doc: 'name of this replica, sent as the `x-served-by` response header (e.g. the pod name); letters, digits, `.` `_` `:` `-`; unset: no header',
    },
  ),
  // 0 cuts requests in flight at once; the cap keeps a typo from hanging a deploy.
  shutdownGraceMs: variable(z.coerce.number().int().min(0).max(300_000).default(10_000), {
    env: 'SHUTDOWN_GRACE_MS',
    group: 'server',
    doc: 'time SIGTERM/SIGINT waits for requests in flight before cutting them off (then exit 1); `0`: no wait',
  }),
  compressionMinBytes: variable(positiveInt.default(1024), {
    env: 'COMPRESSION_MIN_BYTES',
    group: 'server',
    doc: 'replies of at least this many bytes are compressed with br or gzip when the client accepts it (`Accept-Encoding`)',
  }),
  /** How long the HTTP server waits for a client; a slow one is cut off with 408. */
  http: z.object({
    headersTimeoutMs: variable(positiveInt.max(300_000).default(10_000), {
      env: 'HTTP_HEADERS_TIMEOUT_MS',
      group: 'server',
      doc: 'time a client has to send its request headers (on a new or an idle keep-alive connection); then 408 and the connection closed',
    }),
    requestTimeoutMs: variable(positiveInt.max(600_000).default(30_000), {
      env: 'HTTP_REQUEST_TIMEOUT_MS',
      group: 'server',
      doc: 'time a client has to send its whole request, body included (not counting the answer); then 408; at least `HTTP_HEADERS_TIMEOUT_MS`',
    }),
    keepAliveTimeoutMs: variable(positiveInt.max(600_000).default(5_000), {
      env: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
      group: 'server',
      doc: "an idle keep-alive connection is closed after this long (set it above a load balancer's idle timeout)",
    }),
  }),

  dataApiUrl: variable(optional(z.url({ protocol: /^https?$/ })), {
    env: 'DATA_API_URL',
    group: 'upstream',
    doc: 'the Data API endpoint, e.g. `https://dataapi.uiscom.ru/v2.0` or `https://dataapi.comagic.ru/v2.0`; unset: start the embedded emulator',
    essential: true,
  }),
  dataApiToken: variable(optional(z.string()), {
    env: 'DATA_API_TOKEN',
    group: 'upstream',
    doc: 'access token used when a request has no `Authorization` header; one other than `Bearer <token>` is refused (401), never run with this token',
    defaultDoc: 'unset (emulator: its demo token)',
    essential: true,
  }),
  dataApiUserId: variable(optional(positiveInt), {
    env: 'DATA_API_USER_ID',
    group: 'upstream',
    doc: 'agents only: default `user_id` for calls that do not pass `userId` (and for `node`/`nodes`)',
    essential: true,
  }),
  dataApiLogin: variable(optional(z.string()), {
    env: 'DATA_API_LOGIN',
    group: 'upstream',
    doc: 'with `DATA_API_PASSWORD`: log in with `login.user` when a request brings no token and `DATA_API_TOKEN` is unset (see [Session authentication](operations.md#session-authentication))',
    essential: true,
  }),
  dataApiPassword: variable(optional(z.string()), {
    env: 'DATA_API_PASSWORD',
    group: 'upstream',
    doc: 'the password of `DATA_API_LOGIN`',
    essential: true,
  }),
  sessionRenewMs: variable(positiveInt.default(300_000), {
    env: 'DATA_API_SESSION_RENEW_MS',
    group: 'upstream',
    doc: 'renew a session this long before it expires',
  }),
  timeoutMs: variable(positiveInt.max(300_000).default(10_000), {
    env: 'DATA_API_TIMEOUT_MS',
    group: 'upstream',
    doc: 'timeout of one API call',
  }),
  emulatorPort: variable(port.default(0), {
    env: 'EMULATOR_PORT',
    group: 'upstream',
    doc: 'port of the embedded emulator and of `npm run emulator` (loopback only; `0`: any free port, logged)',
  }),

  /** How the gateway protects itself and the API from a slow or failing API. */
  resilience: z.object({
    retries: variable(z.coerce.number().int().min(0).max(5).default(2), {
      env: 'DATA_API_RETRIES',
      group: 'resilience',
      doc: 'retries of a `get.*` call that failed in transport (connection refused/reset, timeout, HTTP 502/503/504); JSON-RPC errors are never retried',
    }),
    retryBaseMs: variable(positiveInt.max(10_000).default(200), {
      env: 'DATA_API_RETRY_BASE_MS',
      group: 'resilience',
      doc: 'first retry delay; doubles per retry, plus up to as much random jitter',
    }),
    maxConcurrency: variable(positiveInt.max(1000).default(16), {
      env: 'DATA_API_MAX_CONCURRENCY',
      group: 'resilience',
      doc: 'API calls in flight at once (per gateway process); the rest queue',
    }),
    breaker: z.object({
      errorThresholdPercentage: variable(positiveInt.max(100).default(50), {
        env: 'DATA_API_BREAKER_THRESHOLD_PERCENT',
        group: 'resilience',
        doc: 'share of failed calls (transport failures only) that opens the circuit breaker',
      }),
      volumeThreshold: variable(positiveInt.default(5), {
        env: 'DATA_API_BREAKER_MIN_CALLS',
        group: 'resilience',
        doc: 'calls in the rolling window (10 s) before the breaker may open',
      }),
      resetTimeoutMs: variable(positiveInt.default(10_000), {
        env: 'DATA_API_BREAKER_RESET_MS',
        group: 'resilience',
        doc: 'how long an open breaker fails fast before letting one probe call through',
      }),
    }),
    deadlineMs: variable(positiveInt.max(600_000).default(30_000), {
      env: 'REQUEST_DEADLINE_MS',
      group: 'resilience',
      doc: 'budget of one GraphQL request, API calls and retries included',
    }),
  }),

  /**
   * Work in flight the process takes on (http/workGate.ts): past these bounds
   * a request is refused at once with 503 SERVICE_OVERLOADED and Retry-After.
   */
  work: z.object({
    maxRequests: variable(positiveInt.max(100_000).default(256), {
      env: 'WORK_MAX_REQUESTS',
      group: 'resilience',
      doc: 'GraphQL operations in flight at once, small or big, running or waiting for rows; more are refused (503 `SERVICE_OVERLOADED`, `Retry-After`)',
    }),
    maxRows: variable(positiveInt.default(20_000), {
      env: 'WORK_MAX_ROWS',
      group: 'resilience',
      doc: 'rows (page sizes asked for) of big operations running at once; a big one past it waits for `WORK_QUEUE_MS`, then is refused (503). One big operation alone always runs',
    }),
    smallRows: variable(z.coerce.number().int().min(0).default(100), {
      env: 'WORK_SMALL_ROWS',
      group: 'resilience',
      doc: 'an operation asking for at most this many rows is small: it never waits for rows, only for `WORK_MAX_REQUESTS`',
    }),
    queueMs: variable(z.coerce.number().int().min(0).max(600_000).default(10_000), {
      env: 'WORK_QUEUE_MS',
      group: 'resilience',
      doc: 'how long a big operation may wait for rows before it is refused; at most half of `WORK_MAX_REQUESTS` wait at once; `0`: refused at once',
    }),
  }),

  /** Reuse of `get.*` replies; off when ttlMs is 0. With redisUrl, shared by replicas. */
  cache: z.object({
    ttlMs: variable(z.coerce.number().int().min(0).default(0), {
      env: 'DATA_API_CACHE_TTL_MS',
      group: 'caching',
      doc: 'reuse a `get.*` reply for this long (see [Spending fewer API calls](operations.md#spending-fewer-api-calls))',
      defaultDoc: '`0` (off)',
    }),
    maxEntries: variable(positiveInt.default(1000), {
      env: 'DATA_API_CACHE_MAX_ENTRIES',
      group: 'caching',
      doc: 'entries of the in-memory cache (least recently used go first)',
    }),
    maxBytes: variable(positiveInt.default(32 * 1024 * 1024), {
      env: 'DATA_API_CACHE_MAX_BYTES',
      group: 'caching',
      doc: "bytes of the in-memory cache, counted as the replies' JSON length plus the reply bytes kept for writing pages from them (parsed rows take about as much heap again); a reply larger than this is not kept. With the image's 256 MB heap cap, keep it well under 100 MB",
    }),
    redisUrl: variable(optional(z.url({ protocol: /^rediss?$/ })), {
      env: 'REDIS_URL',
      group: 'caching',
      doc: 'keep the response cache (with a cache TTL) and the automatic persisted queries in Redis (`redis://host:6379`), shared by every replica',
      essential: true,
    }),
    // Redis is an optimisation: a command it does not answer soon costs a miss, never a wait.
    redisCommandTimeoutMs: variable(positiveInt.max(10_000).default(200), {
      env: 'REDIS_COMMAND_TIMEOUT_MS',
      group: 'caching',
      doc: 'with `REDIS_URL`: how long one Redis command may go unanswered before it counts as a miss (the API is called) and the connection is reopened; never longer than what is left of `REQUEST_DEADLINE_MS` (see [Spending fewer API calls](operations.md#spending-fewer-api-calls))',
    }),
  }),
  /**
   * Automatic persisted queries (off in allow-list mode): documents kept in
   * memory (at most maxEntries), or in Redis for ttlMs when cache.redisUrl is set.
   */
  apq: z.object({
    maxEntries: variable(positiveInt.default(1000), {
      env: 'APQ_MAX_ENTRIES',
      group: 'caching',
      doc: 'documents the in-memory store of automatic persisted queries keeps (least recently used go first); see [Automatic persisted queries](operations.md#automatic-persisted-queries)',
    }),
    ttlMs: variable(positiveInt.default(86_400_000), {
      env: 'APQ_TTL_MS',
      group: 'caching',
      doc: 'with `REDIS_URL`: how long Redis keeps an automatic persisted query after it was last registered',
    }),
  }),
  persistedOperationsFile: variable(optional(z.string()), {
    env: 'PERSISTED_OPERATIONS_FILE',
    group: 'caching',
    doc: 'allow-list mode: a JSON file of sha256 hash → document; only those operations run, sent by hash (see [Persisted operations](operations.md#persisted-operations-allow-list-mode)); unset: any operation',
  }),

  defaultPageSize: variable(positiveInt.default(20), {
    env: 'PAGE_SIZE_DEFAULT',
    group: 'paging',
    doc: 'page size when neither `first` nor `last` is given',
  }),
  maxPageSize: variable(positiveInt.max(API_LIMITS.maxLimit).default(1000), {
    env: 'PAGE_SIZE_MAX',
    group: 'paging',
    doc: `largest \`first\`/\`last\` accepted (at most the API's ${API_LIMITS.maxLimit})`,
    essential: true,
  }),

  /** Bounds on what one request may ask; each refusal names its limit. */
  limits: z.object({
    maxApiCalls: variable(positiveInt.max(100).default(10), {
      env: 'MAX_API_CALLS_PER_REQUEST',
      group: 'limits',
      doc: 'API calls one GraphQL request may cause; more is refused (`QUERY_TOO_COMPLEX`) before any call',
    }),
    maxBodyBytes: variable(positiveInt.default(100_000), {
      env: 'MAX_BODY_BYTES',
      group: 'limits',
      doc: 'largest request body, declared or once decoded from gzip, deflate or br (413 past it; see [Request bodies](operations.md#request-bodies))',
    }),
    maxListInput: variable(positiveInt.max(API_LIMITS.maxLimit).default(100), {
      env: 'MAX_LIST_INPUT',
      group: 'limits',
      doc: 'values in one `in`/`notIn` list, filters in one `and`/`or` list, ids in `nodes(ids:)`, representations in `_entities`',
    }),
    maxStringInput: variable(positiveInt.default(256), {
      env: 'MAX_STRING_INPUT',
      group: 'limits',
      doc: 'characters in one filter string or `_entities` key',
    }),
    maxFilterDepth: variable(positiveInt.max(50).default(4), {
      env: 'MAX_FILTER_DEPTH',
      group: 'limits',
      doc: '`and`/`or` nesting levels in a filter',
    }),
    maxDepth: variable(positiveInt.default(10), {
      env: 'QUERY_MAX_DEPTH',
      group: 'limits',
      doc: 'field nesting depth of a document (graphql-armor, before execution)',
    }),
    maxAliases: variable(positiveInt.default(20), {
      env: 'QUERY_MAX_ALIASES',
      group: 'limits',
      doc: 'aliases in a document',
    }),
    maxDirectives: variable(positiveInt.default(20), {
      env: 'QUERY_MAX_DIRECTIVES',
      group: 'limits',
      doc: 'directives in a document',
    }),
    maxTokens: variable(positiveInt.default(2000), {
      env: 'QUERY_MAX_TOKENS',
      group: 'limits',
      doc: 'tokens in a document',
    }),
    maxCost: variable(optional(positiveInt), {
      env: 'QUERY_MAX_COST',
      group: 'limits',
      doc: 'values the planned calls may fetch (rows × columns; see the README, Cost); at least one full page of the widest row',
      defaultDoc: `two full pages of the widest row: 2 × \`PAGE_SIZE_MAX\` × ${WIDEST_ROW} (${2 * 1000 * WIDEST_ROW} by default)`,
    }),
  }),

  corsOrigins: variable(
    z
      .string()
      .default('')
      .transform((text) =>
        text
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }))),
    {
      env: 'CORS_ORIGINS',
      group: 'access',
      doc: 'comma-separated origins allowed to call the gateway from a browser, matched exactly (never `null`; others get no CORS headers); empty: none',
      defaultDoc: 'empty',
      essential: true,
    },
  ),
  graphiql: variable(booleanFlag.default(true), {
    env: 'GRAPHIQL',
    group: 'access',
    doc: '`false` switches GraphiQL off (e.g. in production)',
    essential: true,
  }),
  introspection: variable(booleanFlag.default(true), {
    env: 'INTROSPECTION',
    group: 'access',
    doc: '`false` switches introspection off (e.g. in production)',
    essential: true,
  }),
  // Unset: follows INTROSPECTION, so switching introspection off hides the SDL too.
  federationSdl: variable(optional(booleanFlag), {
    env: 'FEDERATION_SDL',
    group: 'access',
    doc: '`false` refuses `_service { sdl }` (the whole schema); set `true` where composition fetches the SDL from the running gateway (see [Federation](federation.md))',
    defaultDoc: 'as `INTROSPECTION`',
  }),
});

/** The declared variables, checked together and turned into the shape the code uses. */
export const configSchema = declared
  .refine((c) => (c.dataApiLogin === undefined) === (c.dataApiPassword === undefined), {
    message: 'DATA_API_LOGIN and DATA_API_PASSWORD go together',
    path: ['dataApiPassword'],
  })
  .refine((c) => c.http.headersTimeoutMs <= c.http.requestTimeoutMs, {
    message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    path: ['http', 'headersTimeoutMs'],
  })
  .refine((c) => c.defaultPageSize <= c.maxPageSize, {
    message: 'PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX',
    path: ['defaultPageSize'],
  })
  // Every page the gateway advertises, with every field selected, must be served.
  .refine((c) => (c.limits.maxCost ?? Infinity) >= c.maxPageSize * WIDEST_ROW, {
    message: `QUERY_MAX_COST must be at least PAGE_SIZE_MAX × ${WIDEST_ROW} (the columns of the widest row), so that a full page is accepted`,
    path: ['limits', 'maxCost'],
  })
  .transform(({ nodeEnv, dataApiLogin, dataApiPassword, federationSdl, limits, ...rest }) => ({
    ...rest,
    production: nodeEnv === 'production',
    /** Credentials for `login.user` sessions, used when no token is at hand. */
    dataApiLogin:
      dataApiLogin !== undefined && dataApiPassword !== undefined
        ? { login: dataApiLogin, password: dataApiPassword }
        : undefined,
    federationSdl: federationSdl ?? rest.introspection,
    limits: { ...limits, maxCost: limits.maxCost ?? 2 * rest.maxPageSize * WIDEST_ROW },
  }));

type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

export type Config = Frozen<z.output<typeof configSchema>>;
export type HttpTimeouts = Config['http'];
export type ResilienceConfig = Config['resilience'];
export type InputLimits = Config['limits'];

/** The declared tree: leaves are variables, inner nodes group them. */
export type DeclaredShape = typeof declared.shape;
export const DECLARED: DeclaredShape = declared.shape;

/** The declared variables, in order (the configuration reference is generated from them). */
export const CONFIG_LEAVES = leavesOf(DECLARED);

/** Every environment variable the gateway reads (deployment manifests are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = CONFIG_LEAVES.map((leaf) => leaf.meta.env);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variable behind a problem's path (the longest declared prefix), else the path itself. */
function variableAt(path: readonly PropertyKey[]): string {
  const at = path.map(String);
  const leaf = CONFIG_LEAVES.find((l) => l.path.every((key, i) => key === at[i]));
  return leaf?.meta.env ?? (at.join('.') || '(environment)');
}

/** Reads and validates the environment once; throws naming every bad variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  // The environment laid out as the declared tree, so the schema parses it in one go.
  const input: Record<string, unknown> = {};
  for (const { path, meta } of CONFIG_LEAVES) {
    let node = input;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1] as string] = env[meta.env];
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${variableAt(issue.path)}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
