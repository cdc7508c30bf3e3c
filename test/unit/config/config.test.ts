import { describe, expect, it } from 'vitest';
import { WIDEST_ROW } from '../../../src/api/index.js';
import {
  CONFIG_LEAVES,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
} from '../../../src/config/config.js';
import { essentialsTable, referenceTables } from '../../../src/config/reference.js';
import type { Leaf } from '../../../src/config/variable.js';
import { leavesOf, variable } from '../../../src/config/variable.js';
import { z } from 'zod';

describe('configuration from the environment', () => {
  it('has working defaults with nothing set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      production: true,
      logLevel: 'info',
      dataApiUrl: undefined,
      dataApiToken: undefined,
      dataApiUserId: undefined,
      timeoutMs: 10_000,
      defaultPageSize: 20,
      maxPageSize: 1000,
      emulatorPort: 0,
      shutdownGraceMs: 10_000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'debug',
      DATA_API_URL: 'https://dataapi.uiscom.ru/v2.0',
      DATA_API_TOKEN: 'abc',
      DATA_API_USER_ID: '42',
      DATA_API_TIMEOUT_MS: '2500',
      PAGE_SIZE_DEFAULT: '50',
      PAGE_SIZE_MAX: '10000',
      EMULATOR_PORT: '4010',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      production: false,
      dataApiUrl: 'https://dataapi.uiscom.ru/v2.0',
      dataApiUserId: 42,
      timeoutMs: 2500,
      defaultPageSize: 50,
      maxPageSize: 10_000,
      emulatorPort: 4010,
    });
  });

  it('sizes the cost limit from the page size: two full pages of the widest row by default, at least one', () => {
    expect(loadConfig({}).limits.maxCost).toBe(2 * 1000 * WIDEST_ROW);
    expect(loadConfig({ PAGE_SIZE_MAX: '10000' }).limits.maxCost).toBe(2 * 10_000 * WIDEST_ROW);
    expect(loadConfig({ QUERY_MAX_COST: String(1000 * WIDEST_ROW) }).limits.maxCost).toBe(
      1000 * WIDEST_ROW,
    );
    expect(() => loadConfig({ QUERY_MAX_COST: String(1000 * WIDEST_ROW - 1) })).toThrow(
      /QUERY_MAX_COST: QUERY_MAX_COST must be at least PAGE_SIZE_MAX × 7/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATA_API_URL: '', DATA_API_TOKEN: '' }).dataApiUrl).toBeUndefined();
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PAGE_SIZE_MAX', { PAGE_SIZE_MAX: '20000' }],
    ['PAGE_SIZE_DEFAULT', { PAGE_SIZE_DEFAULT: '500', PAGE_SIZE_MAX: '100' }],
    ['DATA_API_URL', { DATA_API_URL: 'dataapi.uiscom.ru' }],
    ['DATA_API_TIMEOUT_MS', { DATA_API_TIMEOUT_MS: '-1' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_COMMAND_TIMEOUT_MS: '0' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_COMMAND_TIMEOUT_MS: '-5' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_COMMAND_TIMEOUT_MS: '1.5' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_COMMAND_TIMEOUT_MS: 'soon' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_COMMAND_TIMEOUT_MS: '60000' }],
  ])('refuses a bad %s, naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('gives Redis commands a timeout well under a second by default, and reads another', () => {
    expect(loadConfig({}).cache.redisCommandTimeoutMs).toBe(200);
    expect(
      loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_COMMAND_TIMEOUT_MS: '50' }).cache
        .redisCommandTimeoutMs,
    ).toBe(50);
  });
});

/** The value at a leaf's path in the loaded configuration. */
function valueAt(config: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);
}

describe('the declared variables', () => {
  it('name each environment variable once', () => {
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
    expect(CONFIG_VARIABLES).toEqual(CONFIG_LEAVES.map((leaf) => leaf.meta.env));
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
  });

  // Read from its own variable, or refused naming it: a leaf wired to the wrong
  // path or variable fails here. Transformed leaves are checked by name below.
  const JOINED = new Set(['NODE_ENV', 'DATA_API_LOGIN', 'DATA_API_PASSWORD', 'FEDERATION_SDL']);
  it.each(CONFIG_LEAVES.filter((leaf) => !JOINED.has(leaf.meta.env)).map((l) => [l.meta.env, l]))(
    '%s is read from its own variable, or refused naming it',
    (env, leaf) => {
      const odd = 'x?!';
      try {
        expect(valueAt(loadConfig({ [env]: odd }), leaf.path)).toBe(odd);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(new RegExp(`^  ${env}: `, 'm'));
      }
    },
  );

  it('names the variable of a nested value and of a check across variables', () => {
    expect(() => loadConfig({ DATA_API_BREAKER_RESET_MS: '0' })).toThrow(
      /^ {2}DATA_API_BREAKER_RESET_MS: /m,
    );
    expect(() =>
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    ).toThrow(/^ {2}HTTP_HEADERS_TIMEOUT_MS: HTTP_HEADERS_TIMEOUT_MS must not exceed/m);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example, nope' })).toThrow(
      /^ {2}CORS_ORIGINS: /m,
    );
    expect(() => loadConfig({ DATA_API_LOGIN: 'me' })).toThrow(
      /DATA_API_PASSWORD: DATA_API_LOGIN and DATA_API_PASSWORD go together/,
    );
  });

  it('joins the values that go together', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_API_LOGIN: 'me',
      DATA_API_PASSWORD: 'secret',
      INTROSPECTION: 'false',
    });
    expect(config.production).toBe(false);
    expect(config.dataApiLogin).toEqual({ login: 'me', password: 'secret' });
    expect(config.federationSdl).toBe(false);
    expect(loadConfig({ INTROSPECTION: 'false', FEDERATION_SDL: 'true' }).federationSdl).toBe(true);
  });

  it('refuses a tree with a leaf that is not a declared variable', () => {
    expect(() => leavesOf({ port: z.number() })).toThrow(/port is neither a variable nor a group/);
  });
});

describe('the configuration reference', () => {
  const docs = referenceTables(CONFIG_LEAVES);

  it('lists every variable once, with the default its parser holds', () => {
    for (const env of CONFIG_VARIABLES) {
      expect(docs.match(new RegExp(`^\\| \`${env}\` \\|`, 'gm'))).toHaveLength(1);
    }
    expect(docs).toContain('| `PORT` | `4000` |');
    expect(docs).toContain('| `DATA_API_URL` | unset |');
    expect(docs).toContain('| `GRAPHIQL` | `true` |');
  });

  it('follows a changed default and groups variables under their heading', () => {
    const leaves: Leaf[] = leavesOf({
      a: variable(z.coerce.number().default(7), { env: 'A', group: 'paging', doc: 'x | y' }),
      b: variable(z.string().optional(), { env: 'B', group: 'server', doc: 'see [it](ops.md#b)' }),
    });
    const text = referenceTables(leaves);
    expect(text.indexOf('### Server')).toBeLessThan(text.indexOf('### Paging'));
    expect(text).toContain('| `A` | `7` | x \\| y |');
    expect(text).not.toContain('### Resilience');
    // The README sits one folder up from docs/: relative links gain the folder.
    const b = leaves.filter((leaf) => leaf.meta.env === 'B');
    expect(
      essentialsTable(b.map((leaf) => ({ ...leaf, meta: { ...leaf.meta, essential: true } }))),
    ).toContain('[it](docs/ops.md#b)');
  });

  it('keeps the README to the essentials', () => {
    const readme = essentialsTable(CONFIG_LEAVES);
    expect(readme).toContain('`DATA_API_URL`');
    expect(readme).not.toContain('`QUERY_MAX_TOKENS`');
    expect(readme.split('\n').length - 3).toBeLessThanOrEqual(15);
  });
});
