/**
 * A leaner executor for the common case, in front of Yoga's own.
 *
 * On a 10 000-row page most of the gateway's CPU went to executing each row's
 * fields: per field graphql executors build a path, an `info` object with its
 * closures and an arguments object, and put the values in prototype-less
 * objects that V8 keeps in dictionary mode (slower to fill, to collect and to
 * JSON.stringify). This executor follows graphql-js's algorithm (CollectFields
 * is graphql-js's own; resolvers, serialisation and key order as its
 * `execute`), calls resolvers marked parent-only (schema/parentOnly.ts) with
 * the parent alone and builds plain objects.
 *
 * It answers only what it is sure to answer exactly as graphql-js does: a
 * query whose selections reach no abstract type, no introspection and no type
 * with `isTypeOf`, that executes without any error. Anything else (an
 * operation it does not take, variables that do not coerce, any error or null
 * in a non-null place) is handed to the standard executor, which answers it
 * from scratch: the upstream calls already made are shared through the
 * request's loaders, so no call is repeated. test/integration/plugins/fastExecute.test.ts
 * compares the answers with graphql-js's `execute`.
 */
import type {
  DocumentNode,
  ExecutionArgs,
  ExecutionResult,
  FieldNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  GraphQLField,
  GraphQLLeafType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLResolveInfo,
  GraphQLSchema,
  InlineFragmentNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationTypeNode,
  getDirectiveValues,
  typeFromAST,
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isParentOnly } from '../../schema/parentOnly.js';

type ExecuteFn = (args: ExecutionArgs) => unknown;
type Data = NonNullable<ExecutionResult['data']>;
type Path = GraphQLResolveInfo['path'];
type Fragments = Record<string, FragmentDefinitionNode>;
/** graphql-js 16's info: the members Yoga's executor adds (abort signal, helpers) are not made. */
type Info = Omit<GraphQLResolveInfo, 'getAbortSignal' | 'getAsyncHelpers'>;

/** Thrown to leave the fast path; never seen outside this module. */
class FallBack extends Error {}
const FALL_BACK = new FallBack('fall back to the standard executor');

/** Arguments of a field that declares none: graphql-js would make a new `{}` each time. */
const NO_ARGS: Readonly<Record<string, unknown>> = Object.freeze({});

interface Operation {
  readonly operation: OperationDefinitionNode;
  readonly fragments: Fragments;
}

/** One field of a selection set, resolved against its parent type once per execution. */
interface FieldPlan {
  readonly key: string;
  readonly nodes: readonly FieldNode[];
  /** Undefined for `__typename`. */
  readonly def: GraphQLField<unknown, unknown> | undefined;
  readonly parentOnly: ((parent: unknown) => unknown) | undefined;
  /** The field's type when it is a scalar or enum, possibly non-null: completed inline. */
  readonly leaf: GraphQLLeafType | undefined;
  readonly nonNull: boolean;
}

interface Run {
  readonly schema: GraphQLSchema;
  readonly fragments: Fragments;
  readonly operation: OperationDefinitionNode;
  readonly rootValue: unknown;
  readonly context: unknown;
  readonly variables: Record<string, unknown>;
  /** Sub-selections by the field nodes that hold them (one object type each, none abstract). */
  readonly subfields: Map<readonly FieldNode[], readonly FieldPlan[]>;
  /** Set once the fast path is abandoned: its pending branches then call no more resolvers. */
  abandoned: boolean;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const ignore = (): void => undefined;

/** The operation graphql-js would run, or undefined when it would answer an error. */
function operationOf(document: DocumentNode, operationName: unknown): Operation | undefined {
  let operation: OperationDefinitionNode | undefined;
  let ambiguous = false;
  const fragments: Fragments = Object.create(null) as Fragments;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operationName == null) {
        if (operation !== undefined) ambiguous = true;
        operation = definition;
      } else if (definition.name?.value === operationName) {
        operation = definition;
      }
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments[definition.name.value] = definition;
    }
  }
  return operation && !ambiguous ? { operation, fragments } : undefined;
}

/**
 * Whether every field the selection can reach (whatever @skip/@include say)
 * is one this executor completes as graphql-js does.
 */
function takes(
  schema: GraphQLSchema,
  fragments: Fragments,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  visiting: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (name.startsWith('__')) return false;
      const def = type.getFields()[name];
      if (!def) return false;
      const named = getNamedType(def.type);
      if (isAbstractType(named)) return false;
      if (isObjectType(named)) {
        if (named.isTypeOf || !selection.selectionSet) return false;
        if (!takes(schema, fragments, named, selection.selectionSet, visiting)) return false;
      }
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (!fragment) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (visiting.has(selection.name.value)) continue;
        visiting.add(selection.name.value);
      }
      const ok = takes(schema, fragments, type, fragment.selectionSet, visiting);
      if (selection.kind === Kind.FRAGMENT_SPREAD) visiting.delete(selection.name.value);
      if (!ok) return false;
    }
  }
  return true;
}

/** Per document and operation name: the operation to run fast, or null. */
const plans = new WeakMap<DocumentNode, Map<unknown, Operation | null>>();

function planFor(args: ExecutionArgs): Operation | null {
  let byName = plans.get(args.document);
  if (!byName) {
    byName = new Map();
    plans.set(args.document, byName);
  }
  let plan = byName.get(args.operationName);
  if (plan === undefined) {
    const found = operationOf(args.document, args.operationName);
    const root = args.schema.getQueryType();
    plan =
      found &&
      root &&
      found.operation.operation === OperationTypeNode.QUERY &&
      takes(args.schema, found.fragments, root, found.operation.selectionSet, new Set())
        ? found
        : null;
    byName.set(args.operationName, plan);
  }
  return plan;
}

/*
 * CollectFields as graphql-js 16 implements it (graphql/execution/collectFields,
 * internal there, hence this copy): the order of the answer's keys is its order.
 */

type FieldMap = Map<string, FieldNode[]>;

function included(
  variables: Record<string, unknown>,
  node: FieldNode | InlineFragmentNode | FragmentSpreadNode,
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function conditionMatches(
  schema: GraphQLSchema,
  fragment: InlineFragmentNode | FragmentDefinitionNode,
  type: GraphQLObjectType,
): boolean {
  const condition = fragment.typeCondition;
  if (!condition) return true;
  const conditional = typeFromAST(schema, condition);
  if (conditional === type) return true;
  return isAbstractType(conditional) ? schema.isSubType(conditional, type) : false;
}

function collectInto(
  run: Run,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: FieldMap,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!included(run.variables, selection)) continue;
      const key = selection.alias ? selection.alias.value : selection.name.value;
      const list = fields.get(key);
      if (list !== undefined) list.push(selection);
      else fields.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!included(run.variables, selection) || !conditionMatches(run.schema, selection, type)) {
        continue;
      }
      collectInto(run, type, selection.selectionSet, fields, visited);
    } else {
      const name = selection.name.value;
      if (visited.has(name) || !included(run.variables, selection)) continue;
      visited.add(name);
      const fragment = run.fragments[name];
      if (!fragment || !conditionMatches(run.schema, fragment, type)) continue;
      collectInto(run, type, fragment.selectionSet, fields, visited);
    }
  }
}

function collectSubfields(
  run: Run,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
): FieldMap {
  const fields: FieldMap = new Map();
  const visited = new Set<string>();
  for (const node of nodes) {
    if (node.selectionSet) collectInto(run, type, node.selectionSet, fields, visited);
  }
  return fields;
}

function fieldPlans(
  type: GraphQLObjectType,
  fields: Map<string, readonly FieldNode[]>,
): FieldPlan[] {
  const planned: FieldPlan[] = [];
  const defs = type.getFields();
  for (const [key, nodes] of fields) {
    const node = nodes[0];
    if (!node) continue;
    const name = node.name.value;
    if (name === '__typename') {
      planned.push({
        key,
        nodes,
        def: undefined,
        parentOnly: undefined,
        leaf: undefined,
        nonNull: true,
      });
      continue;
    }
    const def = defs[name];
    // graphql-js leaves out a field it does not find (validation refuses them anyway).
    if (!def) continue;
    const parentOnly = isParentOnly(def.resolve) ? def.resolve : undefined;
    const nonNull = isNonNullType(def.type);
    const inner = isNonNullType(def.type) ? def.type.ofType : def.type;
    planned.push({
      key,
      nodes,
      def,
      parentOnly,
      leaf: isLeafType(inner) ? inner : undefined,
      nonNull,
    });
  }
  return planned;
}

function infoFor(
  run: Run,
  def: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
  parentType: GraphQLObjectType,
  path: Path,
): Info {
  // As graphql-js 16 builds it.
  return {
    fieldName: def.name,
    fieldNodes: nodes,
    returnType: def.type,
    parentType,
    path,
    schema: run.schema,
    fragments: run.fragments,
    rootValue: run.rootValue,
    operation: run.operation,
    variableValues: run.variables,
  };
}

function executeFields(
  run: Run,
  type: GraphQLObjectType,
  source: unknown,
  path: Path | undefined,
  fields: readonly FieldPlan[],
): unknown {
  const result: Record<string, unknown> = {};
  let pending: Promise<unknown>[] | undefined;
  try {
    for (const field of fields) {
      const value = executeField(run, type, source, path, field);
      if (isPromise(value)) {
        // The key is set now so the object keeps the selection's order.
        result[field.key] = null;
        (pending ??= []).push(
          value.then((settled) => {
            result[field.key] = settled;
          }),
        );
      } else {
        result[field.key] = value;
      }
    }
  } catch (error) {
    for (const promise of pending ?? []) promise.catch(ignore);
    throw error;
  }
  return pending ? Promise.all(pending).then(() => result) : result;
}

function executeField(
  run: Run,
  parentType: GraphQLObjectType,
  source: unknown,
  parentPath: Path | undefined,
  field: FieldPlan,
): unknown {
  const { def } = field;
  if (def === undefined) return parentType.name;
  if (run.abandoned) throw FALL_BACK;
  let value: unknown;
  let path: Path | undefined;
  if (field.parentOnly) {
    value = field.parentOnly(source);
  } else if (
    def.resolve === undefined &&
    typeof source === 'object' &&
    source !== null &&
    typeof (source as Record<string, unknown>)[def.name] !== 'function'
  ) {
    // graphql-js's default resolver reads the property (a getter such as an
    // edge's cursor); only a method would be handed the info.
    value = (source as Record<string, unknown>)[def.name];
  } else {
    path = { prev: parentPath, key: field.key, typename: parentType.name };
    const args =
      def.args.length === 0
        ? NO_ARGS
        : getArgumentValues(def, field.nodes[0] as FieldNode, run.variables);
    const info = infoFor(run, def, field.nodes, parentType, path);
    value = (def.resolve ?? defaultFieldResolver)(
      source,
      args,
      run.context,
      info as GraphQLResolveInfo,
    );
  }
  const returnType = def.type;
  if (isPromise(value)) {
    const at = path ?? { prev: parentPath, key: field.key, typename: parentType.name };
    return value.then((resolved) => complete(run, returnType, field.nodes, at, resolved));
  }
  const { leaf } = field;
  if (leaf) {
    // completeValue of graphql-js for a scalar or enum, without a path (none is needed).
    if (value instanceof Error) throw FALL_BACK;
    if (value == null) {
      if (field.nonNull) throw FALL_BACK;
      return null;
    }
    const serialized: unknown = leaf.serialize(value);
    if (serialized == null) throw FALL_BACK;
    return serialized;
  }
  if (path === undefined) {
    path = { prev: parentPath, key: field.key, typename: parentType.name };
  }
  return complete(run, returnType, field.nodes, path, value);
}

function complete(
  run: Run,
  type: GraphQLOutputType,
  nodes: readonly FieldNode[],
  path: Path | undefined,
  value: unknown,
): unknown {
  if (isNonNullType(type)) {
    const completed = complete(run, type.ofType, nodes, path, value);
    if (completed === null) throw FALL_BACK;
    if (isPromise(completed)) {
      return completed.then((settled) => {
        if (settled === null) throw FALL_BACK;
        return settled;
      });
    }
    return completed;
  }
  if (value instanceof Error) throw FALL_BACK;
  if (value == null) return null;
  if (isLeafType(type)) {
    const serialized: unknown = type.serialize(value);
    if (serialized == null) throw FALL_BACK;
    return serialized;
  }
  if (isListType(type)) return completeList(run, type.ofType, nodes, path, value);
  if (isObjectType(type)) {
    let fields = run.subfields.get(nodes);
    if (!fields) {
      fields = fieldPlans(type, collectSubfields(run, type, nodes));
      run.subfields.set(nodes, fields);
    }
    return executeFields(run, type, value, path, fields);
  }
  // Abstract types are refused when the operation is planned.
  throw FALL_BACK;
}

function completeList(
  run: Run,
  itemType: GraphQLOutputType,
  nodes: readonly FieldNode[],
  path: Path | undefined,
  value: unknown,
): unknown {
  let items: readonly unknown[];
  if (Array.isArray(value)) items = value;
  else if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  ) {
    items = Array.from(value as Iterable<unknown>);
  } else throw FALL_BACK;
  const leaf = isLeafType(getNamedType(itemType));
  const completed: unknown[] = new Array<unknown>(items.length);
  let pending = false;
  try {
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      const at: Path | undefined = leaf
        ? undefined
        : { prev: path, key: index, typename: undefined };
      const done = isPromise(item)
        ? item.then((resolved) => complete(run, itemType, nodes, at, resolved))
        : complete(run, itemType, nodes, at, item);
      if (isPromise(done)) pending = true;
      completed[index] = done;
    }
  } catch (error) {
    for (const item of completed) if (isPromise(item)) item.catch(ignore);
    throw error;
  }
  return pending ? Promise.all(completed) : completed;
}

/** What became of one operation: for tests, which must see the fast path taken. */
export type FastPathOutcome = 'answered' | 'fell back' | 'not taken';

/** `execute` that answers what it can fast and hands everything else to `standard`. */
export function withFastPath(
  standard: ExecuteFn,
  onOutcome?: (outcome: FastPathOutcome) => void,
): ExecuteFn {
  return (args) => {
    const plan = args.fieldResolver || args.typeResolver ? null : planFor(args);
    if (!plan) {
      onOutcome?.('not taken');
      return standard(args);
    }
    const coerced = getVariableValues(
      args.schema,
      plan.operation.variableDefinitions ?? [],
      args.variableValues ?? {},
    );
    if (coerced.errors) {
      onOutcome?.('not taken');
      return standard(args);
    }
    const run: Run = {
      schema: args.schema,
      fragments: plan.fragments,
      operation: plan.operation,
      rootValue: args.rootValue,
      context: args.contextValue,
      variables: coerced.coerced,
      subfields: new Map(),
      abandoned: false,
    };
    const fallBack = () => {
      run.abandoned = true;
      onOutcome?.('fell back');
      return standard(args);
    };
    const answered = (data: unknown): ExecutionResult => {
      onOutcome?.('answered');
      return { data: data as Data };
    };
    try {
      // planFor refused operations without a query type.
      const root = args.schema.getQueryType() as GraphQLObjectType;
      const collected: FieldMap = new Map();
      collectInto(run, root, plan.operation.selectionSet, collected, new Set());
      const fields = fieldPlans(root, collected);
      const data = executeFields(run, root, run.rootValue, undefined, fields);
      if (isPromise(data)) {
        return data.then(answered, fallBack);
      }
      return answered(data);
    } catch {
      return fallBack();
    }
  };
}

/** Puts the fast path in front of whatever executor Yoga would use. */
export function useFastExecute(onOutcome?: (outcome: FastPathOutcome) => void): Plugin {
  let standard: ExecuteFn | undefined;
  let fast: ExecuteFn | undefined;
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (executeFn !== standard || !fast) {
        standard = executeFn as ExecuteFn;
        fast = withFastPath(standard, onOutcome);
      }
      setExecuteFn(fast);
    },
  };
}
