import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RowsFrom } from '../../../src/http/plugins/fastExecute.js';
import { BYTES_MIN_VALUES } from '../../../src/http/plugins/fastExecute.js';
import * as rowsFromBytes from '../../../src/http/plugins/rowsFromBytes.js';
import { gatewayOver, keptReply } from '../../helpers/injectedApi.js';
import type { Served } from '../../helpers/stack.js';
import { serveGateway } from '../../helpers/stack.js';

/**
 * Which pages are written from the reply's bytes, and by which writer
 * (src/http/plugins/fastExecute.ts, fromBytes and writerOf): a writer is
 * compiled once per operation shape and kept across requests (other page
 * sizes and filters reuse it, other values of the variables given to
 * `@include`/`@skip` select other fields and get their own), and a page of
 * fewer than BYTES_MIN_VALUES values is completed from objects, which costs
 * less there. Each answer is held to graphql-js's over the same reply.
 */

vi.mock('../../../src/http/plugins/rowsFromBytes.js', async (importOriginal) => {
  const original = await importOriginal<typeof rowsFromBytes>();
  return { ...original, compileObjectWriter: vi.fn(original.compileObjectWriter) };
});

/** The API's reply to a page of `limit` rows, as the emulator spells it. */
function replyBytes(limit: number): Buffer {
  const rows = Array.from({ length: limit }, (_, i) =>
    JSON.stringify({
      phone_number: String(74950000000 + i),
      category: ['usual', 'gold'][i % 2],
      location_name: i % 3 === 0 ? null : `Moscow ${String(i)}`,
      min_charge: i * 10,
    }),
  );
  return Buffer.from(
    `{"jsonrpc":"2.0","id":1,"result":{"metadata":{"total_items":99},"data":[${rows.join(',')}]}}`,
  );
}

interface Stack extends Served {
  readonly rows: Map<RowsFrom, number>;
}

async function stack(
  executor: 'production' | 'graphql-js',
  rowsFromBytesMinValues?: number,
): Promise<Stack> {
  const rows = new Map<RowsFrom, number>();
  const gateway = gatewayOver(
    { get: (_method, params) => Promise.resolve(keptReply(replyBytes(params.limit ?? 1))) },
    {
      executor,
      onRowsWritten: (from, n) => rows.set(from, (rows.get(from) ?? 0) + n),
      ...(rowsFromBytesMinValues === undefined ? {} : { rowsFromBytesMinValues }),
    },
  );
  return { ...(await serveGateway(gateway)), rows };
}

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'writers' },
    body: JSON.stringify({ query, variables }),
  });
  return response.text();
}

const PAGE = `query Page($first: Int!, $region: String!, $name: Boolean!, $plain: Boolean!) {
  availableNumbers(first: $first, filter: { locationMnemonic: { eq: $region } }) {
    nodes { phoneNumber locationName @include(if: $name) ...More }
  }
}
fragment More on AvailableNumber { category minCharge @skip(if: $plain) }`;

describe('pages from bytes', () => {
  let production: Stack;
  let byDefault: Stack;
  let reference: Stack;
  beforeAll(async () => {
    [production, byDefault, reference] = await Promise.all([
      stack('production', 0),
      stack('production'),
      stack('graphql-js'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([production.close(), byDefault.close(), reference.close()]);
  });

  it('is compiled once per selection variant and kept across requests', async () => {
    const compile = vi.mocked(rowsFromBytes.compileObjectWriter);
    const requests = [
      { first: 3, region: 'msk', name: true, plain: false },
      { first: 5, region: 'spb', name: true, plain: false },
      { first: 4, region: 'nsk', name: false, plain: false },
      { first: 6, region: 'msk', name: true, plain: true },
      { first: 2, region: 'spb', name: false, plain: true },
      { first: 7, region: 'nsk', name: true, plain: false },
      { first: 3, region: 'msk', name: false, plain: false },
    ];
    compile.mockClear();
    for (const variables of requests) {
      const [ours, theirs] = await Promise.all([
        post(production.url, PAGE, variables),
        post(reference.url, PAGE, variables),
      ]);
      expect(theirs).not.toContain('"errors"');
      expect({ variables, ours }).toEqual({ variables, ours: theirs });
    }
    // Every page was written from the bytes, by one writer per variant: four variants.
    const rows = requests.reduce((sum, { first }) => sum + first, 0);
    expect(production.rows.get('bytes')).toBe(rows);
    expect(production.rows.get('objects')).toBeUndefined();
    expect(compile).toHaveBeenCalledTimes(4);
  });

  it(`are those of ${String(BYTES_MIN_VALUES)} values or more, by default`, async () => {
    const four = `query Four($first: Int!) {
      availableNumbers(first: $first) { nodes { phoneNumber category locationName minCharge } }
    }`;
    const small = Math.ceil(BYTES_MIN_VALUES / 4) - 1;
    const written = new Map<number, number | undefined>();
    for (const first of [small, small + 1]) {
      const before = byDefault.rows.get('bytes') ?? 0;
      const [ours, theirs] = await Promise.all([
        post(byDefault.url, four, { first }),
        post(reference.url, four, { first }),
      ]);
      expect(theirs).not.toContain('"errors"');
      expect({ first, ours }).toEqual({ first, ours: theirs });
      written.set(first, (byDefault.rows.get('bytes') ?? 0) - before);
    }
    // Four columns a row: one row short of the threshold from objects, at it from bytes.
    expect(written.get(small)).toBe(0);
    expect(written.get(small + 1)).toBe(small + 1);
    expect(byDefault.rows.get('objects')).toBeUndefined();
  });
});
