import type { Row } from '../api/wire.js';
import type { Lookup } from '../plan/lookupFields.js';
import type { CallTable } from '../upstream/callTable.js';

/**
 * The row a planned look-up names, null when the API has none. Look-ups of
 * one type and customer share the calls the plan made for them.
 */
export async function resolveLookup(lookup: Lookup, calls: CallTable): Promise<Row | null> {
  const { data } = await calls.result(lookup.call.call);
  const { key } = lookup.method;
  const wanted = String(lookup.key);
  return data.find((row) => String(row[key]) === wanted) ?? null;
}
