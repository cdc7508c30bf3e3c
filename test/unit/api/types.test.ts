import { describe, expect, it } from 'vitest';
import type { ColumnType, MethodDescription } from '../../../src/api/types.js';
import {
  camelCase,
  columnsByGraphqlName,
  graphqlFieldName,
  isEnumType,
  isObjectListType,
  screamingSnake,
} from '../../../src/api/types.js';
import { operatorsFor } from '../../../src/api/operators.js';

const tier: ColumnType = { kind: 'enum', name: 'Tier', description: '', values: ['a'] };
const tags: ColumnType = { kind: 'objectList', name: 'Tag', description: '', fields: {} };

describe('column type guards', () => {
  it('tell enums, object lists and scalars apart', () => {
    const kinds = (['string', 'int', 'float', tier, tags] as const).map((type) => [
      isEnumType(type),
      isObjectListType(type),
    ]);
    expect(kinds).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [true, false],
      [false, true],
    ]);
  });
});

describe('names', () => {
  it('camelCase joins each underscore with the letter or digit after it', () => {
    expect(camelCase('location_mnemonic')).toBe('locationMnemonic');
    expect(camelCase('min_charge_2_x')).toBe('minCharge2X');
    expect(camelCase('id')).toBe('id');
  });

  it('screamingSnake splits before every capital following a letter or digit', () => {
    expect(screamingSnake('locationMnemonic')).toBe('LOCATION_MNEMONIC');
    expect(screamingSnake('charge2Max')).toBe('CHARGE2_MAX');
    expect(screamingSnake('id')).toBe('ID');
  });

  it('graphqlFieldName takes the declared name over camelCase', () => {
    expect(
      graphqlFieldName('id', { type: 'int', description: '', graphqlName: 'databaseId' }),
    ).toBe('databaseId');
    expect(graphqlFieldName('full_name', { type: 'string', description: '' })).toBe('fullName');
  });
});

describe('columnsByGraphqlName', () => {
  const method = {
    method: 'get.things',
    typeName: 'Thing',
    listField: 'things',
    description: '',
    key: 'id',
    columns: {
      id: { type: 'int', description: '', graphqlName: 'databaseId' },
      full_name: { type: 'string', description: '' },
    },
  } as const satisfies MethodDescription;

  it('maps GraphQL names to column names and specs', () => {
    const map = columnsByGraphqlName(method);
    expect([...map.entries()]).toEqual([
      ['databaseId', { name: 'id', spec: method.columns.id }],
      ['fullName', { name: 'full_name', spec: method.columns.full_name }],
    ]);
  });

  it('is worked out once per method', () => {
    expect(columnsByGraphqlName(method)).toBe(columnsByGraphqlName(method));
    expect(columnsByGraphqlName({ ...method })).not.toBe(columnsByGraphqlName(method));
  });
});

describe('operatorsFor', () => {
  it('gives object lists the list operators and the emptiness tests', () => {
    expect(operatorsFor(tags)).toEqual([
      'jsquery',
      'overlap',
      'not_overlap',
      'is_null',
      'is_not_null',
    ]);
  });
});
