import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import type { Stack } from '../../helpers/stack.js';
import { startStack } from '../../helpers/stack.js';

const QUERY = '{ availableNumbers(first: 1) { totalCount } }';

describe('x-served-by (INSTANCE_ID)', () => {
  let named: Stack;
  let anonymous: Stack;
  beforeAll(async () => {
    named = await startStack({ gateway: { instanceId: 'gateway-7f9c-2' } });
    anonymous = await startStack();
  });
  afterAll(async () => {
    await named.close();
    await anonymous.close();
  });

  const origin = (stack: Stack) => stack.url.replace(/\/graphql$/, '');

  it('names the replica on answers, refusals and probes', async () => {
    const answered = await fetch(named.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('x-served-by')).toBe('gateway-7f9c-2');

    // A GET without the CSRF header is refused before execution.
    const refused = await fetch(`${named.url}?query=${encodeURIComponent(QUERY)}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-served-by')).toBe('gateway-7f9c-2');

    for (const path of ['/health', '/readiness']) {
      const probe = await fetch(`${origin(named)}${path}`);
      expect(probe.status).toBe(200);
      expect(probe.headers.get('x-served-by')).toBe('gateway-7f9c-2');
    }
  });

  it('is absent unless configured', async () => {
    const response = await fetch(anonymous.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.has('x-served-by')).toBe(false);
    expect(loadConfig({}).instanceId).toBeUndefined();
    expect(loadConfig({ INSTANCE_ID: '' }).instanceId).toBeUndefined();
  });

  it.each(['has space', 'new\nline', 'x'.repeat(129)])(
    'refuses INSTANCE_ID %j, naming the variable',
    (value) => {
      expect(() => loadConfig({ INSTANCE_ID: value })).toThrow(ConfigError);
      expect(() => loadConfig({ INSTANCE_ID: value })).toThrow(/INSTANCE_ID/);
    },
  );
});
