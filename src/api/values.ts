import type { ColumnType } from './types.js';
import { isEnumType, isObjectListType } from './types.js';

/** GraphQL's Int is 32-bit; a larger id would fail serialization anyway. */
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

const isRecord = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A test of whether a value the API sent for a column is one the schema can
 * serve as it is: its documented JSON type (no number where a string belongs,
 * which GraphQL would quietly turn into text), a known enum value, and not
 * null where the field is non-null. Absent counts as null.
 */
export function conformsTo(type: ColumnType, nullable: boolean): (value: unknown) => boolean {
  const present = presentCheck(type);
  return nullable ? (value) => value == null || present(value) : (value) => present(value);
}

function presentCheck(type: ColumnType): (value: unknown) => boolean {
  if (isEnumType(type)) {
    const values = new Set<unknown>(type.values);
    return (value) => values.has(value);
  }
  if (isObjectListType(type)) return (value) => Array.isArray(value) && value.every(isRecord);
  switch (type) {
    case 'string':
    case 'code':
      return (value) => typeof value === 'string';
    case 'int':
      return (value) =>
        Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX;
    case 'float':
      // Number.isFinite holds for numbers only.
      return (value) => Number.isFinite(value);
    default:
      return unknownType(type);
  }
}

/** Every column type is handled above; a new one must be added there. */
function unknownType(type: never): never {
  throw new Error(`No value check for column type ${String(type)}`);
}
