import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ApiSort } from '../../../src/api/wire.js';
import {
  decodeCursor,
  encodeCursor,
  fingerprint,
  MAX_CURSOR_LENGTH,
} from '../../../src/translate/cursor.js';
import { refusal } from '../../helpers/refusal.js';

const sort: ApiSort[] = [
  { field: 'min_charge', order: 'desc' },
  { field: 'phone_number', order: 'asc' },
];
const identity = {
  method: availableVirtualNumbers.method,
  userId: undefined,
  filter: { field: 'category', operator: '=', value: 'gold' } as const,
  sort,
};
const query = { sort, fingerprint: fingerprint(identity) };
const decode = (text: string) => decodeCursor(text, 'after', availableVirtualNumbers, query);
const raw = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('cursors', () => {
  it('round-trip a position and the sort values, nulls included', () => {
    const cursor = { position: 41, values: [null, '74951234567'] };
    expect(decode(encodeCursor(query.fingerprint, cursor))).toEqual(cursor);
    const keyset = { values: [12.5, '7'] };
    expect(decode(encodeCursor(query.fingerprint, keyset))).toEqual(keyset);
  });

  it('are opaque, versioned base64url', () => {
    const text = encodeCursor(query.fingerprint, { position: 1, values: [1, '7'] });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(text, 'base64url').toString())).toMatchObject({ v: 1 });
  });
});

describe('fingerprints', () => {
  it.each([
    ['the method', { method: 'get.virtual_number_groups' }],
    ['the user', { userId: 3 }],
    ['the filter', { filter: undefined }],
    ['the order', { sort: [...sort].reverse() }],
  ])('change with %s', (_name, change) => {
    expect(fingerprint({ ...identity, ...change })).not.toBe(query.fingerprint);
  });

  it('are the same for the same query', () => {
    expect(fingerprint({ ...identity, sort: sort.map((key) => ({ ...key })) })).toBe(
      query.fingerprint,
    );
  });
});

describe('cursors refused', () => {
  const good = { v: 1, q: query.fingerprint, p: 3, k: [null, '7'] };
  it.each([
    ['garbage', 'not a cursor!', /not base64url/],
    ['the empty string', '', /not one this gateway made/],
    ['padding', `${encodeCursor(query.fingerprint, { values: [1, '7'] })}=`, /not base64url/],
    [
      'the former offset format',
      Buffer.from('offset:5').toString('base64'),
      /not base64url|not one/,
    ],
    ['another version', raw({ ...good, v: 2 }), /not one this gateway made/],
    ['an unknown member', raw({ ...good, x: 1 }), /not one this gateway made/],
    ['a negative position', raw({ ...good, p: -1 }), /not one this gateway made/],
    ['a fractional position', raw({ ...good, p: 1.5 }), /not one this gateway made/],
    ['too few values', raw({ ...good, k: ['7'] }), /do not fit the order/],
    ['a number for a string', raw({ ...good, k: [null, 7] }), /do not fit the order/],
    ['a string for a number', raw({ ...good, k: ['1', '7'] }), /do not fit the order/],
    ['an empty key', raw({ ...good, k: [1, null] }), /do not fit the order/],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1), /longer than 2048 characters/],
  ])('%s', (_name, text, message) => {
    const refused = refusal(() => decode(text));
    expect(refused.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(refused.message).toMatch(message);
  });

  it('a cursor of another query', () => {
    const other = fingerprint({ ...identity, userId: 9 });
    expect(refusal(() => decode(encodeCursor(other, { position: 1, values: [1, '7'] })))).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        '"after" is a cursor of another query (its list, filter, orderBy or userId differ): a cursor only works with the query it came from.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });
});

describe('cursor edges', () => {
  it('carry no position member at all when they have none', () => {
    const text = encodeCursor(query.fingerprint, { values: [12.5, '7'] });
    const body: unknown = JSON.parse(Buffer.from(text, 'base64url').toString());
    expect(Object.keys(body as object)).toEqual(['v', 'q', 'k']);
    expect(decode(text)).toStrictEqual({ values: [12.5, '7'] });
    expect(
      decode(encodeCursor(query.fingerprint, { position: 0, values: [1, '7'] })),
    ).toStrictEqual({ position: 0, values: [1, '7'] });
  });

  it('are read up to exactly MAX_CURSOR_LENGTH characters', () => {
    // 2048 characters of base64url that decode, but not to a cursor.
    expect(refusal(() => decode('A'.repeat(MAX_CURSOR_LENGTH))).message).toBe(
      '"after" is not a valid cursor: not one this gateway made.',
    );
  });

  it('refuse more values than the order has keys', () => {
    const good = { v: 1, q: query.fingerprint, p: 3, k: [1, '7'] };
    expect(decode(raw(good))).toEqual({ position: 3, values: [1, '7'] });
    expect(refusal(() => decode(raw({ ...good, k: [1, '7', '8'] }))).message).toBe(
      '"after" is not a valid cursor: its values do not fit the order.',
    );
  });

  it('refuse a float that JSON reads as infinite', () => {
    const text = Buffer.from(`{"v":1,"q":"${query.fingerprint}","p":3,"k":[1e999,"7"]}`).toString(
      'base64url',
    );
    expect(refusal(() => decode(text)).message).toBe(
      '"after" is not a valid cursor: not one this gateway made.',
    );
  });

  it('take integers for an int key, safe ones only', () => {
    const byId: ApiSort[] = [{ field: 'id', order: 'asc' }];
    const groups = {
      method: virtualNumberGroups.method,
      userId: undefined,
      filter: undefined,
      sort: byId,
    };
    const idQuery = { sort: byId, fingerprint: fingerprint(groups) };
    const read = (k: unknown[]) =>
      decodeCursor(
        raw({ v: 1, q: idQuery.fingerprint, k }),
        'before',
        virtualNumberGroups,
        idQuery,
      );
    expect(read([5])).toStrictEqual({ values: [5] });
    expect(refusal(() => read([1.5])).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'before',
    });
    expect(refusal(() => read([2 ** 53])).message).toMatch(/do not fit the order/);
    expect(refusal(() => read(['5'])).message).toMatch(/do not fit the order/);
  });

  it('refuse values for a sort key the method does not describe', () => {
    const odd: ApiSort[] = [{ field: 'no_such_column', order: 'asc' }];
    const oddQuery = { sort: odd, fingerprint: query.fingerprint };
    expect(
      refusal(() =>
        decodeCursor(
          raw({ v: 1, q: query.fingerprint, k: ['x'] }),
          'after',
          availableVirtualNumbers,
          oddQuery,
        ),
      ).message,
    ).toMatch(/do not fit the order/);
  });
});
