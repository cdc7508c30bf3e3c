import { describe, expect, it } from 'vitest';
import { conformsTo } from '../../../src/api/values.js';
import { availableVirtualNumbers } from '../../../src/api/availableVirtualNumbers.js';
import { virtualNumberGroups } from '../../../src/api/virtualNumberGroups.js';
import {
  HttpRateLimitError,
  RpcError,
  TransportError,
  errorForHttpStatus,
  parseRetryAfter,
  secretsOf,
} from '../../../src/rpc/errors.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['30', 30],
    [' 0 ', 0],
    ['Wed, 02 Dec 2026 12:01:30 GMT', 90],
    // A date already past means "now".
    ['Wed, 02 Dec 2026 11:00:00 GMT', 0],
    // asctime, the other date form RFC 9110 still asks recipients to read (assumed UTC).
    ['Wed Dec  2 12:00:10 2026', 10],
  ])('reads %j as %i seconds', (header, seconds) => {
    expect(parseRetryAfter(header, NOW)).toBe(seconds);
  });

  it.each([undefined, null, '', '-5', '1.5', 'soon', '2026-12-02T12:01:00Z', 'Wed, 99 Foo'])(
    'gives no delay for %j',
    (header) => {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    },
  );
});

describe('errorForHttpStatus', () => {
  it('maps 429 to RATE_LIMITED with the delay from Retry-After', () => {
    const error = errorForHttpStatus('get.x', 429, '12', NOW);
    expect(error).toBeInstanceOf(HttpRateLimitError);
    expect(error?.extensions()).toEqual({ code: 'RATE_LIMITED', retryAfter: 12 });
    expect(error?.message).toMatch(/retry after 12 s/);
  });

  it('maps 429 without a readable Retry-After to RATE_LIMITED without a delay', () => {
    expect(errorForHttpStatus('get.x', 429, 'later', NOW)?.extensions()).toEqual({
      code: 'RATE_LIMITED',
    });
  });

  it.each([500, 502, 503, 504])('maps %i to UPSTREAM_UNAVAILABLE', (status) => {
    const error = errorForHttpStatus('get.x', status, undefined, NOW);
    expect(error).toBeInstanceOf(TransportError);
    expect(error?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([200, 400, 403, 413])('leaves %i to be read as JSON-RPC', (status) => {
    expect(errorForHttpStatus('get.x', status, '5', NOW)).toBeUndefined();
  });
});

describe('RpcError', () => {
  const TOKEN = 'tok-3b1f0c9e7a';
  const params = { access_token: TOKEN, limit: 5 };

  it("tells the client our message and the mnemonic, never the API's text", () => {
    const error = new RpcError(
      'get.available_virtual_numbers',
      {
        code: -32602,
        message: 'Invalid value sk-live-9f8e7d6c5b4a3 of parameter filter',
        data: { mnemonic: 'invalid_parameter_value', field: 'filter.value', value: '([' },
      },
      secretsOf(params),
    );
    expect(error.message).toBe(
      'The Data API refused a parameter (get.available_virtual_numbers: invalid_parameter_value; parameter filter.value).',
    );
    expect(JSON.stringify(error.extensions())).not.toContain('sk-live');
    expect(error.extensions()).toEqual({
      code: 'BAD_USER_INPUT',
      upstream: {
        code: -32602,
        mnemonic: 'invalid_parameter_value',
        field: 'filter.value',
        value: '([',
      },
    });
    expect(error.logFields()).toMatchObject({
      upstreamMessage: 'Invalid value sk-live-9f8e7d6c5b4a3 of parameter filter',
    });
  });

  it("keeps the call's credentials out of the value and the logged text", () => {
    const error = new RpcError(
      'get.x',
      {
        code: -32001,
        message: `Access token ${TOKEN} is invalid`,
        data: { mnemonic: 'error', field: 'params', value: { access_token: TOKEN } },
      },
      secretsOf(params),
    );
    expect(JSON.stringify(error.extensions())).not.toContain(TOKEN);
    expect(error.extensions()).not.toHaveProperty('upstream.value');
    expect(error.logFields().upstreamMessage).toBe('Access token [redacted] is invalid');
  });

  it('does not echo a mnemonic or field that is not an identifier', () => {
    const error = new RpcError('get.x', {
      code: -1,
      message: 'x',
      data: { mnemonic: 'token is abc def', field: '<script>' },
    });
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.extensions()).toEqual({ code: 'UPSTREAM_ERROR', upstream: { code: -1 } });
    expect(error.message).toBe('The Data API failed to answer (get.x: no mnemonic).');
  });
});

describe('conformsTo: values the schema can serve as the API documents them', () => {
  const columns = availableVirtualNumbers.columns;
  const groups = virtualNumberGroups.columns;
  it.each([
    ['an enum value', columns.category.type, 'gold', true],
    ['an unknown enum value', columns.category.type, 'platinum', false],
    ['an enum value in other case', columns.category.type, 'GOLD', false],
    ['a string', columns.location_name.type, 'Moscow', true],
    ['a number for a string', columns.location_name.type, 495, false],
    ['a float', columns.monthly_charge.type, 12.5, true],
    ['a numeric string for a float', columns.monthly_charge.type, '12.5', false],
    ['NaN for a float', columns.monthly_charge.type, Number.NaN, false],
    ['an int', groups.id.type, 7, true],
    ['a fraction for an int', groups.id.type, 7.5, false],
    ['an int beyond 32 bits', groups.id.type, 2 ** 31, false],
    ['a list of objects', groups.employees.type, [{ id: 1 }], true],
    ['a list of numbers', groups.employees.type, [1], false],
    ['a string for a list', groups.employees.type, 'x', false],
  ])('%s', (_name, type, value, fits) => {
    expect(conformsTo(type, true)(value)).toBe(fits);
  });

  it('accepts null only where the field is nullable', () => {
    expect(conformsTo('string', true)(null)).toBe(true);
    expect(conformsTo('string', true)(undefined)).toBe(true);
    expect(conformsTo('string', false)(null)).toBe(false);
    expect(conformsTo('string', false)(undefined)).toBe(false);
  });
});
