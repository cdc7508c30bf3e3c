/**
 * Allow-list mode (PERSISTED_OPERATIONS_FILE): registered hashes run, any
 * other request is refused before a call is made; off, everything runs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { regionNumbers } from '../../../examples/client/regionNumbers.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { loadPersistedOperations } from '../../../src/http/plugins/persistedOperations.js';
import type { Stack } from '../../helpers/stack.js';
import { AVAILABLE, useStack } from '../../helpers/stack.js';

const REGISTERED = 'query Total { availableNumbers { totalCount } }';
const UNREGISTERED = 'query Numbers { availableNumbers(first: 1) { nodes { phoneNumber } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
function writeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
const writeList = (name: string, content: unknown) => writeFile(name, JSON.stringify(content));
// One entry with a bare key, and the example client's manifest entries as
// GraphQL Code Generator writes them (`sha256:` keys).
const generated = join(
  import.meta.dirname,
  '../../../examples/client/gql/persisted-documents.json',
);
const allowList = writeList('allow.json', {
  [sha256(REGISTERED)]: REGISTERED,
  ...(JSON.parse(readFileSync(generated, 'utf8')) as Record<string, string>),
});

async function post(stack: Stack, body: unknown) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: { availableNumbers: { totalCount: number } } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

const byHash = (hash: string) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
});

describe('allow-list mode on', () => {
  const stack = useStack({ gateway: { persistedOperationsFile: allowList } });

  it('runs a registered operation sent by its hash', async () => {
    const { status, body } = await post(stack(), byHash(sha256(REGISTERED)));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.availableNumbers.totalCount).toBeGreaterThan(0);
    expect(stack().calls(AVAILABLE)).toHaveLength(1);
  });

  it('runs the example client by hash from the generated manifest', async () => {
    let rows = 0;
    for await (const page of regionNumbers({
      url: stack().url,
      region: 'kzn',
      pageSize: 100,
      persisted: true,
    })) {
      rows += page.length;
    }
    expect(rows).toBeGreaterThan(100);
  });

  it('refuses a document sent as text, naming what to send instead', async () => {
    const { body } = await post(stack(), { query: UNREGISTERED });
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('registered operations only') as string,
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_ID_REQUIRED' }) as object,
      }),
    ]);
    expect(stack().calls()).toEqual([]);
  });

  it('refuses a hash that is not registered', async () => {
    const unknown = sha256(UNREGISTERED);
    const { body } = await post(stack(), byHash(unknown));
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: `No registered operation has the hash ${unknown}.`,
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_IN_LIST' }) as object,
      }),
    ]);
    expect(stack().calls()).toEqual([]);
  });

  it('refuses a request with neither a document nor a hash', async () => {
    const { body } = await post(stack(), { variables: {} });
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
  });
});

describe('allow-list mode off (default)', () => {
  const stack = useStack();

  it('runs any document', async () => {
    expect(loadConfig({}).persistedOperationsFile).toBeUndefined();
    const { body } = await post(stack(), { query: UNREGISTERED });
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTruthy();
  });
});

describe('the allow-list file', () => {
  it('is read from PERSISTED_OPERATIONS_FILE', () => {
    expect(loadConfig({ PERSISTED_OPERATIONS_FILE: allowList }).persistedOperationsFile).toBe(
      allowList,
    );
  });

  it('accepts bare and `sha256:` keys', () => {
    const operations = loadPersistedOperations(allowList);
    expect(operations.get(sha256(REGISTERED))).toBe(REGISTERED);
    expect(operations.size).toBe(2);
  });

  it.each([
    ['a missing file', join(dir, 'missing.json'), /cannot read/],
    ['a file that is not JSON', writeFile('bad.json', '{"'), /cannot read .* JSON/],
    ['JSON that is not an object', writeList('list.json', [REGISTERED]), /JSON object/],
    ['a key that is not a sha256', writeList('key.json', { abc: REGISTERED }), /sha256 hex hash/],
    [
      'a key that is not the hash of its document',
      writeList('wrong.json', { [sha256(UNREGISTERED)]: REGISTERED }),
      /not the hash of its document/,
    ],
    [
      'a document that does not parse',
      writeList('syntax.json', { [sha256('query {')]: 'query {' }),
      /not a GraphQL document/,
    ],
  ])('stops start-up on %s, naming the variable', (_, file, message) => {
    expect(() => loadPersistedOperations(file)).toThrow(ConfigError);
    expect(() => loadPersistedOperations(file)).toThrow(/^PERSISTED_OPERATIONS_FILE: /);
    expect(() => loadPersistedOperations(file)).toThrow(message);
  });
});
