import type { GraphQLResolveInfo } from 'graphql';
import type { ResolveTree } from 'graphql-parse-resolve-info';
import { parseResolveInfo } from 'graphql-parse-resolve-info';
import type { MethodDescription } from '../api/types.js';
import { columnsByGraphqlName } from '../api/types.js';

/** The relay `id` field; it is built from the key column. */
const GLOBAL_ID_FIELD = 'id';

type FieldMap = Readonly<Record<string, ResolveTree>>;

/** Sub-selections of a field for the given type names (a type and its interfaces). */
function subfields(tree: ResolveTree, typeNames: readonly string[]): ResolveTree[] {
  return typeNames.flatMap((typeName) => {
    const fields: FieldMap | undefined = tree.fieldsByTypeName[typeName];
    return fields ? Object.values(fields) : [];
  });
}

function childrenNamed(trees: readonly ResolveTree[], typeNames: readonly string[], name: string) {
  return trees.flatMap((tree) => subfields(tree, typeNames)).filter((f) => f.name === name);
}

/** Columns that a set of row selections (on the method's type or `Node`) need. */
function columnsOf(method: MethodDescription, rowSelections: readonly ResolveTree[]): string[] {
  const byName = columnsByGraphqlName(method);
  const columns = new Set<string>();
  for (const field of rowSelections.flatMap((tree) => subfields(tree, [method.typeName, 'Node']))) {
    if (field.name === GLOBAL_ID_FIELD) columns.add(method.key);
    const column = byName.get(field.name);
    if (column) columns.add(column.name);
  }
  // Rows are identified by their key; a selection of only `__typename` still needs a row.
  if (columns.size === 0) columns.add(method.key);
  return [...columns];
}

export interface ConnectionSelection {
  /** Columns to request, each once. */
  readonly columns: string[];
  /** False when only `totalCount`/`pageInfo` are selected: the rows need not be sent. */
  readonly needsRows: boolean;
}

/**
 * The columns a connection field needs, from its selection: follows aliases,
 * named and inline fragments, variables and `@include`/`@skip`.
 */
export function connectionSelection(
  method: MethodDescription,
  info: GraphQLResolveInfo,
): ConnectionSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return { columns: [method.key], needsRows: false };
  const connection = [`${method.typeName}Connection`];
  const edges = childrenNamed([tree], connection, 'edges');
  const rows = [
    ...childrenNamed(edges, [`${method.typeName}Edge`], 'node'),
    ...childrenNamed([tree], connection, 'nodes'),
  ];
  // `edges { cursor }` still needs one edge per row.
  const needsRows = rows.length > 0 || edges.length > 0;
  return { columns: columnsOf(method, rows), needsRows };
}

/** The columns a `node`/`nodes` field needs for rows of this method's type. */
export function nodeColumns(method: MethodDescription, info: GraphQLResolveInfo): string[] {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  return tree ? columnsOf(method, [tree]) : [method.key];
}
