/**
 * Cursors: opaque to clients, versioned, bounded, and bound to their query.
 *
 * A cursor is base64url of `{"v":1,"q":<fingerprint>,"p":<position>,"k":[<sort values>]}`:
 * `k` holds the row's value of every sort key (so the next page can find its
 * place again after rows were added or removed), `p` the row's offset when it
 * was shown (a hint: where to look for it; absent for keyset cursors, which
 * need none), `q` a fingerprint of the query (method, user, filter, order) so
 * that a cursor cannot silently be applied to another list.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MethodDescription } from '../api/types.js';
import type { ApiFilter, ApiSort } from '../api/wire.js';
import { BadUserInputError } from '../api/errors.js';
import type { SortValue } from './order.js';

export const CURSOR_VERSION = 1;
/** Longer cursors are refused unread; real ones hold a few short sort values. */
export const MAX_CURSOR_LENGTH = 2048;
/** Positions past this cannot come from the API (offset ≤ 100 000, limit ≤ 10 000). */
const MAX_POSITION = 1_000_000;

export interface QueryIdentity {
  readonly method: string;
  readonly userId: number | undefined;
  readonly filter: ApiFilter | undefined;
  readonly sort: readonly ApiSort[];
}

/** 96 bits of SHA-256: enough to tell queries apart; cursors are not secrets. */
export function fingerprint(query: QueryIdentity): string {
  const text = JSON.stringify([
    query.method,
    query.userId ?? null,
    query.filter ?? null,
    query.sort,
  ]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

export interface Cursor {
  /** Offset of the row when it was shown; absent on keyset cursors. */
  readonly position?: number;
  readonly values: readonly SortValue[];
}

const payload = z
  .object({
    v: z.literal(CURSOR_VERSION),
    q: z.string().length(16),
    p: z.number().int().min(0).max(MAX_POSITION).optional(),
    k: z.array(z.union([z.string(), z.number(), z.null()])).max(64),
  })
  .strict();

export function encodeCursor(fingerprintOfQuery: string, cursor: Cursor): string {
  const body = {
    v: CURSOR_VERSION,
    q: fingerprintOfQuery,
    // JSON leaves out an undefined position: keyset cursors carry none.
    p: cursor.position,
    k: cursor.values,
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function invalid(argument: string, why: string): BadUserInputError {
  return new BadUserInputError(`"${argument}" is not a valid cursor: ${why}.`, argument);
}

function parse(text: string, argument: string): z.infer<typeof payload> {
  if (text.length > MAX_CURSOR_LENGTH) {
    throw invalid(argument, `longer than ${MAX_CURSOR_LENGTH} characters`);
  }
  const bytes = Buffer.from(text, 'base64url');
  // Re-encoding guards against base64 that decodes leniently (junk characters, padding).
  if (bytes.toString('base64url') !== text) throw invalid(argument, 'not base64url');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(argument, 'not one this gateway made');
  }
  const parsed = payload.safeParse(json);
  if (!parsed.success) throw invalid(argument, 'not one this gateway made');
  return parsed.data;
}

function fits(method: MethodDescription, field: string, value: SortValue): boolean {
  const column = method.columns[field];
  if (!column) return false;
  if (value === null) return field !== method.key;
  if (column.type === 'int') return Number.isSafeInteger(value);
  if (column.type === 'float') return Number.isFinite(value);
  return typeof value === 'string';
}

/**
 * Reads a cursor for the query it is used with: refused (BAD_USER_INPUT) when
 * it does not decode, comes from another version, or was made by another
 * query (method, `userId`, filter or order differ), before any call.
 */
export function decodeCursor(
  text: string,
  argument: 'after' | 'before',
  method: MethodDescription,
  query: { readonly sort: readonly ApiSort[]; readonly fingerprint: string },
): Cursor {
  const { q, p, k } = parse(text, argument);
  if (q !== query.fingerprint) {
    throw new BadUserInputError(
      `"${argument}" is a cursor of another query (its list, filter, orderBy or userId differ): a cursor only works with the query it came from.`,
      argument,
    );
  }
  if (
    k.length !== query.sort.length ||
    !query.sort.every(({ field }, i) => fits(method, field, k[i] ?? null))
  ) {
    throw invalid(argument, 'its values do not fit the order');
  }
  return p === undefined ? { values: k } : { position: p, values: k };
}
