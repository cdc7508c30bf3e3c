/**
 * `filter` param → row predicate, validating as the API does. Comparisons follow
 * SQL: a null cell matches nothing but the emptiness tests (`= null`, `!= null`,
 * `is_null`, `is_not_null`), so `!=`, `not_in` and `not_like` skip nulls too.
 * Errors name the parameter without the nesting depth (`filter.field`, not
 * `filter.filters.0.field`), so a client can match them whatever the tree shape.
 */
import { API_OPERATORS, operatorsFor } from '../api/operators.js';
import type { ApiOperator } from '../api/operators.js';
import type { ColumnType, MethodDescription } from '../api/types.js';
import { isEnumType, isObjectListType } from '../api/types.js';
import type { Row } from '../api/wire.js';
import { EmulatorError } from './errors.js';
import { isRecord } from './json.js';
import { likeToRegExp } from './like.js';

export type Predicate = (row: Row) => boolean;

/** The docs show three levels; deeper trees are accepted up to this bound. */
export const MAX_FILTER_DEPTH = 16;

const SIMPLE_KEYS: ReadonlySet<string> = new Set(['field', 'operator', 'value']);
const TREE_KEYS: ReadonlySet<string> = new Set(['filters', 'condition']);

export function compileFilter(method: MethodDescription, raw: unknown): Predicate {
  return compileNode(method, raw, 1);
}

function compileNode(method: MethodDescription, raw: unknown, depth: number): Predicate {
  if (!isRecord(raw)) throw new EmulatorError('data_type_error', { field: 'filter', value: raw });
  return 'filters' in raw ? compileTree(method, raw, depth) : compileSimple(method, raw);
}

function rejectUnknownKeys(raw: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key of Object.keys(raw)) {
    if (!known.has(key))
      throw new EmulatorError('unexpected_parameters', { field: 'filter', value: key });
  }
}

function compileTree(method: MethodDescription, raw: Record<string, unknown>, depth: number) {
  rejectUnknownKeys(raw, TREE_KEYS);
  const { filters, condition } = raw;
  if (depth > MAX_FILTER_DEPTH) {
    throw new EmulatorError('invalid_parameter_value', {
      field: 'filter.filters',
      params: { max_depth: MAX_FILTER_DEPTH },
    });
  }
  if (!Array.isArray(filters)) {
    throw new EmulatorError('data_type_error', { field: 'filter.filters', value: filters });
  }
  // An empty tree has no obvious meaning (and/or of nothing); refuse rather than guess.
  if (filters.length === 0) {
    throw new EmulatorError('invalid_parameter_value', { field: 'filter.filters', value: filters });
  }
  if (condition === undefined) {
    throw new EmulatorError('required_parameter_missed', { field: 'filter.condition' });
  }
  if (condition !== 'and' && condition !== 'or') {
    throw new EmulatorError('invalid_parameter_value', {
      field: 'filter.condition',
      value: condition,
    });
  }
  const children: readonly unknown[] = filters;
  const parts = children.map((child) => compileNode(method, child, depth + 1));
  return condition === 'and'
    ? (row: Row) => parts.every((part) => part(row))
    : (row: Row) => parts.some((part) => part(row));
}

function isApiOperator(name: string): name is ApiOperator {
  return (API_OPERATORS as readonly string[]).includes(name);
}

function compileSimple(method: MethodDescription, raw: Record<string, unknown>): Predicate {
  rejectUnknownKeys(raw, SIMPLE_KEYS);
  const { field, operator, value } = raw;
  if (field === undefined) {
    throw new EmulatorError('required_parameter_missed', { field: 'filter.field' });
  }
  if (typeof field !== 'string') {
    throw new EmulatorError('data_type_error', { field: 'filter.field', value: field });
  }
  const column = Object.hasOwn(method.columns, field) ? method.columns[field] : undefined;
  if (column === undefined) {
    throw new EmulatorError('unexpected_parameters', { field: 'filter.field', value: field });
  }
  if (column.filterable !== true) {
    throw new EmulatorError('filter_prohibited', { field: 'filter.field', value: field });
  }
  if (operator === undefined) {
    throw new EmulatorError('required_parameter_missed', { field: 'filter.operator' });
  }
  if (typeof operator !== 'string') {
    throw new EmulatorError('data_type_error', { field: 'filter.operator', value: operator });
  }
  const allowed = operatorsFor(column.type);
  if (!isApiOperator(operator) || !allowed.includes(operator)) {
    throw new EmulatorError('invalid_parameter_value', {
      field: 'filter.operator',
      value: operator,
      params: { allowed_operators: allowed },
    });
  }
  return predicate(field, column.type, operator, value);
}

function badValue(value: unknown): EmulatorError {
  return new EmulatorError('invalid_parameter_value', { field: 'filter.value', value });
}

function isEmpty(cell: unknown): boolean {
  return cell === null || cell === undefined || (Array.isArray(cell) && cell.length === 0);
}

/** A non-null value of the column's type, or `filter.value` is refused. */
function scalarOf(type: ColumnType, value: unknown): string | number {
  if (isEnumType(type)) {
    const known = type.values.find((item) => item === value);
    if (known !== undefined) return known;
  } else if (isObjectListType(type)) {
    // No scalar compares with a list column; unreachable through operatorsFor.
  } else if (type === 'string' || type === 'code') {
    if (typeof value === 'string') return value;
  } else if (Number.isFinite(value)) {
    // Number.isFinite holds for numbers only.
    if (type === 'float' || Number.isInteger(value)) return value as number;
  }
  throw badValue(value);
}

function stringOf(value: unknown): string {
  if (typeof value !== 'string') throw badValue(value);
  return value;
}

function predicate(
  name: string,
  type: ColumnType,
  operator: ApiOperator,
  value: unknown,
): Predicate {
  const cellOf = (row: Row): unknown => row[name];
  switch (operator) {
    case '=':
    case '!=': {
      const equal = operator === '=';
      if (value === undefined || value === null) return (row) => isEmpty(cellOf(row)) === equal;
      const expected = scalarOf(type, value);
      return (row) => {
        const cell = cellOf(row);
        return !isEmpty(cell) && (cell === expected) === equal;
      };
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const bound = scalarOf(type, value);
      if (typeof bound !== 'number') throw badValue(value);
      const holds = COMPARISONS[operator];
      return (row) => {
        const cell = cellOf(row);
        return typeof cell === 'number' && holds(cell, bound);
      };
    }
    case 'like':
    case 'ilike':
    case 'not_like':
    case 'not_ilike': {
      const pattern = likeToRegExp(stringOf(value), operator.endsWith('ilike'));
      if (pattern === null) throw badValue(value);
      const wanted = !operator.startsWith('not_');
      return (row) => {
        const cell = cellOf(row);
        return typeof cell === 'string' && pattern.test(cell) === wanted;
      };
    }
    case 'regexp': {
      // JS RegExp approximates POSIX: classes like [[:digit:]] are not understood.
      let pattern: RegExp;
      try {
        pattern = new RegExp(stringOf(value));
      } catch {
        throw badValue(value);
      }
      return (row) => {
        const cell = cellOf(row);
        return typeof cell === 'string' && pattern.test(cell);
      };
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value)) throw badValue(value);
      const items: readonly unknown[] = value;
      const set = new Set(items.map((item) => scalarOf(type, item)));
      const wanted = operator === 'in';
      return (row) => {
        const cell = cellOf(row);
        return (typeof cell === 'string' || typeof cell === 'number') && set.has(cell) === wanted;
      };
    }
    case 'is_null':
    case 'is_not_null': {
      if (value !== undefined && value !== null) throw badValue(value);
      const wanted = operator === 'is_null';
      return (row) => isEmpty(cellOf(row)) === wanted;
    }
    case 'jsquery':
    case 'overlap':
    case 'not_overlap':
      // Only list columns take these, and no described list column is filterable.
      throw new EmulatorError('invalid_parameter_value', {
        field: 'filter.operator',
        value: operator,
        message: `Operator ${operator} is not supported by the emulator`,
      });
  }
}

const COMPARISONS: Readonly<Record<'<' | '>' | '<=' | '>=', (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};
