/**
 * The shape of a declarative Data API method description. One description per
 * method is the single source of truth: the GraphQL types, the filter/order
 * inputs, the translation of arguments into params and the emulator all read it.
 */

/**
 * Scalar column types as the API documents them (`number` split by
 * integrality). `code`: a string the API documents as an enum without listing
 * its values (region codes): a String in GraphQL, with the enum operators.
 */
export type ScalarType = 'string' | 'code' | 'int' | 'float';

export interface EnumType {
  readonly kind: 'enum';
  /** GraphQL enum name. */
  readonly name: string;
  readonly description: string;
  /** Values in the API's spelling (`gold`); GraphQL uses their upper case (`GOLD`). */
  readonly values: readonly string[];
}

/** A column holding an array of small objects, e.g. `employees: [{id, full_name}]`. */
export interface ObjectListType {
  readonly kind: 'objectList';
  /** GraphQL object type name of one element. */
  readonly name: string;
  readonly description: string;
  /** Element fields; the one marked `key` is non-null in GraphQL. */
  readonly fields: Readonly<Record<string, NestedField>>;
}

export interface NestedField {
  readonly type: ScalarType;
  readonly description: string;
  readonly key?: boolean;
}

export type ColumnType = ScalarType | EnumType | ObjectListType;

export interface Column {
  readonly type: ColumnType;
  readonly description: string;
  /** The API accepts this column in `filter`. */
  readonly filterable?: boolean;
  /** The API accepts this column in `sort`. */
  readonly sortable?: boolean;
  /** GraphQL field name when camelCase of the column name would not do. */
  readonly graphqlName?: string;
}

export interface MethodDescription<C extends string = string> {
  /** JSON-RPC method name. */
  readonly method: string;
  /** GraphQL object type name of one row. */
  readonly typeName: string;
  /** GraphQL root field listing rows. */
  readonly listField: string;
  readonly description: string;
  /** Column that identifies a row; backs the relay `id` and `node` look-ups. */
  readonly key: C;
  readonly columns: Readonly<Record<C, Column>>;
}

export function isEnumType(type: ColumnType): type is EnumType {
  return typeof type === 'object' && type.kind === 'enum';
}

export function isObjectListType(type: ColumnType): type is ObjectListType {
  return typeof type === 'object' && type.kind === 'objectList';
}

/** `location_mnemonic` → `locationMnemonic`. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `locationMnemonic` → `LOCATION_MNEMONIC`. */
export function screamingSnake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function graphqlFieldName(column: string, spec: Column): string {
  return spec.graphqlName ?? camelCase(column);
}

export function columnEntries(method: MethodDescription): [string, Column][] {
  return Object.entries(method.columns);
}

const byGraphqlName = new WeakMap<MethodDescription, ReadonlyMap<string, ColumnRef>>();

export interface ColumnRef {
  readonly name: string;
  readonly spec: Column;
}

/** GraphQL field name → column, computed once per method. */
export function columnsByGraphqlName(method: MethodDescription): ReadonlyMap<string, ColumnRef> {
  let map = byGraphqlName.get(method);
  if (!map) {
    map = new Map(
      columnEntries(method).map(([name, spec]) => [graphqlFieldName(name, spec), { name, spec }]),
    );
    byGraphqlName.set(method, map);
  }
  return map;
}

/** The GraphQL names of a method's row, connection and edge types; the schema and the selection reader both use them. */
export function typeNamesOf(method: Pick<MethodDescription, 'typeName'>): {
  readonly row: string;
  readonly connection: string;
  readonly edge: string;
} {
  return {
    row: method.typeName,
    connection: `${method.typeName}Connection`,
    edge: `${method.typeName}Edge`,
  };
}
