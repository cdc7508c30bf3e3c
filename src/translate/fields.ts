import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLResolveInfo,
  OperationDefinitionNode,
} from 'graphql';
import { Kind, visit } from 'graphql';
import type { ResolveTree } from 'graphql-parse-resolve-info';
import { parseResolveInfo } from 'graphql-parse-resolve-info';
import type { MethodDescription } from '../api/types.js';
import { columnsByGraphqlName, typeNamesOf } from '../api/types.js';
import { NodeMemo } from './nodeMemo.js';

/** The relay `id` field; it is built from the key column. */
const GLOBAL_ID_FIELD = 'id';

type FieldMap = Readonly<Record<string, ResolveTree>>;

/** Sub-selections of a field for the given type names (a type and its interfaces). */
function subfields(tree: ResolveTree, typeNames: readonly string[]): ResolveTree[] {
  return typeNames.flatMap((typeName) => {
    const fields: FieldMap | undefined = tree.fieldsByTypeName[typeName];
    return Object.values(fields ?? {});
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

const connectionSelections = new NodeMemo<FieldNode, ConnectionSelection>();
const nodeSelections = new NodeMemo<FieldNode, readonly string[]>();

const directiveVariableNames = new WeakMap<OperationDefinitionNode, readonly string[]>();

/**
 * The variables a selection can depend on: those given to a directive
 * (`@include`/`@skip`) in the operation or its fragments. Others (page sizes,
 * filters) change the arguments, not which fields are selected.
 */
function directiveVariables(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): readonly string[] {
  let names = directiveVariableNames.get(operation);
  if (!names) {
    const found = new Set<string>();
    const inDirectives = {
      Directive(directive: Parameters<typeof visit>[0]) {
        visit(directive, {
          [Kind.VARIABLE](variable: { name: { value: string } }) {
            found.add(variable.name.value);
          },
        });
      },
    };
    for (const node of [operation, ...Object.values(fragments)]) visit(node, inDirectives);
    names = [...found];
    directiveVariableNames.set(operation, names);
  }
  return names;
}

/**
 * Which variant of the operation's selections these variables choose: the
 * values of the variables given to directives, as a key. Two requests with
 * the same variant select the same fields under every field node.
 */
export function selectionVariant(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): string {
  return JSON.stringify(directiveVariables(operation, fragments).map((name) => variables[name]));
}

/**
 * A selection is a function of the document, the parent type, the method and
 * the variables given to directives (`@include`/`@skip`), so it is worked out
 * once per field node and variant instead of on every request.
 */
function perFieldNode<T>(
  memo: NodeMemo<FieldNode, T>,
  method: MethodDescription,
  info: GraphQLResolveInfo,
  compute: () => T,
): T {
  const [node, ...merged] = info.fieldNodes;
  // A field selected twice merges nodes that can differ between spreads: not kept.
  if (!node || merged.length > 0) return compute();
  const variant = selectionVariant(info.operation, info.fragments, info.variableValues);
  return memo.get(node, `${info.parentType.name} ${method.method} ${variant}`, compute);
}

export interface ConnectionSelection {
  /** Columns to request, each once. */
  readonly columns: readonly string[];
  /** False when only `totalCount`/`pageInfo` are selected: the rows need not be sent. */
  readonly needsRows: boolean;
  /** `totalCount` is selected. */
  readonly totalCount: boolean;
  /** `pageInfo { hasNextPage }` is selected. */
  readonly hasNextPage: boolean;
  /** `pageInfo { hasPreviousPage }` is selected. */
  readonly hasPreviousPage: boolean;
}

/**
 * The columns a connection field needs, from its selection: follows aliases,
 * named and inline fragments, variables and `@include`/`@skip`.
 */
export function connectionSelection(
  method: MethodDescription,
  info: GraphQLResolveInfo,
): ConnectionSelection {
  return perFieldNode(connectionSelections, method, info, () =>
    Object.freeze(computeConnectionSelection(method, info)),
  );
}

function computeConnectionSelection(
  method: MethodDescription,
  info: GraphQLResolveInfo,
): ConnectionSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) {
    return {
      columns: [method.key],
      needsRows: false,
      totalCount: false,
      hasNextPage: false,
      hasPreviousPage: false,
    };
  }
  const names = typeNamesOf(method);
  const connection = [names.connection];
  const edges = childrenNamed([tree], connection, 'edges');
  const rows = [
    ...childrenNamed(edges, [names.edge], 'node'),
    ...childrenNamed([tree], connection, 'nodes'),
  ];
  // `edges { cursor }` still needs one edge per row, and a cursor in pageInfo its row's values.
  const pageInfo = childrenNamed([tree], connection, 'pageInfo');
  const cursors = [
    ...childrenNamed(pageInfo, ['PageInfo'], 'startCursor'),
    ...childrenNamed(pageInfo, ['PageInfo'], 'endCursor'),
  ];
  const needsRows = rows.length > 0 || edges.length > 0 || cursors.length > 0;
  return {
    columns: Object.freeze(columnsOf(method, rows)),
    needsRows,
    totalCount: childrenNamed([tree], connection, 'totalCount').length > 0,
    hasNextPage: childrenNamed(pageInfo, ['PageInfo'], 'hasNextPage').length > 0,
    hasPreviousPage: childrenNamed(pageInfo, ['PageInfo'], 'hasPreviousPage').length > 0,
  };
}

/** The columns a `node`/`nodes` field needs for rows of this method's type. */
export function nodeColumns(
  method: MethodDescription,
  info: GraphQLResolveInfo,
): readonly string[] {
  return perFieldNode(nodeSelections, method, info, () => {
    const tree = parseResolveInfo(info) as ResolveTree | null;
    return Object.freeze(tree ? columnsOf(method, [tree]) : [method.key]);
  });
}
