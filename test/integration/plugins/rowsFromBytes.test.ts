import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GetResult, Row } from '../../../src/api/wire.js';
import { loadConfig } from '../../../src/config/config.js';
import type { RowsFrom } from '../../../src/http/plugins/fastExecute.js';
import type { FrontDoor } from '../../../src/http/leanDoor.js';
import { gatewayOver, keptReply } from '../../helpers/injectedApi.js';
import { serveGateway } from '../../helpers/stack.js';

/**
 * Pages written from the API's reply bytes (src/http/plugins/rowsFromBytes.ts)
 * answer what graphql-js answers over the parsed rows, byte for byte, however
 * the API spells its JSON: whitespace, escapes in values and keys, duplicate
 * keys, numbers in any form, values the schema refuses, columns nobody asked
 * for. Each reply below is text written here, parsed the way the RPC client
 * parses it, with its bytes kept as the client keeps them; the production
 * gateway answers through the lean door (bytes spliced into the reply) and
 * through Yoga's (bytes parsed back), graphql-js through the lean door.
 */

type Spelled = string;

/** A reply's text with each row spelled as given (members in order, raw JSON values). */
function replyText(rows: readonly (readonly [key: Spelled, value: Spelled][])[]): string {
  const body = rows
    .map((members) => `{ ${members.map(([k, v]) => `${k} :${v}`).join(' ,\n')} }`)
    .join(' , ');
  return `{"jsonrpc":"2.0","id":1,"result":{ "metadata": {"total_items": ${String(rows.length)}},\n "data" : [ ${body} ] } }`;
}

interface Served {
  readonly text: string;
  readonly rows: Map<RowsFrom, number>;
}

/** The answer of a gateway over a client replying `text`, through `door`. */
async function answer(
  text: string,
  query: string,
  executor: 'production' | 'graphql-js',
  door: FrontDoor,
): Promise<Served> {
  const reply = keptReply(Buffer.from(text));
  const rows = new Map<RowsFrom, number>();
  const config = loadConfig({ PAGE_SIZE_MAX: '10000' });
  const served = await serveGateway(
    gatewayOver(
      { get: () => Promise.resolve(reply) },
      {
        limits: { ...config.limits, maxCost: 10_000 * 20 * 4 },
        executor,
        onRowsWritten: (from, n) => rows.set(from, (rows.get(from) ?? 0) + n),
        // Every page from the bytes, however small (rowsFromBytesWriters.test.ts checks the default).
        rowsFromBytesMinValues: 0,
      },
      config,
    ),
    door,
    config.limits.maxBodyBytes,
  );
  try {
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'rows-from-bytes' },
      body: JSON.stringify({ query }),
    });
    return { text: await response.text(), rows };
  } finally {
    await served.close();
  }
}

/** The three answers to one query over one reply; the first two must equal the reference. */
async function threeWays(text: string, query: string) {
  const [lean, yoga, reference] = await Promise.all([
    answer(text, query, 'production', 'lean'),
    answer(text, query, 'production', 'yoga'),
    answer(text, query, 'graphql-js', 'lean'),
  ]);
  return { lean, yoga, reference };
}

const FIELDS =
  '__typename id phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge';
const SHAPES = [
  `nodes { ${FIELDS} }`,
  `edges { cursor node { ${FIELDS} } }`,
  `totalCount edges { c: cursor node { p: phoneNumber __typename } } nodes { __proto__: id ...F } pageInfo { endCursor }`,
];
const query = (shape: string, first: number) =>
  `{ availableNumbers(first: ${String(first)}) { ${shape} } }${
    shape.includes('...F') ? ' fragment F on AvailableNumber { minCharge category }' : ''
  }`;

/** A row as the emulator sends it, its values spelled plainly. */
function plainRow(i: number): [Spelled, Spelled][] {
  return [
    ['"phone_number"', JSON.stringify(String(74950000000 + i))],
    ['"category"', JSON.stringify(['usual', 'bronze', 'silver', 'gold'][i % 4])],
    ['"location_mnemonic"', i % 5 === 0 ? 'null' : '"msk"'],
    ['"location_name"', JSON.stringify(i % 3 === 0 ? 'Москва' : `Moscow ${String(i)}`)],
    ['"onetime_payment"', String(i * 50)],
    ['"monthly_charge"', String(i / 4)],
    ['"min_charge"', i % 2 === 0 ? '0' : '-120'],
  ];
}

describe('pages written from the reply bytes', () => {
  it('answer 1, 1 000 and 10 000-row pages as graphql-js does, in every shape, from the bytes', async () => {
    for (const size of [1, 1000, 10_000]) {
      const text = replyText(Array.from({ length: size }, (_, i) => plainRow(i)));
      for (const shape of SHAPES) {
        const { lean, yoga, reference } = await threeWays(text, query(shape, size));
        expect(reference.text).not.toContain('"errors"');
        expect({ size, shape, text: lean.text }).toEqual({ size, shape, text: reference.text });
        expect({ size, shape, text: yoga.text }).toEqual({ size, shape, text: reference.text });
        // Every row was written from the bytes, through either door; graphql-js wrote none.
        expect(lean.rows.get('bytes')).toBeGreaterThanOrEqual(size);
        expect(yoga.rows.get('bytes')).toBeGreaterThanOrEqual(size);
        expect(lean.rows.get('objects')).toBeUndefined();
        expect(reference.rows.size).toBe(0);
      }
    }
  }, 120_000);

  it('answer odd spellings as graphql-js does: escapes, numbers in any form, duplicate keys, extra columns', async () => {
    const odd: [Spelled, Spelled][][] = [
      // Escapes in strings, which JSON.stringify writes otherwise.
      [
        ['"phone_number"', '"7495\\u0030001"'],
        ['"category"', '"g\\u006fld"'],
        ['"location_name"', '"Quote \\" slash \\/ tab \\t \\u00e9 \\ud83d\\ude00 \\ud800"'],
        ['"location_mnemonic"', '"\\u2028"'],
      ],
      // Raw UTF-8 of every width, and characters JSON.stringify leaves alone.
      [
        ['"phone_number"', '"74950000002"'],
        ['"location_name"', '"é Москва 東京 😀 \u2028 \u007f"'],
        ['"category"', '"usual"'],
      ],
      // Numbers spelled otherwise than JSON.stringify writes them.
      [
        ['"phone_number"', '"74950000003"'],
        ['"onetime_payment"', '1.50'],
        ['"monthly_charge"', '1e2'],
        ['"min_charge"', '-0'],
      ],
      [
        ['"phone_number"', '"74950000004"'],
        ['"onetime_payment"', '1E+21'],
        ['"monthly_charge"', '123456789012345678'],
        ['"min_charge"', '0.1'],
      ],
      [
        ['"phone_number"', '"74950000005"'],
        ['"onetime_payment"', '-0.0'],
        ['"monthly_charge"', '100000000000000'],
        ['"min_charge"', '1234567890123456'],
      ],
      // Duplicate keys: the last one counts, as JSON.parse takes it.
      [
        ['"phone_number"', '"74950000006"'],
        ['"category"', '"gold"'],
        ['"category"', '"bronze"'],
        ['"min_charge"', '1'],
        ['"min_charge"', 'null'],
      ],
      // Columns nobody selected, holding brackets and quotes in strings.
      [
        ['"extra"', '{"a":[1,{"b":"}]{["}],"c":"\\"}"}'],
        ['"phone_number"', '"74950000007"'],
        ['"list"', '[[],{},"]",null,true,false,-1.5e-3]'],
      ],
      // Absent columns and explicit nulls, where null is allowed.
      [
        ['"phone_number"', '"74950000008"'],
        ['"location_name"', 'null'],
      ],
    ];
    const text = replyText(odd);
    for (const shape of SHAPES) {
      const { lean, yoga, reference } = await threeWays(text, query(shape, odd.length));
      expect(reference.text).not.toContain('"errors"');
      expect({ shape, text: lean.text }).toEqual({ shape, text: reference.text });
      expect({ shape, text: yoga.text }).toEqual({ shape, text: reference.text });
      expect(lean.rows.get('bytes')).toBeGreaterThanOrEqual(odd.length);
    }
  });

  it('complete a page the ordinary way when a key is escaped or repeated after the rows, and fall back on values the schema refuses', async () => {
    const escapedKey = replyText([plainRow(1), [['"phone\\u005fnumber"', '"74950000009"']]]);
    const withKey = await threeWays(escapedKey, query(SHAPES[0] ?? '', 2));
    expect(withKey.lean.text).toBe(withKey.reference.text);
    expect(withKey.yoga.text).toBe(withKey.reference.text);
    expect(withKey.lean.text).toContain('"phoneNumber":"74950000009"');
    // Read as objects: a byte compare would have missed the column.
    expect(withKey.lean.rows.get('objects')).toBe(2);
    expect(withKey.lean.rows.get('bytes')).toBeUndefined();

    // A later `data` in the result, or a later `result`: JSON.parse reads the last one.
    const rows = (tag: string) =>
      [1, 2].map((i) =>
        plainRow(i).map(
          ([k, v]) => [k, k === '"location_name"' ? `"${tag}"` : v] as [Spelled, Spelled],
        ),
      );
    const spelled = (members: [Spelled, Spelled][]) =>
      `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`;
    for (const text of [
      `{"jsonrpc":"2.0","id":1,"result":{"data":[${rows('first').map(spelled).join(',')}],"metadata":{"total_items":2},"data":[${rows('second').map(spelled).join(',')}]}}`,
      `{"jsonrpc":"2.0","id":1,"result":{"data":[${rows('first').map(spelled).join(',')}],"metadata":{"total_items":2}},"result":{"metadata":{"total_items":2},"data":[${rows('second').map(spelled).join(',')}]}}`,
    ]) {
      const twice = await threeWays(text, query(SHAPES[0] ?? '', 2));
      expect(twice.reference.text).toContain('"locationName":"second"');
      expect(twice.lean.text).toBe(twice.reference.text);
      expect(twice.yoga.text).toBe(twice.reference.text);
      expect(twice.lean.rows.get('objects')).toBe(2);
    }

    for (const [key, value] of [
      ['"category"', '"platinum"'],
      ['"onetime_payment"', '"12"'],
      ['"min_charge"', 'true'],
      ['"location_name"', '{"ru":"Москва"}'],
      ['"phone_number"', 'null'],
      ['"phone_number"', '74950000010'],
    ] as const) {
      const text = replyText([plainRow(1), [...plainRow(2), [key, value]]]);
      const { lean, yoga, reference } = await threeWays(text, query(SHAPES[0] ?? '', 2));
      expect({ key, value, text: reference.text }).toMatchObject({
        text: expect.stringContaining('"errors":[') as unknown,
      });
      expect({ key, value, text: lean.text }).toEqual({ key, value, text: reference.text });
      expect({ key, value, text: yoga.text }).toEqual({ key, value, text: reference.text });
    }
  });

  it('write ids and integers from integer keys as graphql-js does, and fall back on keys out of range', async () => {
    const group = (id: Spelled, name: Spelled = '"Sales"'): [Spelled, Spelled][] => [
      ['"id"', id],
      ['"name"', name],
      ['"number"', '"74950000001"'],
    ];
    const q = (n: number) =>
      `{ virtualNumberGroups(first: ${String(n)}) { nodes { id databaseId name __typename } edges { node { id } } } }`;
    const fine = replyText([
      group('5'),
      group('-12'),
      group('0'),
      group('1e2'),
      group('7.0'),
      group('123456789'),
      group('1234567890'),
      group('42', '"\u00e9"'),
    ]);
    const written = await threeWays(fine, q(8));
    expect(written.reference.text).not.toContain('"errors"');
    expect(written.lean.text).toBe(written.reference.text);
    expect(written.yoga.text).toBe(written.reference.text);
    expect(written.lean.rows.get('bytes')).toBe(16);
    for (const id of ['2147483648', '"12"', 'null', '-0.5']) {
      const text = replyText([group('1'), group(id)]);
      const { lean, yoga, reference } = await threeWays(text, q(2));
      expect({ id, text: reference.text }).toMatchObject({
        text: expect.stringContaining('"errors":[') as unknown,
      });
      expect({ id, text: lean.text }).toEqual({ id, text: reference.text });
      expect({ id, text: yoga.text }).toEqual({ id, text: reference.text });
    }
  });

  it('answer generated strings and numbers, spelled raw or escaped, as graphql-js does', async () => {
    /** A string spelled with some characters escaped as \uXXXX (surrogates one by one). */
    const spell = (value: string, escapes: readonly boolean[]): string =>
      `"${(
        JSON.stringify(value)
          .slice(1, -1)
          .match(/\\u[0-9a-f]{4}|\\.|[\s\S]/gu) ?? []
      )
        .map((token, i) =>
          escapes[i % escapes.length] && !token.startsWith('\\')
            ? Array.from(
                { length: token.length },
                (_, k) => `\\u${token.charCodeAt(k).toString(16).padStart(4, '0')}`,
              ).join('')
            : token,
        )
        .join('')}"`;
    const number = fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.nat(999), fc.integer({ min: -30, max: 30 }))
        .map(([a, b, e]) => `${String(a)}.${String(b).padStart(3, '0')}e${String(e)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.oneof(
              fc.string({ unit: 'binary', maxLength: 12 }),
              // Any UTF-16 unit, lone surrogates included.
              fc.string({
                unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
                maxLength: 8,
              }),
            ),
            escapes: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
            charge: number,
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (rows) => {
          const text = replyText(
            rows.map((row, i) => [
              ['"phone_number"', JSON.stringify(String(74950000000 + i))],
              ['"location_name"', spell(row.name, row.escapes)],
              ['"monthly_charge"', row.charge],
            ]),
          );
          const q = query('nodes { locationName monthlyCharge }', rows.length);
          const [lean, reference] = await Promise.all([
            answer(text, q, 'production', 'lean'),
            answer(text, q, 'graphql-js', 'lean'),
          ]);
          expect(lean.text).toBe(reference.text);
          expect(lean.rows.get('bytes')).toBe(rows.length);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

// Rows handed over without bytes are completed as objects: nothing to write from.
describe('pages without kept bytes', () => {
  it('are completed the ordinary way', async () => {
    const rows: Row[] = [{ phone_number: '74950000001', category: 'gold' }];
    const gateway = gatewayOver(
      {
        get: (): Promise<GetResult> =>
          Promise.resolve({ metadata: { total_items: 1 }, data: rows }),
      },
      {
        onRowsWritten: () => {
          throw new Error('no list can be written from bytes that were not kept');
        },
        rowsFromBytesMinValues: 0,
      },
    );
    const response = await gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ availableNumbers(first: 1) { nodes { phoneNumber category } } }',
      }),
    });
    expect(await response.text()).toBe(
      '{"data":{"availableNumbers":{"nodes":[{"phoneNumber":"74950000001","category":"GOLD"}]}}}',
    );
    await gateway.dispose();
  });
});
