import stringify from 'fast-json-stable-stringify';
import type {
  DocumentNode,
  FieldNode,
  GraphQLError,
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
  getVariableValues,
  Kind,
  OperationTypeNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import { METHODS, rowWidth, WIDEST_ROW } from '../../api/index.js';
import { NodeMemo } from '../../translate/nodeMemo.js';
import { entityMethod } from '../../schema/resolveEntities.js';
import { parseNodeId } from '../../translate/nodeId.js';
import type { PageSizes } from '../../translate/paging.js';
import { pageSize } from '../../translate/paging.js';

type Variables = Record<string, unknown>;

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

/** What a request may cost: API calls, and values (rows × columns) those calls may return. */
export interface Budget {
  readonly maxCalls: number;
  /** Values, counted as rows × the columns of the row type (all of them, whatever is selected). */
  readonly maxCost: number;
  readonly paging: PageSizes;
  /** Most ids `nodes(ids:)` accepts. */
  readonly maxListInput: number;
}

/** The calls an operation can cause and the values they can return at most. */
export interface CallPlan {
  readonly calls: number;
  readonly cost: number;
}

const BY_LIST_FIELD = new Map([...METHODS.values()].map((m) => [m.listField, m]));

/** Rows a list field's page holds at most; the same plan its resolver makes. */
function pageRows(args: Record<string, unknown>, paging: PageSizes): number {
  try {
    return pageSize(args, paging).size;
  } catch {
    return 0; // execution refuses the arguments before any call
  }
}

/**
 * Upper bound of the API calls an operation can cause and of the values they
 * return; when cheap bounds are already within the budget, those bounds are
 * returned instead of the exact counts. Only root fields call the API: each
 * distinct list (field and arguments) one call of its page's rows;
 * `node`/`nodes`/`_entities` one call per type their ids name, one row per id. A row costs the number of columns of
 * its type, so a literal `first: 1000` and `first: $n` with n = 1000 cost the
 * same, and so do any two selections of one page.
 */
export function plannedCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  budget: Budget,
): CallPlan {
  const operation = getOperationAST(document, operationName);
  const query = schema.getQueryType();
  if (operation?.operation !== OperationTypeNode.QUERY || !query) return { calls: 0, cost: 0 };
  const fields = rootFields(operation.selectionSet, document, variables);
  // Cheap bounds first: a root field causes at most one call, and node look-ups
  // at most one per type; it returns at most a full page (or list
  // of ids) of the widest row. Most queries stop here.
  const bound = {
    calls: fields.length * NODE_TYPES,
    cost:
      fields.length * (Math.max(budget.paging.maxPageSize, budget.maxListInput) * WIDEST_ROW + 1),
  };
  if (bound.calls <= budget.maxCalls && bound.cost <= budget.maxCost) return bound;
  const lists = new Map<string, CallPlan>();
  const nodeTypes = new Set<string>();
  let nodeCost = 0;
  for (const field of fields) {
    const definition = query.getFields()[field.name.value];
    if (!definition) continue;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, field, variables);
    } catch {
      continue; // execution will report the bad argument itself
    }
    const method = BY_LIST_FIELD.get(field.name.value);
    if (method) {
      // One call per list, `last` without `before` included (it reads the reversed order).
      lists.set(stringify([field.name.value, args]), {
        calls: 1,
        cost: pageRows(args, budget.paging) * rowWidth(method),
      });
    } else if (field.name.value === 'node' || field.name.value === 'nodes') {
      const ids = field.name.value === 'node' ? [args.id] : (args.ids as unknown[]);
      for (const id of ids) {
        const ref = typeof id === 'string' ? parseNodeId(id) : null;
        if (!ref) continue;
        nodeTypes.add(ref.method.typeName);
        nodeCost += rowWidth(ref.method);
      }
    } else if (field.name.value === '_entities' && Array.isArray(args.representations)) {
      // Entities share the node loaders: one call per type they name, a row per entity.
      for (const representation of args.representations) {
        const method = entityMethod(representation);
        if (!method) continue;
        nodeTypes.add(method.typeName);
        nodeCost += rowWidth(method);
      }
    }
  }
  let calls = nodeTypes.size;
  let cost = nodeCost;
  for (const list of lists.values()) {
    calls += list.calls;
    cost += list.cost;
  }
  return { calls, cost };
}

/** The refusal of a plan over budget, or undefined when it is within. */
function overBudget(plan: CallPlan, budget: Budget): GraphQLError | undefined {
  if (plan.calls > budget.maxCalls) {
    return createGraphQLError(
      `This query would make ${plan.calls} Data API calls; the limit is ${budget.maxCalls} per request (MAX_API_CALLS_PER_REQUEST).`,
      {
        extensions: {
          code: 'QUERY_TOO_COMPLEX',
          setting: 'MAX_API_CALLS_PER_REQUEST',
          limit: budget.maxCalls,
          found: plan.calls,
          plannedCalls: plan.calls,
        },
      },
    );
  }
  if (plan.cost > budget.maxCost) {
    return createGraphQLError(
      `This query could fetch ${plan.cost} values (rows × columns of their type); the cost limit is ${budget.maxCost} per request (QUERY_MAX_COST).`,
      {
        extensions: {
          code: 'QUERY_TOO_COMPLEX',
          setting: 'QUERY_MAX_COST',
          limit: budget.maxCost,
          found: plan.cost,
        },
      },
    );
  }
  return undefined;
}

/**
 * Refuses, before any call and with variables known, an operation that would
 * cause more API calls or fetch more values than the budget allows.
 */
export function useCallBudget(budget: Budget): Plugin {
  // An operation without variables plans the same calls every time.
  const plans = new NodeMemo<DocumentNode, CallPlan>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // Envelop types these loosely; they are the validated execution's own values.
      const document = args.document as DocumentNode;
      const operationName = args.operationName as string | null | undefined;
      const schema = args.schema as GraphQLSchema;
      let variables: Variables = {};
      const definitions = getOperationAST(document, operationName)?.variableDefinitions ?? [];
      if (definitions.length > 0) {
        // Planned on the values execution will see (defaults applied); variables
        // it will refuse are its to report, with their own code.
        const coerced = getVariableValues(
          schema,
          definitions,
          (args.variableValues ?? {}) as Variables,
          { maxErrors: 1 },
        );
        if (coerced.errors) return;
        variables = coerced.coerced;
      }
      const plan = () => plannedCalls(schema, document, operationName, variables, budget);
      const planned =
        definitions.length > 0 ? plan() : plans.get(document, operationName ?? '', plan);
      const refusal = overBudget(planned, budget);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}
