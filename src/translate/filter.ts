import type { ApiOperator } from '../api/operators.js';
import type { ApiFilter, FilterValue } from '../api/wire.js';
import type { MethodDescription } from '../api/types.js';
import { columnsByGraphqlName } from '../api/types.js';
import { BadUserInputError } from '../api/errors.js';
import type { FilterOperatorName } from './operators.js';
import { FILTER_OPERATORS } from './operators.js';

/** A GraphQL filter input as resolvers receive it (already validated by GraphQL). */
export interface FilterInput {
  readonly and?: readonly FilterInput[] | null;
  readonly or?: readonly FilterInput[] | null;
  readonly [field: string]: unknown;
}

type OperatorValues = Partial<Record<FilterOperatorName, FilterValue | undefined>>;

/** Bounds on a filter's size, so a crafted input cannot make a huge or deep call. */
export interface FilterBounds {
  /** `and`/`or` nesting levels. */
  readonly maxDepth: number;
  /** Values in one `in`/`notIn` list. */
  readonly maxListInput: number;
  /** Characters in one string value. */
  readonly maxStringInput: number;
}

const UNBOUNDED: FilterBounds = {
  maxDepth: Infinity,
  maxListInput: Infinity,
  maxStringInput: Infinity,
};

function checkValue(value: FilterValue, operator: string, bounds: FilterBounds): void {
  const values = Array.isArray(value) ? value : [value];
  if (values.length > bounds.maxListInput) {
    throw new BadUserInputError(
      `"${operator}" has ${values.length} values; the limit is ${bounds.maxListInput} (MAX_LIST_INPUT).`,
      'filter',
    );
  }
  for (const item of values) {
    if (typeof item === 'string' && item.length > bounds.maxStringInput) {
      throw new BadUserInputError(
        `A "${operator}" value is ${item.length} characters long; the limit is ${bounds.maxStringInput} (MAX_STRING_INPUT).`,
        'filter',
      );
    }
  }
}

function combine(filters: ApiFilter[], condition: 'and' | 'or'): ApiFilter | undefined {
  if (filters.length <= 1) return filters[0];
  return { filters, condition };
}

/**
 * `eq: null` / `ne: null` are the API's own emptiness tests (`= null`,
 * `!= null`, data-api.md); any other operator with null has no meaning.
 */
function nullCondition(column: string, name: FilterOperatorName, api: ApiOperator): ApiFilter {
  if (name === 'eq' || name === 'ne') return { field: column, operator: api, value: null };
  throw new BadUserInputError(
    name === 'isNull'
      ? '"isNull" must be true or false, not null.'
      : `"${name}: null" is not a condition; to match empty values use "eq: null" (non-empty: "ne: null").`,
    'filter',
  );
}

function simpleFilters(
  column: string,
  operators: OperatorValues,
  bounds: FilterBounds,
): ApiFilter[] {
  const filters: ApiFilter[] = [];
  for (const [name, value] of Object.entries(operators) as [
    FilterOperatorName,
    OperatorValues[FilterOperatorName],
  ][]) {
    if (value === undefined) continue;
    const spec = FILTER_OPERATORS[name];
    // A null operand is never dropped: that would silently widen the filter.
    if (value === null) {
      filters.push(nullCondition(column, name, spec.api));
      continue;
    }
    checkValue(value, name, bounds);
    if (spec.arity === 'flag') {
      filters.push({ field: column, operator: value ? 'is_null' : 'is_not_null', value: null });
    } else if ('pattern' in spec) {
      // GraphQL types the pattern operators String; String() only satisfies the type.
      filters.push({ field: column, operator: spec.api, value: spec.pattern(String(value)) });
    } else {
      filters.push({ field: column, operator: spec.api, value });
    }
  }
  return filters;
}

/**
 * Translates a filter input into the API's `filter`. Operators on one object
 * and `and` lists are joined with `and`; an `or` list becomes an `or` tree;
 * nested lists stay nested. Returns undefined when nothing constrains the rows.
 */
export function toApiFilter(
  method: MethodDescription,
  input: FilterInput | null | undefined,
  bounds: FilterBounds = UNBOUNDED,
  depth = 0,
): ApiFilter | undefined {
  if (!input) return undefined;
  const columns = columnsByGraphqlName(method);
  const conditions: ApiFilter[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      if (depth + 1 > bounds.maxDepth) {
        throw new BadUserInputError(
          `"filter" nests "and"/"or" more than ${bounds.maxDepth} levels deep (MAX_FILTER_DEPTH).`,
          'filter',
        );
      }
      const list = value as readonly FilterInput[];
      if (list.length > bounds.maxListInput) {
        throw new BadUserInputError(
          `"${key}" has ${list.length} filters; the limit is ${bounds.maxListInput} (MAX_LIST_INPUT).`,
          'filter',
        );
      }
      const items = list.map((item) => toApiFilter(method, item, bounds, depth + 1));
      if (key === 'or') {
        // An alternative that constrains nothing matches every row, and so does the `or`.
        if (items.length === 0)
          throw new BadUserInputError('"or" needs at least one filter.', 'filter');
        if (items.includes(undefined)) continue;
      }
      const tree = combine(
        items.filter((item): item is ApiFilter => item !== undefined),
        key,
      );
      if (tree) conditions.push(tree);
      continue;
    }
    const column = columns.get(key);
    // GraphQL validation only lets filterable fields through; anything else is a bug.
    if (!column?.spec.filterable) {
      throw new Error(`${key} is not a filterable field of ${method.typeName}`);
    }
    conditions.push(...simpleFilters(column.name, value, bounds));
  }
  return combine(conditions, 'and');
}
