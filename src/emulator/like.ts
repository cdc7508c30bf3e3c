/** SQL LIKE patterns as regular expressions, with the escape convention of api/like.ts. */
import { LIKE_ANY, LIKE_ESCAPE, LIKE_ONE } from '../api/like.js';

/** Regular-expression syntax characters; the only ones `u`-mode lets us escape. */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * `%` matches any run, `_` one character, and the escape character (assumed
 * to be PostgreSQL's default backslash, see api/like.ts) makes the next one literal. Like PostgreSQL, a pattern ending in
 * a lone backslash is an error, signalled as `null`.
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp | null {
  let source = '';
  let escaping = false;
  // Iterating code points keeps `_` matching one character, astral ones included.
  for (const char of pattern) {
    if (escaping) {
      source += char.replace(SYNTAX, '\\$&');
      escaping = false;
    } else if (char === LIKE_ESCAPE) {
      escaping = true;
    } else if (char === LIKE_ANY) {
      source += '[\\s\\S]*';
    } else if (char === LIKE_ONE) {
      source += '[\\s\\S]';
    } else {
      source += char.replace(SYNTAX, '\\$&');
    }
  }
  if (escaping) return null;
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}
