import type { ColumnType } from './types.js';
import { isEnumType, isObjectListType } from './types.js';

/** Filter operators of the Data API (data-api.md, "Operators"). */
export const API_OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'regexp',
  'jsquery',
  'in',
  'not_in',
  'overlap',
  'not_overlap',
  'is_null',
  'is_not_null',
] as const;

export type ApiOperator = (typeof API_OPERATORS)[number];

const EMPTINESS = ['is_null', 'is_not_null'] as const;
const STRING_OPERATORS: readonly ApiOperator[] = [
  '=',
  '!=',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'regexp',
  'in',
  'not_in',
  ...EMPTINESS,
];
const NUMBER_OPERATORS: readonly ApiOperator[] = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'not_in',
  ...EMPTINESS,
];
const ENUM_OPERATORS: readonly ApiOperator[] = ['=', '!=', 'in', 'not_in', ...EMPTINESS];
const ARRAY_OPERATORS: readonly ApiOperator[] = ['jsquery', 'overlap', 'not_overlap', ...EMPTINESS];

/** Which operators apply to a column of this type (the "types" column of the table). */
export function operatorsFor(type: ColumnType): readonly ApiOperator[] {
  if (isEnumType(type)) return ENUM_OPERATORS;
  if (isObjectListType(type)) return ARRAY_OPERATORS;
  if (type === 'code') return ENUM_OPERATORS;
  return type === 'string' ? STRING_OPERATORS : NUMBER_OPERATORS;
}

/** Operators whose `value` is an array. */
export const LIST_OPERATORS: ReadonlySet<ApiOperator> = new Set(['in', 'not_in']);
