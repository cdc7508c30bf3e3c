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

describe('literalDepth, token by token', () => {
  it('skips a comment to the end of its line, \\n or \\r', () => {
    expect(literalDepth('# ( [[[\n{ a(f: {x: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('# ( [[[\r{ a(f: {x: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(f: {x: 1}) { b } } # a comment to the end', 5)).toBe(1);
  });

  it('skips a block string, and reads what follows it', () => {
    expect(literalDepth('{ a(s: """ say "{" """, f: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(s: """x""", f: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(s: """ \\""" [[ """, f: {y: 1}) { b } }', 5)).toBe(1);
  });

  it('lets an unterminated block string swallow the rest', () => {
    expect(literalDepth('{ a(f: [1], s: """ [[[ ', 10)).toBe(1);
  });

  it('ends a string at its closing quote, or at the end of the line', () => {
    expect(literalDepth('{ a(s: "x", f: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(s: "unterminated\n, f: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(s: "unterminated', 5)).toBe(0);
  });

  it('skips the character after a backslash in a string', () => {
    expect(literalDepth('{ a(s: "x\\" [[", f: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(s: "\\\\", f: {y: 1}) { b } }', 5)).toBe(1);
  });

  it('counts depth back down after each closing brace or bracket', () => {
    expect(literalDepth('{ a(f: {x: 1}, g: {y: 1}) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(f: [1], g: [2]) { b } }', 5)).toBe(1);
    expect(literalDepth('{ a(f: {a: {b: 1}, c: {d: {e: 1}}}) { b } }', 5)).toBe(3);
  });

  it('resets the depth when the last parenthesis closes, and only then', () => {
    expect(literalDepth('{ a(f: [[) b(g: [1]) }', 5)).toBe(2);
    expect(literalDepth('a((f: [) [[1]]])', 5)).toBe(3);
  });

  it('does not let a stray ")" hide the literals after it', () => {
    expect(literalDepth('{ a) b(f: {y: 1}) }', 5)).toBe(1);
  });
});
