import { describe, expect, it } from 'vitest';
import { literalDepth, valueDepth } from '../../../src/translate/inputDepth.js';

/** `{ or: [ … ] }` around a leaf filter, `levels` times, as JSON text. */
const nestedJson = (levels: number) =>
  '{"or":['.repeat(levels) + '{"phoneNumber":{"eq":"1"}}' + ']}'.repeat(levels);

describe('valueDepth', () => {
  it('counts objects and lists, scalars not', () => {
    expect(valueDepth('x', 5)).toBe(0);
    expect(valueDepth(null, 5)).toBe(0);
    expect(valueDepth([], 5)).toBe(1);
    expect(valueDepth({ a: [{ b: 1 }], c: 2 }, 5)).toBe(3);
    expect(valueDepth(JSON.parse(nestedJson(2)), 20)).toBe(6);
  });

  it('stops at the limit: exactly at it is measured, one past is -1', () => {
    expect(valueDepth(JSON.parse(nestedJson(2)), 6)).toBe(6);
    expect(valueDepth(JSON.parse(nestedJson(2)), 5)).toBe(-1);
  });

  it('walks a value 100 000 levels deep without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueDepth(deep, 200_000)).toBe(100_000);
    expect(valueDepth(deep, 13)).toBe(-1);
  });
});

describe('literalDepth', () => {
  it('counts braces and brackets inside arguments, not selection sets', () => {
    expect(literalDepth('{ a { b { c } } }', 5)).toBe(0);
    expect(literalDepth('{ a(f: { or: [{ x: { eq: "1" } }] }) { b { c } } }', 10)).toBe(4);
    expect(literalDepth('query ($ids: [ID!]! = ["a"]) { nodes(ids: $ids) { id } }', 10)).toBe(1);
  });

  it('ignores braces in strings, block strings and comments', () => {
    expect(literalDepth('{ a(s: "{[{[", t: """ {[{[ \\""" [ """) { b } } # ({[{[\n', 5)).toBe(0);
  });

  it('stops at the limit: exactly at it is measured, one past is -1', () => {
    const literal = (levels: number) =>
      `{ a(f: ${'{ or: ['.repeat(levels)}{ x: 1 }${'] }'.repeat(levels)}) { b } }`;
    expect(literalDepth(literal(3), 7)).toBe(7);
    expect(literalDepth(literal(3), 6)).toBe(-1);
    expect(literalDepth(literal(50_000), 13)).toBe(-1);
  });
});
