import { describe, expect, it } from 'vitest';
import { WIDEST_ROW } from '../../src/api/index.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';

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
  ])('refuses a bad %s, naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });
});
