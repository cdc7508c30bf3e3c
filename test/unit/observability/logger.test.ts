import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('log redaction', () => {
  it('censors tokens, passwords and authorization headers wherever they are logged', () => {
    const { logger, lines } = capture();
    logger.info({ access_token: 'tok-1' }, 'top level');
    logger.info({ params: { access_token: 'tok-2', limit: 5 } }, 'nested');
    logger.info({ login: { login: 'demo', password: 'pw-3' } }, 'password');
    logger.info({ headers: { authorization: 'Bearer tok-4', accept: 'json' } }, 'headers');
    logger.info({ request: { headers: { authorization: 'Bearer tok-5' } } }, 'deeper headers');
    const text = lines.join('');
    for (const secret of ['tok-1', 'tok-2', 'pw-3', 'tok-4', 'tok-5'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    // Only the secrets go: the rest of each line stays readable.
    expect(text).toContain('"limit":5');
    expect(text).toContain('"accept":"json"');
  });
});
