/**
 * The LIKE escape convention, in one place. The Data API documents `like` as
 * "SQL LIKE pattern with %" and says nothing about matching a `%` or `_`
 * literally. Assumption: PostgreSQL's default, a backslash escapes the next
 * character (`\%`, `\_`, `\\`). The gateway escapes user text with it for
 * `startsWith`/`endsWith`/`contains`, and the emulator reads patterns with it;
 * should the real API differ, this file is the one to change.
 */

/** The escape character. */
export const LIKE_ESCAPE = '\\';
/** Any run of characters. */
export const LIKE_ANY = '%';
/** Exactly one character. */
export const LIKE_ONE = '_';

const SPECIAL = new RegExp(
  `[${[LIKE_ESCAPE, LIKE_ANY, LIKE_ONE].map((c) => `\\${c}`).join('')}]`,
  'g',
);

/** Escapes the wildcards and the escape character so that the text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(SPECIAL, `${LIKE_ESCAPE}$&`);
}
