import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import type { Stack, StackOptions } from '../helpers/stack.js';
import { startStack } from '../helpers/stack.js';

/** Runs `run` against a stack of its own, closing it afterwards. */
async function withStack(options: StackOptions, run: (s: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack(options);
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

interface CorsAnswer {
  readonly allowOrigin: string | null;
  readonly allowCredentials: string | null;
}

/** A preflight and a real POST from `origin`; both must agree. */
async function cors(url: string, origin: string): Promise<CorsAnswer> {
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  const post = await fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const answer = (r: Response): CorsAnswer => ({
    allowOrigin: r.headers.get('access-control-allow-origin'),
    allowCredentials: r.headers.get('access-control-allow-credentials'),
  });
  expect(post.status).toBe(200);
  expect(answer(preflight)).toEqual(answer(post));
  return answer(post);
}

const REFUSED: CorsAnswer = { allowOrigin: null, allowCredentials: null };

/** Origins a browser can send that must never be let in. */
const HOSTILE = [
  'null',
  'https://a.example.evil',
  'https://evil.a.example',
  'http://a.example',
  'https://a.example:8443',
  'https://A.EXAMPLE',
  'https://b.example.evil',
  'https://a.example, https://b.example',
  '*',
];

describe('CORS answers exact configured origins only', () => {
  it.each([
    ['one origin', ['https://a.example']],
    ['two origins', ['https://a.example', 'https://b.example/']],
    ['three origins', ['https://a.example', 'https://b.example', 'https://c.example']],
  ])(
    'with %s: each configured origin with credentials, never null or a near miss',
    async (_, origins) => {
      await withStack({ gateway: { corsOrigins: origins } }, async (s) => {
        for (const origin of origins.map((o) => new URL(o).origin)) {
          expect(await cors(s.url, origin)).toEqual({
            allowOrigin: origin,
            allowCredentials: 'true',
          });
        }
        for (const origin of HOSTILE) {
          expect({ origin, ...(await cors(s.url, origin)) }).toEqual({ origin, ...REFUSED });
        }
      });
    },
  );

  it('without CORS_ORIGINS sends no CORS headers at all', async () => {
    await withStack({ gateway: { corsOrigins: [] } }, async (s) => {
      for (const origin of ['https://a.example', 'null']) {
        expect(await cors(s.url, origin)).toEqual(REFUSED);
      }
    });
  });
});

describe('the subgraph SDL follows INTROSPECTION unless FEDERATION_SDL says otherwise', () => {
  it('reads FEDERATION_SDL, defaulting to INTROSPECTION', () => {
    expect(loadConfig({}).federationSdl).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'false' }).federationSdl).toBe(false);
    expect(loadConfig({ INTROSPECTION: 'false', FEDERATION_SDL: 'true' }).federationSdl).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'true', FEDERATION_SDL: 'false' }).federationSdl).toBe(
      false,
    );
    expect(() => loadConfig({ FEDERATION_SDL: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ FEDERATION_SDL: 'yes' })).toThrow(/FEDERATION_SDL/);
  });

  const SDL = '{ _service { sdl } }';
  const ALIASED = 'query Q { s: _service { sdl } ...F } fragment F on Query { _service { sdl } }';

  it('with introspection off, refuses _service (aliased or in a fragment) with a code and no schema text', async () => {
    const { introspection, federationSdl } = loadConfig({ INTROSPECTION: 'false' });
    await withStack({ gateway: { introspection, federationSdl } }, async (s) => {
      for (const query of [SDL, ALIASED]) {
        const r = await s.query(query);
        expect(r.body.data).toBeUndefined();
        expect(r.body.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/FEDERATION_SDL/) as unknown,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
        expect(r.text).not.toContain('VirtualNumberGroup');
      }
      // Entities still resolve: a router that composed from a supergraph file needs only them.
      const entities = await s.query(
        `{ _entities(representations: [{ __typename: "VirtualNumberGroup", databaseId: 1 }]) { __typename } }`,
      );
      expect(entities.body.errors).toBeUndefined();
    });
  });

  it('with introspection off and FEDERATION_SDL=true, serves the SDL', async () => {
    const { introspection, federationSdl } = loadConfig({
      INTROSPECTION: 'false',
      FEDERATION_SDL: 'true',
    });
    await withStack({ gateway: { introspection, federationSdl } }, async (s) => {
      const r = await s.query(SDL);
      expect(r.body.errors).toBeUndefined();
      expect((r.body.data?._service as { sdl: string }).sdl).toContain(
        '@key(fields: "databaseId")',
      );
      const introspection = await s.query('{ __schema { types { name } } }');
      expect(introspection.body.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    });
  });
});
