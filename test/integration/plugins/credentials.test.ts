/**
 * The `Authorization` header over HTTP: absent (or empty), the gateway's own
 * credential is used (DATA_API_TOKEN, or its session login); `Bearer <token>`
 * (scheme in any case), that token reaches the API; anything else is refused
 * 401 UNAUTHENTICATED with `WWW-Authenticate: Bearer` before any API call,
 * never run with the gateway's own token instead.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_TOKEN, DEMO_LOGIN, DEMO_PASSWORD, DEMO_TOKEN } from '../../../src/emulator/index.js';
import type { Stack } from '../../helpers/stack.js';
import { AVAILABLE, startStack, useStack } from '../../helpers/stack.js';

const LIST = '{ availableNumbers(first: 1) { nodes { phoneNumber } } }';
const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

const stack = useStack();

interface Reply {
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly text: string;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
}

async function send(
  s: Stack,
  authorization: string | undefined,
  options: { accept?: string; query?: string; method?: 'GET' | 'POST' } = {},
): Promise<Reply> {
  const query = options.query ?? LIST;
  const auth = authorization === undefined ? {} : { authorization };
  const response =
    options.method === 'GET'
      ? await fetch(`${s.url}?query=${encodeURIComponent(query)}`, {
          headers: { accept: options.accept ?? JSON_TYPE, 'x-graphql-csrf': '1', ...auth },
        })
      : await fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': JSON_TYPE, accept: options.accept ?? JSON_TYPE, ...auth },
          body: JSON.stringify({ query }),
        });
  const text = await response.text();
  const { errors } = JSON.parse(text) as { errors?: Reply['errors'] };
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    text,
    errors: errors ?? [],
  };
}

const tokensSent = (s: Stack) => s.calls(AVAILABLE).map((c) => c.params.access_token);

describe('credentials the gateway can use', () => {
  it.each([
    ['no Authorization header', undefined, DEMO_TOKEN],
    ['an empty Authorization header', '', DEMO_TOKEN],
    ['Bearer <token>', `Bearer ${AGENT_TOKEN}`, AGENT_TOKEN],
    ['bearer <token> (the scheme is case-insensitive)', `bearer ${AGENT_TOKEN}`, AGENT_TOKEN],
    ['BEARER <token>', `BEARER ${AGENT_TOKEN}`, AGENT_TOKEN],
    ['Bearer and the token two spaces apart', `Bearer  ${AGENT_TOKEN}`, AGENT_TOKEN],
  ])('%s: the API is called with the expected token', async (_name, authorization, token) => {
    const reply = await send(stack(), authorization);
    expect(reply.status).toBe(200);
    expect(reply.wwwAuthenticate).toBeNull();
    expect(tokensSent(stack())).toEqual([token]);
  });
});

const UNUSABLE: [string, string][] = [
  ['Basic', 'Basic dXNlcjpwYXNzd29yZA=='],
  ['Bearer without a token', 'Bearer'],
  ['Bearer with two tokens', `Bearer ${AGENT_TOKEN} ${DEMO_TOKEN}`],
  ['another scheme', `Token ${AGENT_TOKEN}`],
  ['a bare token', AGENT_TOKEN],
  ['garbage', '!!! not a credential'],
  ['Bearer glued to its token', `Bearer${AGENT_TOKEN}`],
];

describe('credentials the gateway cannot use', () => {
  it.each(UNUSABLE)(
    '%s: 401 UNAUTHENTICATED with WWW-Authenticate: Bearer, and no API call',
    async (_name, authorization) => {
      for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
        for (const method of ['POST', 'GET'] as const) {
          const reply = await send(stack(), authorization, { accept, method });
          expect({ accept, method, status: reply.status }).toEqual({ accept, method, status: 401 });
          expect(reply.wwwAuthenticate).toBe('Bearer');
          expect(reply.errors).toHaveLength(1);
          expect(reply.errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
          expect(reply.errors[0]?.message).toMatch(/Authorization: Bearer <token>/);
          // The header's content is the client's secret: never echoed.
          if (authorization !== 'Bearer') expect(reply.text).not.toContain(authorization);
        }
      }
      expect(stack().calls()).toHaveLength(0);
    },
  );

  it('is refused before the document is looked at', async () => {
    const reply = await send(stack(), 'Basic abc', { query: '{ nope' });
    expect(reply.status).toBe(401);
    expect(reply.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('with a session login configured: refused, and the gateway does not log in', async () => {
    const local = await startStack({
      gateway: {
        dataApiToken: undefined,
        dataApiLogin: { login: DEMO_LOGIN, password: DEMO_PASSWORD },
      },
    });
    try {
      for (const [, authorization] of UNUSABLE) {
        expect((await send(local, authorization)).status).toBe(401);
      }
      expect(local.calls()).toHaveLength(0);
      // Without the header the session is used.
      expect((await send(local, undefined)).status).toBe(200);
      expect(local.calls('login.user')).toHaveLength(1);
    } finally {
      await local.close();
    }
  });
});
