import stringify from 'fast-json-stable-stringify';
import type {
  DocumentNode,
  FieldNode,
  GraphQLSchema,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  Kind,
  OperationTypeNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import { METHODS } from '../api/index.js';
import { NodeMemo } from '../nodeMemo.js';
import { entityMethod } from '../resolvers/entities.js';
import { parseNodeId } from '../resolvers/node.js';

type Variables = Record<string, unknown>;

const LIST_FIELDS = new Set([...METHODS.values()].map((m) => m.listField));
const NODE_TYPES = METHODS.size;

function included(node: SelectionNode, variables: Variables): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return skip?.if !== true && include?.if !== false;
}

/** Root fields of the operation, through fragments, `@skip` and `@include`. */
export function rootFields(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  variables: Variables,
  seen = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (!included(selection, variables)) return [];
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return rootFields(selection.selectionSet, document, variables, seen);
    }
    const name = selection.name.value;
    if (seen.has(name)) return [];
    seen.add(name);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
    return fragment?.kind === Kind.FRAGMENT_DEFINITION
      ? rootFields(fragment.selectionSet, document, variables, seen)
      : [];
  });
}

/**
 * Upper bound of the API calls an operation can cause; when a cheap bound is
 * already within `max`, that bound is returned instead of the exact count. Only root fields call
 * the API: each distinct list (field and arguments) one call, two when `last`
 * comes without `before`; `node`/`nodes`/`_entities` one call per type their ids name.
 */
export function plannedCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  max = 0,
): number {
  const operation = getOperationAST(document, operationName);
  const query = schema.getQueryType();
  if (operation?.operation !== OperationTypeNode.QUERY || !query) return 0;
  const fields = rootFields(operation.selectionSet, document, variables);
  // Cheap bound first: a root field causes at most two calls (`last` alone), and
  // node look-ups at most one per type. Most queries stop here.
  const bound = fields.length * Math.max(2, NODE_TYPES);
  if (bound <= max) return bound;
  const lists = new Map<string, number>();
  const nodeTypes = new Set<string>();
  for (const field of fields) {
    const definition = query.getFields()[field.name.value];
    if (!definition) continue;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, field, variables);
    } catch {
      continue; // execution will report the bad argument itself
    }
    if (LIST_FIELDS.has(field.name.value)) {
      const fromEnd = args.last != null && args.before == null;
      lists.set(stringify([field.name.value, args]), fromEnd ? 2 : 1);
    } else if (field.name.value === 'node' || field.name.value === 'nodes') {
      const ids = field.name.value === 'node' ? [args.id] : (args.ids as unknown[]);
      for (const id of ids) {
        const ref = typeof id === 'string' ? parseNodeId(id) : null;
        if (ref) nodeTypes.add(ref.method.typeName);
      }
    } else if (field.name.value === '_entities' && Array.isArray(args.representations)) {
      // Entities share the node loaders: one call per type they name.
      for (const representation of args.representations) {
        const method = entityMethod(representation);
        if (method) nodeTypes.add(method.typeName);
      }
    }
  }
  return [...lists.values()].reduce((sum, n) => sum + n, 0) + nodeTypes.size;
}

/** Whether the operation declares variables (its plan may then differ per request). */
function hasVariables(document: DocumentNode, operationName: string | null | undefined): boolean {
  return (getOperationAST(document, operationName)?.variableDefinitions?.length ?? 0) > 0;
}

/** Refuses, before any call, an operation that would cause more than `max` API calls. */
export function useCallBudget(max: number): Plugin {
  // An operation without variables plans the same calls every time.
  const plans = new NodeMemo<DocumentNode, number>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // Envelop types these loosely; they are the validated execution's own values.
      const document = args.document as DocumentNode;
      const operationName = args.operationName as string | null | undefined;
      const plan = () =>
        plannedCalls(
          args.schema as GraphQLSchema,
          document,
          operationName,
          (args.variableValues ?? {}) as Variables,
          max,
        );
      const planned = hasVariables(document, operationName)
        ? plan()
        : plans.get(document, operationName ?? '', plan);
      if (planned > max) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `This query would make ${planned} Data API calls; the limit is ${max} per request (MAX_API_CALLS_PER_REQUEST).`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', plannedCalls: planned, limit: max } },
            ),
          ],
        });
      }
    },
  };
}
