import type { ApiOperator, OperatorClass } from '../api/operators.js';
import { OPERATORS_BY_CLASS, operatorClassOf } from '../api/operators.js';
import type { ColumnType } from '../api/types.js';
import { escapeLike, LIKE_ANY } from '../api/like.js';

/**
 * The GraphQL filter operators and what each sends. The schema builds the
 * filter inputs from this table and the translation reads it back, so an
 * operator cannot exist in one and not the other.
 */
export interface OperatorSpec {
  readonly api: ApiOperator;
  /** How the GraphQL value is shaped: one scalar, a list, or the `isNull` flag. */
  readonly arity: 'scalar' | 'list' | 'flag';
  /** For pattern shortcuts: turns the user's literal text into a LIKE pattern. */
  readonly pattern?: (literal: string) => string;
  readonly description: string;
}

// The escape convention is an assumption about the API, kept in api/like.ts.
export { escapeLike };

export const FILTER_OPERATORS = {
  eq: {
    api: '=',
    arity: 'scalar',
    description: 'Equal to; `eq: null` matches empty (null) values.',
  },
  ne: {
    api: '!=',
    arity: 'scalar',
    description:
      'Not equal to. Empty (null) values do not match either (SQL semantics); `ne: null` matches every non-empty value.',
  },
  lt: { api: '<', arity: 'scalar', description: 'Less than.' },
  lte: { api: '<=', arity: 'scalar', description: 'Less than or equal to.' },
  gt: { api: '>', arity: 'scalar', description: 'Greater than.' },
  gte: { api: '>=', arity: 'scalar', description: 'Greater than or equal to.' },
  in: { api: 'in', arity: 'list', description: 'One of the values.' },
  notIn: {
    api: 'not_in',
    arity: 'list',
    description: 'None of the values. Empty (null) values do not match either (SQL semantics).',
  },
  like: {
    api: 'like',
    arity: 'scalar',
    description: 'SQL LIKE pattern (`%` any run, `_` one character), case-sensitive.',
  },
  ilike: { api: 'ilike', arity: 'scalar', description: 'SQL LIKE pattern, case-insensitive.' },
  notLike: { api: 'not_like', arity: 'scalar', description: 'Does not match the LIKE pattern.' },
  notIlike: {
    api: 'not_ilike',
    arity: 'scalar',
    description: 'Does not match the LIKE pattern, case-insensitive.',
  },
  regexp: { api: 'regexp', arity: 'scalar', description: 'Matches the POSIX regular expression.' },
  startsWith: {
    api: 'like',
    arity: 'scalar',
    pattern: (text) => `${escapeLike(text)}${LIKE_ANY}`,
    description: 'Starts with the text, taken literally (case-sensitive).',
  },
  endsWith: {
    api: 'like',
    arity: 'scalar',
    pattern: (text) => `${LIKE_ANY}${escapeLike(text)}`,
    description: 'Ends with the text, taken literally (case-sensitive).',
  },
  contains: {
    api: 'like',
    arity: 'scalar',
    pattern: (text) => `${LIKE_ANY}${escapeLike(text)}${LIKE_ANY}`,
    description: 'Contains the text, taken literally (case-sensitive).',
  },
  isNull: {
    api: 'is_null',
    arity: 'flag',
    description: '`true`: the value is empty (null); `false`: it is not.',
  },
} as const satisfies Record<string, OperatorSpec>;

export type FilterOperatorName = keyof typeof FILTER_OPERATORS;

/** Filter input kinds; each becomes one shared GraphQL input type. */
export type FilterKind = Exclude<OperatorClass, 'objectList'>;

const operatorsOfKind = (kind: FilterKind): readonly FilterOperatorName[] =>
  (Object.keys(FILTER_OPERATORS) as FilterOperatorName[]).filter((name) =>
    OPERATORS_BY_CLASS[kind].includes(FILTER_OPERATORS[name].api),
  );

/**
 * The GraphQL operators of each kind: those whose API operator applies to
 * that class of column (api/operators.ts), so the two tables cannot disagree.
 */
export const OPERATORS_BY_KIND: Readonly<Record<FilterKind, readonly FilterOperatorName[]>> = {
  string: operatorsOfKind('string'),
  code: operatorsOfKind('code'),
  int: operatorsOfKind('int'),
  float: operatorsOfKind('float'),
  enum: operatorsOfKind('enum'),
};

export function filterKindOf(type: ColumnType): FilterKind | undefined {
  const kind = operatorClassOf(type);
  return kind === 'objectList' ? undefined : kind;
}
