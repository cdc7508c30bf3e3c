import { z } from 'zod';
import { API_LIMITS } from './api/wire.js';

/**
 * Environment → typed configuration. Defaults live here only; the README's
 * configuration table mirrors this schema.
 */
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

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
    DATA_API_TIMEOUT_MS: positiveInt.max(300_000).default(10_000),
    PAGE_SIZE_DEFAULT: positiveInt.default(20),
    PAGE_SIZE_MAX: positiveInt.max(API_LIMITS.maxLimit).default(1000),
    EMULATOR_PORT: port.default(0),
  })
  .refine((env) => env.PAGE_SIZE_DEFAULT <= env.PAGE_SIZE_MAX, {
    message: 'PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX',
    path: ['PAGE_SIZE_DEFAULT'],
  });

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  /** Undefined: start the embedded emulator. */
  readonly dataApiUrl: string | undefined;
  readonly dataApiToken: string | undefined;
  /** Default `user_id` for agents' calls that do not pass `userId`. */
  readonly dataApiUserId: number | undefined;
  readonly timeoutMs: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly emulatorPort: number;
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
    dataApiUserId: e.DATA_API_USER_ID,
    timeoutMs: e.DATA_API_TIMEOUT_MS,
    defaultPageSize: e.PAGE_SIZE_DEFAULT,
    maxPageSize: e.PAGE_SIZE_MAX,
    emulatorPort: e.EMULATOR_PORT,
  };
}
