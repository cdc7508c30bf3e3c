import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeLike, LIKE_ANY } from '../../../src/api/like.js';
import { likeToRegExp } from '../../../src/emulator/like.js';

/** The gateway escapes and the emulator reads patterns by the same (assumed) convention. */
describe('the LIKE escape convention', () => {
  const units = fc.constantFrom('a', 'b', '%', '_', '\\', 'é', '\n');
  const text = fc.string({ unit: units });

  it('makes escaped text match itself and nothing else', () => {
    fc.assert(
      fc.property(text, text, (literal, other) => {
        const pattern = likeToRegExp(escapeLike(literal), false);
        expect(pattern?.test(literal)).toBe(true);
        expect(pattern?.test(other)).toBe(other === literal);
      }),
    );
  });

  it('keeps escaped text literal inside a prefix pattern', () => {
    fc.assert(
      // Never starting with "x", so that "x" + prefix cannot match.
      fc.property(fc.string({ unit: units, minLength: 1 }), text, (prefix, rest) => {
        const pattern = likeToRegExp(`${escapeLike(prefix)}${LIKE_ANY}`, false);
        expect(pattern?.test(prefix + rest)).toBe(true);
        expect(pattern?.test(`x${prefix}`)).toBe(false);
      }),
    );
  });
});
