/**
 * The facts about the Data API live in src/api/ only: the schema's filter and
 * order inputs, the translation and the emulator are all read from the method
 * descriptions and the operator table there. Each check below compares one of
 * them with src/api/, so a fact written again elsewhere (and drifting) fails.
 */
import type { GraphQLEnumType, GraphQLInputObjectType } from 'graphql';
import { getNamedType, isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../../../src/api/index.js';
import { API_OPERATORS, operatorsFor } from '../../../src/api/operators.js';
import {
  columnEntries,
  graphqlFieldName,
  isEnumType,
  screamingSnake,
  typeNamesOf,
} from '../../../src/api/types.js';
import type { Column } from '../../../src/api/types.js';
import { compileFilter } from '../../../src/emulator/filter.js';
import { compileSort } from '../../../src/emulator/sort.js';
import { schema } from '../../../src/schema/index.js';
import { FILTER_OPERATORS } from '../../../src/translate/operators.js';
import type { FilterOperatorName } from '../../../src/translate/operators.js';
import { toApiFilter } from '../../../src/translate/filter.js';

const methods = [...METHODS.values()];

function inputType(name: string): GraphQLInputObjectType {
  const type = schema.getType(name);
  if (!isInputObjectType(type)) throw new Error(`${name} is not an input type`);
  return type;
}

/** Whether the emulator takes `operator` on `column` (it throws what the API would reply). */
function emulatorAccepts(
  method: (typeof methods)[number],
  column: string,
  operator: string,
): boolean {
  const type = method.columns[column]?.type;
  const sample =
    type === 'int' || type === 'float'
      ? 1
      : typeof type === 'object' && isEnumType(type)
        ? type.values[0]
        : 'x';
  const value =
    operator === 'in' || operator === 'not_in'
      ? [sample]
      : operator === 'is_null' || operator === 'is_not_null'
        ? null
        : sample;
  try {
    compileFilter(method, { field: column, operator, value });
    return true;
  } catch {
    return false;
  }
}

describe.each(methods.map((m) => [m.method, m] as const))('%s', (_name, method) => {
  const filterable = columnEntries(method).filter(([, c]: [string, Column]) => c.filterable);
  const sortable = columnEntries(method).filter(([, c]: [string, Column]) => c.sortable);
  const names = typeNamesOf(method);

  it('the schema filter input has exactly the filterable columns', () => {
    const fields = Object.keys(inputType(`${names.row}Filter`).getFields()).filter(
      (f) => f !== 'and' && f !== 'or',
    );
    expect(fields.sort()).toEqual(
      filterable.map(([column, c]) => graphqlFieldName(column, c)).sort(),
    );
  });

  it.each(filterable)(
    '%s: schema, translation and emulator offer the same operators',
    (column, c) => {
      const field = inputType(`${names.row}Filter`).getFields()[graphqlFieldName(column, c)];
      const input = field ? getNamedType(field.type) : undefined;
      if (!isInputObjectType(input)) throw new Error(`no filter input for ${column}`);
      const offered = Object.keys(input.getFields()) as FilterOperatorName[];
      const allowed = operatorsFor(c.type);
      // Every GraphQL operator sends an API operator the column takes...
      for (const name of offered) expect(allowed).toContain(FILTER_OPERATORS[name].api);
      // ...and every operator with a GraphQL name that the column takes is offered.
      const expected = (Object.keys(FILTER_OPERATORS) as FilterOperatorName[]).filter((name) =>
        allowed.includes(FILTER_OPERATORS[name].api),
      );
      expect(offered.sort()).toEqual(expected.sort());
      // The translation sends what the table says for each of them.
      for (const name of offered) {
        const spec = FILTER_OPERATORS[name];
        const value = spec.arity === 'list' ? [] : spec.arity === 'flag' ? true : 'x';
        const sent = toApiFilter(method, { [graphqlFieldName(column, c)]: { [name]: value } });
        expect(JSON.stringify(sent)).toContain(`"operator":"${spec.api}"`);
      }
      // The emulator takes exactly the operators src/api/ gives the column.
      const accepted = API_OPERATORS.filter((op) => emulatorAccepts(method, column, op));
      expect(accepted).toEqual(API_OPERATORS.filter((op) => allowed.includes(op)));
    },
  );

  it('the emulator refuses filters on the columns src/api/ does not mark filterable', () => {
    for (const [column, c] of columnEntries(method)) {
      if (c.filterable) continue;
      expect(emulatorAccepts(method, column, '=')).toBe(false);
    }
  });

  it('the order enum and the emulator sort take exactly the sortable columns', () => {
    const values = (schema.getType(`${names.row}OrderField`) as GraphQLEnumType)
      .getValues()
      .map((v) => v.name);
    expect(values.sort()).toEqual(
      sortable.map(([column, c]) => screamingSnake(graphqlFieldName(column, c))).sort(),
    );
    for (const [column, c] of columnEntries(method)) {
      const sorts = () => compileSort(method, [{ field: column, order: 'asc' }]);
      if (c.sortable) expect(sorts).not.toThrow();
      else expect(sorts).toThrow();
    }
  });
});
