import type { ColumnType, ScalarType } from './types.js';
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
const ENUM_OPERATORS: readonly ApiOperator[] = ['=', '!=', 'in', 'not_in', ...EMPTINESS];

/** A column type as far as operators go. */
export type OperatorClass = ScalarType | 'enum' | 'objectList';

/** Which operators apply to each class of column (the "types" column of the table). */
export const OPERATORS_BY_CLASS: Readonly<Record<OperatorClass, readonly ApiOperator[]>> = {
  string: [
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
  ],
  // An enum whose values the API does not list (region codes).
  code: ENUM_OPERATORS,
  int: ['=', '!=', '<', '>', '<=', '>=', 'in', 'not_in', ...EMPTINESS],
  float: ['=', '!=', '<', '>', '<=', '>=', 'in', 'not_in', ...EMPTINESS],
  enum: ENUM_OPERATORS,
  objectList: ['jsquery', 'overlap', 'not_overlap', ...EMPTINESS],
};

export function operatorClassOf(type: ColumnType): OperatorClass {
  if (isEnumType(type)) return 'enum';
  if (isObjectListType(type)) return 'objectList';
  return type;
}

/** Which operators apply to a column of this type. */
export function operatorsFor(type: ColumnType): readonly ApiOperator[] {
  return OPERATORS_BY_CLASS[operatorClassOf(type)];
}
