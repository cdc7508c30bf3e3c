import { z } from 'zod';
import { WIDEST_ROW } from '../api/index.js';
import { API_LIMITS } from '../api/wire.js';

/**
 * Environment → typed configuration. Defaults live here only; the README's
 * configuration table mirrors this schema.
 */
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

const schema = z
  .object({
    PORT: port.default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATA_API_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    DATA_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
    DATA_API_USER_ID: z.preprocess(emptyAsUndefined, positiveInt.optional()),
    DATA_API_LOGIN: z.preprocess(emptyAsUndefined, z.string().optional()),
    DATA_API_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
    DATA_API_SESSION_RENEW_MS: positiveInt.default(300_000),
    DATA_API_TIMEOUT_MS: positiveInt.max(300_000).default(10_000),
    PAGE_SIZE_DEFAULT: positiveInt.default(20),
    PAGE_SIZE_MAX: positiveInt.max(API_LIMITS.maxLimit).default(1000),
    EMULATOR_PORT: port.default(0),
    DATA_API_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    DATA_API_RETRY_BASE_MS: positiveInt.max(10_000).default(200),
    DATA_API_MAX_CONCURRENCY: positiveInt.max(1000).default(16),
    DATA_API_BREAKER_THRESHOLD_PERCENT: positiveInt.max(100).default(50),
    DATA_API_BREAKER_MIN_CALLS: positiveInt.default(5),
    DATA_API_BREAKER_RESET_MS: positiveInt.default(10_000),
    DATA_API_CACHE_TTL_MS: z.coerce.number().int().min(0).default(0),
    DATA_API_CACHE_MAX_ENTRIES: positiveInt.default(1000),
    REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
    REQUEST_DEADLINE_MS: positiveInt.max(600_000).default(30_000),
    MAX_API_CALLS_PER_REQUEST: positiveInt.max(100).default(10),
    MAX_BODY_BYTES: positiveInt.default(100_000),
    MAX_LIST_INPUT: positiveInt.max(API_LIMITS.maxLimit).default(100),
    MAX_STRING_INPUT: positiveInt.default(256),
    MAX_FILTER_DEPTH: positiveInt.max(50).default(4),
    QUERY_MAX_DEPTH: positiveInt.default(10),
    QUERY_MAX_ALIASES: positiveInt.default(20),
    QUERY_MAX_DIRECTIVES: positiveInt.default(20),
    QUERY_MAX_TOKENS: positiveInt.default(2000),
    // Default: two full pages of the widest row (see loadConfig).
    QUERY_MAX_COST: z.preprocess(emptyAsUndefined, positiveInt.optional()),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((text) =>
        text
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }))),
    GRAPHIQL: booleanFlag.default(true),
    INTROSPECTION: booleanFlag.default(true),
    // Unset: follows INTROSPECTION, so switching introspection off hides the SDL too.
    FEDERATION_SDL: z.preprocess(emptyAsUndefined, booleanFlag.optional()),
    PERSISTED_OPERATIONS_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
    COMPRESSION_MIN_BYTES: positiveInt.default(1024),
    APQ_MAX_ENTRIES: positiveInt.default(1000),
    APQ_TTL_MS: positiveInt.default(86_400_000),
    // 0 cuts requests in flight at once; the cap keeps a typo from hanging a deploy.
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    // Shown in a response header: a plain token, never anything that needs escaping.
    INSTANCE_ID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[\w.:-]{1,128}$/, 'letters, digits, . _ : - only, at most 128')
        .optional(),
    ),
    // A client gets this long to send its headers, and its whole request.
    HTTP_HEADERS_TIMEOUT_MS: positiveInt.max(300_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.max(600_000).default(30_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.max(600_000).default(5_000),
  })
  .refine((env) => (env.DATA_API_LOGIN === undefined) === (env.DATA_API_PASSWORD === undefined), {
    message: 'DATA_API_LOGIN and DATA_API_PASSWORD go together',
    path: ['DATA_API_PASSWORD'],
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
  })
  .refine((env) => env.PAGE_SIZE_DEFAULT <= env.PAGE_SIZE_MAX, {
    message: 'PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX',
    path: ['PAGE_SIZE_DEFAULT'],
  })
  // Every page the gateway advertises, with every field selected, must be served.
  .refine((env) => (env.QUERY_MAX_COST ?? Infinity) >= env.PAGE_SIZE_MAX * WIDEST_ROW, {
    message: `QUERY_MAX_COST must be at least PAGE_SIZE_MAX × ${WIDEST_ROW} (the columns of the widest row), so that a full page is accepted`,
    path: ['QUERY_MAX_COST'],
  });

/** Every environment variable the gateway reads (deployment manifests are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  /** Undefined: start the embedded emulator. */
  readonly dataApiUrl: string | undefined;
  readonly dataApiToken: string | undefined;
  /** Credentials for `login.user` sessions, used when no token is at hand. */
  readonly dataApiLogin: { readonly login: string; readonly password: string } | undefined;
  /** Renew a session this long before it expires. */
  readonly sessionRenewMs: number;
  /** Default `user_id` for agents' calls that do not pass `userId`. */
  readonly dataApiUserId: number | undefined;
  readonly timeoutMs: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly emulatorPort: number;
  readonly resilience: ResilienceConfig;
  /** Reuse of `get.*` replies; off when ttlMs is 0. With redisUrl, shared by replicas. */
  readonly cache: {
    readonly ttlMs: number;
    readonly maxEntries: number;
    readonly redisUrl: string | undefined;
  };
  readonly limits: InputLimits;
  /** Origins allowed by CORS; empty: no cross-origin access. */
  readonly corsOrigins: readonly string[];
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Whether `_service { sdl }` answers; routers and composition tools read the schema there. */
  readonly federationSdl: boolean;
  /** Allow-list of sha256 → document; only those operations run. Undefined: any operation. */
  readonly persistedOperationsFile: string | undefined;
  /**
   * Automatic persisted queries (off in allow-list mode): documents kept in
   * memory (at most maxEntries), or in Redis for ttlMs when cache.redisUrl is set.
   */
  readonly apq: { readonly maxEntries: number; readonly ttlMs: number };
  /** Replies this large or larger are compressed (br or gzip) when the client accepts it. */
  readonly compressionMinBytes: number;
  /** How long SIGTERM/SIGINT waits for requests in flight before cutting them off. */
  readonly shutdownGraceMs: number;
  /** Sent as `x-served-by` on every response when set (replicas behind a load balancer). */
  readonly instanceId: string | undefined;
  readonly http: HttpTimeouts;
}

/** How long the HTTP server waits for a client; a slow one is cut off with 408. */
export interface HttpTimeouts {
  /** From connection (or the end of the last answer) to the request's last header. */
  readonly headersTimeoutMs: number;
  /** To the request's last byte (headers and body); answering is not counted. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
}

/** How the gateway protects itself and the API from a slow or failing API. */
export interface ResilienceConfig {
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly maxConcurrency: number;
  readonly breaker: {
    readonly errorThresholdPercentage: number;
    readonly volumeThreshold: number;
    readonly resetTimeoutMs: number;
  };
  /** Budget of one whole GraphQL request, API calls and retries included. */
  readonly deadlineMs: number;
}

/** Bounds on what one request may ask; each refusal names its limit. */
export interface InputLimits {
  readonly maxApiCalls: number;
  readonly maxBodyBytes: number;
  /** `in`/`notIn` values and `nodes(ids:)`. */
  readonly maxListInput: number;
  readonly maxStringInput: number;
  readonly maxFilterDepth: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxCost: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; throws naming every bad variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    dataApiUrl: e.DATA_API_URL,
    dataApiToken: e.DATA_API_TOKEN,
    dataApiLogin:
      e.DATA_API_LOGIN !== undefined && e.DATA_API_PASSWORD !== undefined
        ? { login: e.DATA_API_LOGIN, password: e.DATA_API_PASSWORD }
        : undefined,
    sessionRenewMs: e.DATA_API_SESSION_RENEW_MS,
    dataApiUserId: e.DATA_API_USER_ID,
    timeoutMs: e.DATA_API_TIMEOUT_MS,
    defaultPageSize: e.PAGE_SIZE_DEFAULT,
    maxPageSize: e.PAGE_SIZE_MAX,
    emulatorPort: e.EMULATOR_PORT,
    cache: {
      ttlMs: e.DATA_API_CACHE_TTL_MS,
      maxEntries: e.DATA_API_CACHE_MAX_ENTRIES,
      redisUrl: e.REDIS_URL,
    },
    resilience: {
      retries: e.DATA_API_RETRIES,
      retryBaseMs: e.DATA_API_RETRY_BASE_MS,
      maxConcurrency: e.DATA_API_MAX_CONCURRENCY,
      breaker: {
        errorThresholdPercentage: e.DATA_API_BREAKER_THRESHOLD_PERCENT,
        volumeThreshold: e.DATA_API_BREAKER_MIN_CALLS,
        resetTimeoutMs: e.DATA_API_BREAKER_RESET_MS,
      },
      deadlineMs: e.REQUEST_DEADLINE_MS,
    },
    limits: {
      maxApiCalls: e.MAX_API_CALLS_PER_REQUEST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxListInput: e.MAX_LIST_INPUT,
      maxStringInput: e.MAX_STRING_INPUT,
      maxFilterDepth: e.MAX_FILTER_DEPTH,
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxCost: e.QUERY_MAX_COST ?? 2 * e.PAGE_SIZE_MAX * WIDEST_ROW,
    },
    corsOrigins: e.CORS_ORIGINS,
    graphiql: e.GRAPHIQL,
    introspection: e.INTROSPECTION,
    federationSdl: e.FEDERATION_SDL ?? e.INTROSPECTION,
    persistedOperationsFile: e.PERSISTED_OPERATIONS_FILE,
    apq: { maxEntries: e.APQ_MAX_ENTRIES, ttlMs: e.APQ_TTL_MS },
    compressionMinBytes: e.COMPRESSION_MIN_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    instanceId: e.INSTANCE_ID,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  };
}
