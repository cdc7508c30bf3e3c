/**
 * The emulator seeds 3 000 available numbers, fewer than S4's 10 000-row page.
 * The static upstream lengthens such a page by repeating the rows it got,
 * renumbered so every phone number (and so every global id) stays unique,
 * and raises `total_items` to match: the gateway then really handles 10 000
 * rows. Only unfiltered pages of that method are padded (a filtered page that
 * is short is short because few rows match); other replies pass unchanged.
 */

const PADDED_METHOD = 'get.available_virtual_numbers';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numbers outside the emulator's ranges (they start 7495, 7812, …). */
function syntheticNumber(index: number): string {
  return `7999${String(index).padStart(7, '0')}`;
}

export function padPage(method: string, params: Json, result: Json): Json {
  const { data, metadata } = result;
  const limit = typeof params.limit === 'number' ? params.limit : undefined;
  const offset = typeof params.offset === 'number' ? params.offset : 0;
  if (method !== PADDED_METHOD || limit === undefined || params.filter !== undefined) {
    return result;
  }
  if (!Array.isArray(data) || !isObject(metadata) || data.length === 0) return result;
  if (data.length >= limit) return result;

  const rows: unknown[] = data.slice();
  for (let index = data.length; index < limit; index += 1) {
    const source: unknown = data[index % data.length];
    if (!isObject(source)) return result;
    rows.push(
      'phone_number' in source ? { ...source, phone_number: syntheticNumber(index) } : source,
    );
  }
  return { ...result, data: rows, metadata: { ...metadata, total_items: offset + rows.length } };
}
