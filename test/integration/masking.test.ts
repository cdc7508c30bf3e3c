import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createGateway } from '../../src/http/server.js';

function gatewayFailingWith(error: Error, production: boolean) {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const gateway = createGateway({
    ...loadConfig({}),
    production,
    dataApiUrl: 'http://127.0.0.1:9/v2.0',
    dataApiToken: 'token',
    logger: createLogger('info', sink),
    client: { get: () => Promise.reject(error) },
  });
  return { gateway, logs };
}

async function ask(gateway: ReturnType<typeof createGateway>, requestId?: string) {
  const response = await gateway.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ query: '{ availableNumbers { totalCount } }' }),
  });
  const body = (await response.json()) as {
    errors: { message: string; extensions: Record<string, unknown> }[];
  };
  return { response, error: body.errors[0] };
}

describe('unexpected errors', () => {
  it('are masked with a request id in production, and logged in full with that id', async () => {
    const { gateway, logs } = gatewayFailingWith(new Error('boom in /srv/secret/path'), true);
    const { response, error } = await ask(gateway);
    expect(error?.message).toBe('Unexpected error.');
    expect(error?.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      requestId: response.headers.get('x-request-id'),
    });
    expect(JSON.stringify(error)).not.toContain('secret');
    const line = logs.find((l) => l.includes('unexpected error'));
    expect(line).toContain('boom in /srv/secret/path');
    expect(line).toContain(String(response.headers.get('x-request-id')));
  });

  it('keep the caller-supplied request id', async () => {
    const { gateway } = gatewayFailingWith(new Error('boom'), true);
    const { response, error } = await ask(gateway, 'req-123');
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(error?.extensions.requestId).toBe('req-123');
  });

  it('show their message outside production', async () => {
    const { gateway } = gatewayFailingWith(new Error('boom'), false);
    const { error } = await ask(gateway);
    expect(error?.extensions.detail).toBe('boom');
  });
});
