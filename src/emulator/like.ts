/** SQL LIKE patterns as regular expressions. */

/** Regular-expression syntax characters; the only ones `u`-mode lets us escape. */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * `%` matches any run, `_` one character, and a backslash (PostgreSQL's default
 * escape) makes the next character literal. Like PostgreSQL, a pattern ending in
 * a lone backslash is an error, signalled as `null`.
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp | null {
  let source = '';
  // Iterating code points keeps `_` matching one character, astral ones included.
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] ?? '';
    if (char === '\\') {
      i += 1;
      const escaped = chars[i];
      if (escaped === undefined) return null;
      source += escaped.replace(SYNTAX, '\\$&');
    } else if (char === '%') {
      source += '[\\s\\S]*';
    } else if (char === '_') {
      source += '[\\s\\S]';
    } else {
      source += char.replace(SYNTAX, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}
