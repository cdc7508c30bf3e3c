import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { brandWithType } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type {
  Column,
  ColumnType,
  MethodDescription,
  ObjectListType,
  ScalarType,
} from '../api/types.js';
import {
  camelCase,
  columnEntries,
  graphqlFieldName,
  isEnumType,
  isObjectListType,
  screamingSnake,
  typeNamesOf,
} from '../api/types.js';
import { conformsTo } from '../api/values.js';
import type { Row } from '../api/wire.js';
import { resolveConnection } from './resolveConnection.js';
import { UpstreamValueError } from '../upstream/errors.js';
import { planned } from './planned.js';
import type { FilterInput } from '../translate/filter.js';
import type { OrderInput } from '../translate/sort.js';
import { EDGE_NODE_FIELD, builder } from './builder.js';
import { enumRefFor, OrderDirection } from './enums.js';
import { defineEntity } from './federation.js';
import { filterInputFor } from './filters.js';
import { parentOnly } from './parentOnly.js';
import { readsColumn } from './columnSource.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type FieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, Row>;

const SCALARS = { string: 'String', code: 'String', int: 'Int', float: 'Float' } as const;

/** Where a column's value is served: named in the error and the log when it does not fit. */
interface Place {
  readonly method: string;
  /** GraphQL type and field, e.g. `AvailableNumber.category`. */
  readonly field: string;
  readonly column: string;
}

/**
 * The column's value, checked against the schema first: a value GraphQL cannot
 * serve as the API documents it is the API's fault (UPSTREAM_ERROR at this
 * field, logged with method and field), not an uncoded serialization error.
 */
function columnValue(type: ColumnType, nullable: boolean, place: Place) {
  const fits = conformsTo(type, nullable);
  return parentOnly((row: Row): unknown => {
    const value = row[place.column];
    if (!fits(value)) throw new UpstreamValueError(place.method, place.field, place.column, value);
    return value;
  });
}

function scalarField(
  t: FieldBuilder,
  type: ScalarType,
  nullable: boolean,
  description: string,
  place: Place,
) {
  const resolve = readsColumn(columnValue(type, nullable, place) as (row: Row) => never, {
    kind: 'column',
    column: place.column,
    type,
    nullable,
  });
  return t.field({ type: SCALARS[type], nullable, description, resolve });
}

const objectListRefs = new Map<string, ObjectRef<Types, Row>>();

/** Element type of an array column, e.g. `VirtualNumberGroupEmployee`. */
function objectListRef(type: ObjectListType, method: string): ObjectRef<Types, Row> {
  let ref = objectListRefs.get(type.name);
  if (!ref) {
    ref = builder.objectRef<Row>(type.name).implement({
      description: type.description,
      fields: (t) =>
        Object.fromEntries(
          Object.entries(type.fields).map(([name, spec]) => [
            camelCase(name),
            scalarField(t, spec.type, !spec.key, spec.description, {
              method,
              field: `${type.name}.${camelCase(name)}`,
              column: name,
            }),
          ]),
        ),
    });
    objectListRefs.set(type.name, ref);
  }
  return ref;
}

function columnField(t: FieldBuilder, method: MethodDescription, name: string, spec: Column) {
  const { type, description } = spec;
  const place = {
    method: method.method,
    field: `${method.typeName}.${graphqlFieldName(name, spec)}`,
    column: name,
  };
  if (isObjectListType(type)) {
    const resolve = columnValue(type, true, place);
    return t.field({
      type: [objectListRef(type, method.method)],
      nullable: false,
      description,
      // The API sends [] for an empty list; null is read the same way.
      resolve: parentOnly((row: Row) => (resolve(row) ?? []) as Row[]),
    });
  }
  if (isEnumType(type)) {
    const resolve = readsColumn(columnValue(type, true, place) as (row: Row) => never, {
      kind: 'column',
      column: name,
      type,
      nullable: true,
    });
    return t.field({ type: enumRefFor(type), description, resolve });
  }
  return scalarField(t, type, name !== method.key, description, place);
}

function orderInput(method: MethodDescription): InputObjectRef<Types, OrderInput> | undefined {
  const sortable = columnEntries(method).filter(([, spec]) => spec.sortable);
  if (sortable.length === 0) return undefined;
  const fieldEnum = builder.enumType(`${method.typeName}OrderField`, {
    description: `Fields ${method.typeName} lists can be sorted by.`,
    values: Object.fromEntries(
      sortable.map(([name, spec]) => [
        screamingSnake(graphqlFieldName(name, spec)),
        { value: name, description: spec.description },
      ]),
    ),
  });
  return builder.inputRef<OrderInput>(`${method.typeName}Order`).implement({
    description: `One sort key for ${method.typeName} lists.`,
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true, description: 'Field to sort by.' }),
      direction: t.field({
        type: OrderDirection,
        defaultValue: 'asc',
        description: 'Direction; ascending by default.',
      }),
    }),
  }) as InputObjectRef<Types, OrderInput>;
}

/** The order enum value of the key column, e.g. `PHONE_NUMBER`, `DATABASE_ID`. */
function keyOrderName(method: MethodDescription): string {
  const spec = method.columns[method.key];
  return spec ? screamingSnake(graphqlFieldName(method.key, spec)) : method.key;
}

function filterInput(method: MethodDescription): InputObjectRef<Types, FilterInput> | undefined {
  const filterable = columnEntries(method).filter(([, spec]) => spec.filterable);
  if (filterable.length === 0) return undefined;
  const ref = builder.inputRef<FilterInput>(`${method.typeName}Filter`);
  ref.implement({
    description: `Conditions on ${method.typeName} rows. Fields are joined with "and".`,
    fields: (t) => ({
      ...Object.fromEntries(
        filterable.flatMap(([name, spec]) => {
          const input = filterInputFor(spec.type);
          return input
            ? [
                [
                  graphqlFieldName(name, spec),
                  t.field({ type: input, description: spec.description }),
                ],
              ]
            : [];
        }),
      ),
      and: t.field({
        type: [ref],
        required: { list: false, items: true },
        description: 'All of these filters match; an empty list constrains nothing.',
      }),
      or: t.field({
        type: [ref],
        required: { list: false, items: true },
        description: 'At least one of these filters matches (the list must not be empty).',
      }),
    }),
  });
  return ref;
}

/**
 * Declares everything GraphQL knows about one Data API method, derived from
 * its description: the relay node type (also a federation entity keyed by the
 * key column), its enums and nested object types, its filter and order inputs,
 * and the root connection field.
 */
export function defineRowType(method: MethodDescription): ObjectRef<Types, Row> {
  const ref = builder.objectRef<Row>(method.typeName);
  const keyColumn = method.columns[method.key];
  const key = columnValue(keyColumn?.type ?? 'string', false, {
    method: method.method,
    field: `${method.typeName}.id`,
    column: method.key,
  });
  // A plain object type implementing Node rather than the relay plugin's
  // builder.node: its `id` resolver is async, which makes every row of a page a
  // promise for graphql-js to await (measured: most of the per-row cost).
  ref.implement({
    description: method.description,
    interfaces: [builder.nodeInterfaceRef()],
    fields: (t) => ({
      id: t.field({
        type: 'ID',
        nullable: false,
        description: 'Global id, for `node(id:)`.',
        resolve: readsColumn(
          parentOnly((row: Row) => encodeGlobalID(method.typeName, key(row) as string | number)),
          {
            kind: 'global id',
            column: method.key,
            type: keyColumn?.type ?? 'string',
            typeName: method.typeName,
          },
        ),
      }),
      ...Object.fromEntries(
        columnEntries(method).map(([name, spec]) => [
          graphqlFieldName(name, spec),
          columnField(t, method, name, spec),
        ]),
      ),
    }),
  });
  defineEntity(method, ref);

  const filter = filterInput(method);
  const orderBy = orderInput(method);
  builder.queryField(method.listField, (t) =>
    t.connection(
      {
        type: ref,
        description: `${method.description.replace(/^A /, 'Lists every ').replace(/\.$/, '')} (${method.method}).`,
        args: {
          ...(filter
            ? { filter: t.arg({ type: filter, description: 'Which rows to list.' }) }
            : {}),
          ...(orderBy
            ? {
                orderBy: t.arg({
                  type: [orderBy],
                  required: { list: false, items: true },
                  description: `Sort keys, most significant first. The order is always total: \`${keyOrderName(method)}\` ascending is added as the last key unless present, and is the whole order when \`orderBy\` is absent.`,
                }),
              }
            : {}),
          userId: t.arg.int({
            description: "Agents only: the customer's user id (`user_id`).",
          }),
        },
        // pageInfo flags and totalCount that need a count call are promises, made only
        // when selected; graphql-js awaits them, Pothos' shape types say plain values.
        resolve: (_root, _args, ctx, info) =>
          resolveConnection(planned(ctx, info, 'list'), ctx.calls) as Promise<never>,
      },
      {
        name: typeNamesOf(method).connection,
        description: `A page of ${method.typeName} rows.`,
        fields: (t) => ({
          totalCount: t.int({
            nullable: false,
            description: 'How many rows match the filter, on all pages.',
            resolve: parentOnly(
              (connection: unknown) => (connection as { totalCount: number }).totalCount,
            ),
          }),
        }),
      },
      {
        name: typeNamesOf(method).edge,
        description: `One ${method.typeName} and its cursor.`,
        // Pothos' own node field reads the edge alone but is not marked so:
        // declared parent-only, the fast executor builds no info object per edge.
        fields: (t) => ({
          node: t.field({
            ...EDGE_NODE_FIELD,
            type: ref,
            resolve: parentOnly((edge: { readonly node: Row }) => edge.node),
          }),
        }),
      },
    ),
  );
  return ref;
}

/** Marks a row with its GraphQL type so the `Node` interface can resolve it. */
export function brandRow(row: Row, typeName: string): Row {
  brandWithType(row, typeName as never);
  return row;
}
