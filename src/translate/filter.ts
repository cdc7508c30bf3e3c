import type { ApiFilter, FilterValue } from '../api/wire.js';
import type { MethodDescription } from '../api/types.js';
import { columnsByGraphqlName } from '../api/types.js';
import { BadUserInputError } from '../errors.js';
import type { FilterOperatorName } from './operators.js';
import { FILTER_OPERATORS } from './operators.js';

/** A GraphQL filter input as resolvers receive it (already validated by GraphQL). */
export interface FilterInput {
  readonly and?: readonly FilterInput[] | null;
  readonly or?: readonly FilterInput[] | null;
  readonly [field: string]: unknown;
}

type OperatorValues = Partial<Record<FilterOperatorName, FilterValue | undefined>>;

function combine(filters: ApiFilter[], condition: 'and' | 'or'): ApiFilter | undefined {
  if (filters.length <= 1) return filters[0];
  return { filters, condition };
}

function simpleFilters(column: string, operators: OperatorValues): ApiFilter[] {
  const filters: ApiFilter[] = [];
  for (const [name, value] of Object.entries(operators) as [
    FilterOperatorName,
    OperatorValues[FilterOperatorName],
  ][]) {
    if (value === undefined || value === null) continue;
    const spec = FILTER_OPERATORS[name];
    if (spec.arity === 'flag') {
      filters.push({ field: column, operator: value ? 'is_null' : 'is_not_null', value: null });
    } else if ('pattern' in spec && typeof value === 'string') {
      filters.push({ field: column, operator: spec.api, value: spec.pattern(value) });
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
): ApiFilter | undefined {
  if (!input) return undefined;
  const columns = columnsByGraphqlName(method);
  const conditions: ApiFilter[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      const items = (value as readonly FilterInput[]).map((item) => toApiFilter(method, item));
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
    conditions.push(...simpleFilters(column.name, value));
  }
  return combine(conditions, 'and');
}
