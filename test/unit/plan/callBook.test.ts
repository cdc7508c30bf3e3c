import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import { CallBook } from '../../../src/plan/callBook.js';

const NUMBERS = availableVirtualNumbers.method;
const spb = { field: 'location_mnemonic', operator: '=', value: 'spb' } as const;
const sort = [{ field: 'phone_number', order: 'asc' }] as const;
const page = (offset: number, limit: number) => ({ filter: spb, sort: [...sort], offset, limit });

describe('CallBook', () => {
  it('makes one call of pages that differ only in fields, asking for the union', () => {
    const book = new CallBook(100);
    const a = book.page(NUMBERS, page(0, 5), ['phone_number', 'category']);
    const b = book.page(NUMBERS, page(0, 5), ['category', 'min_charge']);
    const calls = book.close();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params.fields).toEqual(['phone_number', 'category', 'min_charge']);
    expect(a.call).toBe(b.call);
  });

  it('makes separate calls for separate pages, in the order they were asked', () => {
    const book = new CallBook(100);
    book.page(NUMBERS, page(5, 5), ['phone_number']);
    book.page(NUMBERS, page(0, 5), ['phone_number']);
    expect(book.close().map((c) => c.params.offset)).toEqual([5, 0]);
  });

  it('answers a count from a page call with the same method, user and filter', () => {
    const book = new CallBook(100);
    const count = book.count(availableVirtualNumbers, undefined, spb);
    const pageCall = book.page(NUMBERS, page(40, 10), ['phone_number']);
    expect(book.close()).toHaveLength(1);
    expect(count.call).toBe(pageCall.call);
  });

  it('makes one call of one key row for every count no page answers, per filter and user', () => {
    const book = new CallBook(100);
    const a = book.count(availableVirtualNumbers, undefined, spb);
    const b = book.count(availableVirtualNumbers, undefined, spb);
    const other = book.count(availableVirtualNumbers, 7, spb);
    const calls = book.close();
    expect(calls).toHaveLength(2);
    expect(a.call).toBe(b.call);
    expect(a.call.params).toEqual({ filter: spb, offset: 0, limit: 1, fields: ['phone_number'] });
    expect(other.call.params).toEqual({
      user_id: 7,
      filter: spb,
      offset: 0,
      limit: 1,
      fields: ['phone_number'],
    });
  });

  it('does not answer a count from a page of another filter (a keyset page)', () => {
    const book = new CallBook(100);
    const keyset = {
      filters: [spb, { field: 'phone_number', operator: '>', value: '7' }],
      condition: 'and',
    } as const;
    book.page(NUMBERS, { ...page(0, 5), filter: keyset }, ['phone_number']);
    book.count(availableVirtualNumbers, undefined, spb);
    expect(book.close()).toHaveLength(2);
  });

  it('looks up keys of one type and user in one call: an in filter, the union of columns', () => {
    const book = new CallBook(100);
    const one = book.lookup(virtualNumberGroups, undefined, 1, ['name']);
    const two = book.lookup(virtualNumberGroups, undefined, 2, ['number']);
    const again = book.lookup(virtualNumberGroups, undefined, 1, ['name']);
    const calls = book.close();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params).toEqual({
      filter: { field: 'id', operator: 'in', value: [1, 2] },
      limit: 2,
      fields: ['id', 'name', 'number'],
    });
    expect(one.call).toBe(two.call);
    expect(again.call).toBe(one.call);
  });

  it('keeps look-ups of different users, and of a number and its text, apart', () => {
    const book = new CallBook(100);
    book.lookup(virtualNumberGroups, undefined, 1, []);
    book.lookup(virtualNumberGroups, 9, 1, []);
    book.lookup(virtualNumberGroups, 9, '1', []);
    const calls = book.close();
    expect(calls.map((c) => [c.params.user_id, c.params.filter])).toEqual([
      [undefined, { field: 'id', operator: 'in', value: [1] }],
      [9, { field: 'id', operator: 'in', value: [1, '1'] }],
    ]);
  });

  it('splits look-ups into calls of at most maxKeysPerCall keys', () => {
    const book = new CallBook(2);
    const handles = [1, 2, 3, 4, 5].map((id) =>
      book.lookup(virtualNumberGroups, undefined, id, []),
    );
    const calls = book.close();
    expect(calls.map((c) => (c.params.filter as { value: unknown }).value)).toEqual([
      [1, 2],
      [3, 4],
      [5],
    ]);
    expect(handles[4]?.call).toBe(calls[2]);
  });

  it('names each call by its params, fields aside, and closes once', () => {
    const book = new CallBook(100);
    book.page(NUMBERS, page(0, 5), ['phone_number']);
    const first = book.close();
    expect(book.close()).toBe(first);
    expect(first[0]?.id).toBe(JSON.stringify([NUMBERS, page(0, 5)]));
  });

  it('refuses a handle read before the book is closed', () => {
    const book = new CallBook(100);
    const handle = book.page(NUMBERS, page(0, 5), ['phone_number']);
    expect(() => handle.call).toThrow(/before planning ended/);
  });
});
