import { describe, expect, it } from 'vitest';
import {
  BadUserInputError,
  codeForMnemonic,
  GatewayError,
  MissingTokenError,
} from '../../../src/api/errors.js';

describe('codeForMnemonic', () => {
  it.each([
    ['data_type_error', 'BAD_USER_INPUT'],
    ['access_token_expired', 'UNAUTHENTICATED'],
    ['forbidden', 'FORBIDDEN'],
    ['limit_exceeded', 'RATE_LIMITED'],
    // Documented, with no code of ours: the client can do nothing about it.
    ['internal_error', 'UPSTREAM_ERROR'],
  ])('maps %s to %s', (mnemonic, code) => {
    expect(codeForMnemonic(mnemonic)).toBe(code);
  });

  it.each([undefined, '', 'no_such_error', 'toString', '__proto__'])(
    'maps %j, no documented mnemonic, to UPSTREAM_ERROR',
    (mnemonic) => {
      expect(codeForMnemonic(mnemonic)).toBe('UPSTREAM_ERROR');
    },
  );
});

describe('gateway errors', () => {
  it('show the client their code, and need no log fields by default', () => {
    const error = new GatewayError('FORBIDDEN', 'no');
    expect(error.extensions()).toEqual({ code: 'FORBIDDEN' });
    expect(error.logFields()).toBeUndefined();
    expect(error.name).toBe('GatewayError');
  });

  it('name the argument of a bad input only when there is one', () => {
    expect(new BadUserInputError('bad').extensions()).toStrictEqual({ code: 'BAD_USER_INPUT' });
    expect(new BadUserInputError('bad', 'first').extensions()).toStrictEqual({
      code: 'BAD_USER_INPUT',
      argument: 'first',
    });
  });

  it('say how to send a token when there is none', () => {
    const error = new MissingTokenError();
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.name).toBe('MissingTokenError');
    expect(error.message).toBe(
      'No Data API access token: send "Authorization: Bearer <token>" or configure DATA_API_TOKEN.',
    );
  });
});
