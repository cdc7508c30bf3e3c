import { describe, expect, it } from 'vitest';
import { compareCells } from '../../../src/api/order.js';
import type { EnumType } from '../../../src/api/types.js';

const category: EnumType = {
  kind: 'enum',
  name: 'Category',
  description: '',
  values: ['usual', 'gold', 'bronze'],
};
const sign = (a: unknown, b: unknown, type: Parameters<typeof compareCells>[2]) =>
  Math.sign(compareCells(a, b, type));

describe('compareCells, the API order assumed by emulator and gateway', () => {
  it('orders numbers numerically', () => {
    expect(compareCells(2, 10, 'int')).toBe(-8);
    expect(sign(10, 2, 'float')).toBe(1);
    expect(sign(2.5, 2.5, 'float')).toBe(0);
  });

  it('orders strings by code unit, both ways', () => {
    expect(compareCells('a', 'b', 'string')).toBe(-1);
    expect(compareCells('b', 'a', 'string')).toBe(1);
    expect(compareCells('B', 'a', 'string')).toBe(-1);
    expect(compareCells('a', 'a', 'code')).toBe(0);
    expect(compareCells('10', '9', 'string')).toBe(-1);
  });

  it('orders enum values by declaration, not by text', () => {
    expect(compareCells('gold', 'usual', category)).toBe(1);
    expect(compareCells('bronze', 'usual', category)).toBe(2);
    expect(compareCells('gold', 'gold', category)).toBe(0);
    // Text of a string column compares as text even if it spells enum values.
    expect(sign('gold', 'usual', 'string')).toBe(-1);
  });

  it('puts null (or absent) after every value', () => {
    expect(compareCells(null, 1, 'int')).toBe(1);
    expect(compareCells(1, undefined, 'int')).toBe(-1);
    expect(compareCells(null, undefined, 'string')).toBe(0);
  });

  it('takes values of different kinds as equal, whatever the column', () => {
    expect(compareCells(5, 'gold', category)).toBe(0);
    expect(compareCells('gold', 5, category)).toBe(0);
    expect(compareCells(5, 'x', 'float')).toBe(0);
    expect(compareCells('x', 5, 'float')).toBe(0);
    expect(compareCells('1', 5, 'string')).toBe(0);
    expect(compareCells(5, '1', 'string')).toBe(0);
    expect(compareCells(true, false, 'string')).toBe(0);
  });
});
