/**
 * The `get` verb over an in-memory table: filter, sort, count, page, project.
 * Pure; every invalid param throws the `EmulatorError` the API would reply with.
 */
import type { MethodDescription } from '../api/types.js';
import { API_LIMITS } from '../api/wire.js';
import type { QUERY_PARAMS } from '../api/wire.js';
import type { Row } from '../api/wire.js';
import { EmulatorError } from './errors.js';
import { compileFilter } from './filter.js';
import type { Random } from './random.js';
import { compileSort } from './sort.js';

export type QueryParams = Readonly<Partial<Record<(typeof QUERY_PARAMS)[number], unknown>>>;

export interface QueryResult {
  /** Matches before paging. */
  readonly total_items: number;
  readonly data: Row[];
}

/** `null` is read as "not given", as for any optional param. */
function given(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Fisher–Yates on a copy: rows in an order the caller cannot predict. */
function shuffled(rows: readonly Row[], random: Random): Row[] {
  const out = [...rows];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as Row, out[i] as Row];
  }
  return out;
}

/**
 * With `random`, the rows are shuffled before the (stable) sort, as the real
 * API promises no order beyond `sort`: unsorted rows come in any order and
 * ties between sort keys are broken at random, differently on every call.
 */
export function runQuery(
  method: MethodDescription,
  rows: readonly Row[],
  params: QueryParams,
  random?: Random,
): QueryResult {
  const fields = parseFields(method, given(params.fields));
  const filterParam = given(params.filter);
  const sortParam = given(params.sort);
  const filtered =
    filterParam === undefined ? rows : rows.filter(compileFilter(method, filterParam));
  const matches = random === undefined ? filtered : shuffled(filtered, random);
  const ordered =
    sortParam === undefined ? matches : [...matches].sort(compileSort(method, sortParam));
  const limit = pagingParam(
    'limit',
    given(params.limit),
    API_LIMITS.defaultLimit,
    API_LIMITS.maxLimit,
  );
  const offset = pagingParam('offset', given(params.offset), 0, API_LIMITS.maxOffset);
  const page = ordered.slice(offset, offset + limit);
  return {
    total_items: matches.length,
    data: page.map((row) => Object.fromEntries(fields.map((f) => [f, row[f] ?? null]))),
  };
}

function pagingParam(name: string, raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!Number.isInteger(raw)) {
    throw new EmulatorError('data_type_error', { field: name, value: raw });
  }
  // Number.isInteger holds for numbers only.
  const value = raw as number;
  if (value < 0 || value > max) {
    throw new EmulatorError('invalid_parameter_value', {
      field: name,
      value,
      params: { min: 0, max },
    });
  }
  return value;
}

/** Column names in the order asked; absent or empty means every column. */
function parseFields(method: MethodDescription, raw: unknown): readonly string[] {
  const all = Object.keys(method.columns);
  if (raw === undefined) return all;
  if (!Array.isArray(raw))
    throw new EmulatorError('data_type_error', { field: 'fields', value: raw });
  const names: readonly unknown[] = raw;
  // A set keeps a name asked twice once, where it was first asked.
  const fields = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') {
      throw new EmulatorError('data_type_error', { field: 'fields', value: name });
    }
    if (!Object.hasOwn(method.columns, name)) {
      throw new EmulatorError('unexpected_parameters', { field: 'fields', value: name });
    }
    fields.add(name);
  }
  return fields.size === 0 ? all : [...fields];
}
