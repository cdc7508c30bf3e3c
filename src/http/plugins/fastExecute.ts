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
 * planned query (http/plugins/plan.ts: its root fields and coerced variables
 * come from the plan) whose selections reach no abstract type, no
 * introspection and no type with `isTypeOf`, that executes without any error.
 * Anything else (an operation it does not take, any error or null in a
 * non-null place, a fault of its own) is handed to the standard executor,
 * which answers it from scratch: the upstream calls already made are shared
 * through the request's call table, so no call is repeated. Every outcome is
 * counted by reason; a fault of its own is logged.
 * test/integration/plugins/fastExecute.test.ts compares the answers with graphql-js's
 * `execute`.
 *
 * Long lists are completed in chunks of CHUNK_ROWS items, yielding to the
 * event loop between chunks: other requests get their turn during a big page,
 * and a client that leaves is noticed while its page is being built. When the
 * request's signal fires (its client went away) execution stops: no resolver
 * runs and no row is built after that, the standard executor is not asked to
 * start again, and the execution rejects with the signal's reason, as Yoga's
 * executor does; such an operation reports no outcome.
 */
import type {
  ExecutionArgs,
  ExecutionResult,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLLeafType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLResolveInfo,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { collectSubFields } from '@graphql-tools/utils';
import {
  Kind,
  OperationTypeNode,
  version,
  versionInfo,
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { OperationPlan } from '../../plan/operationPlan.js';
import type { GatewayContext } from '../../schema/context.js';
import { isParentOnly } from '../../schema/parentOnly.js';
import type { ReplyBytes } from '../../rpc/replyBytes.js';
import { selectionVariant } from '../../translate/fields.js';
import { NodeMemo } from '../../translate/nodeMemo.js';
import { BytesJson, Splice } from '../splicedJson.js';
import type { ObjectWriter, Refusal } from './rowsFromBytes.js';
import { ListWriter, UNREADABLE, compileObjectWriter, listItemType } from './rowsFromBytes.js';

/**
 * The graphql-js major whose `execute` this follows (its CollectFields order,
 * its info object, its completion rules); another one must not start with it.
 */
export const FOLLOWS_GRAPHQL_MAJOR = 16;

/** Refuses to start on another graphql major than the one followed. */
export function checkGraphqlVersion(major: number, installed: string): void {
  if (major !== FOLLOWS_GRAPHQL_MAJOR) {
    throw new Error(
      `The fast executor follows graphql ${FOLLOWS_GRAPHQL_MAJOR}.x; graphql ${installed} is installed. Check src/http/plugins/fastExecute.ts against its execute before allowing it.`,
    );
  }
}

type ExecuteFn = (args: ExecutionArgs) => unknown;
type Data = NonNullable<ExecutionResult['data']>;
type Path = GraphQLResolveInfo['path'];
type Fragments = Record<string, FragmentDefinitionNode>;
/** graphql-js 16's info: the members Yoga's executor adds (abort signal, helpers) are not made. */
type Info = Omit<GraphQLResolveInfo, 'getAbortSignal' | 'getAsyncHelpers'>;

/** Why an operation was not answered on the fast path. */
export type FastPathReason =
  /** Answered. */
  | 'answered'
  /** Not a planned query (introspection-only operations, mutations refused later, …). */
  | 'not planned'
  /** The selection reaches an abstract type, introspection or a type with isTypeOf. */
  | 'shape'
  /** The execution brings its own field or type resolver. */
  | 'custom resolvers'
  /** A resolver threw or rejected, or returned an Error. */
  | 'field error'
  /** A null where the schema says non-null. */
  | 'null in non-null'
  /** A value a leaf could not serialize, or a list that is not a list. */
  | 'value'
  /** A fault of the fast path itself: logged, and answered by the standard executor. */
  | 'unexpected';

/** Thrown to leave the fast path, with its reason; never seen outside this module. */
class FallBack extends Error {
  constructor(readonly reason: FastPathReason) {
    super(`fall back to the standard executor: ${reason}`);
  }
}
const FIELD_ERROR = new FallBack('field error');
const NULL_IN_NON_NULL = new FallBack('null in non-null');
const BAD_VALUE = new FallBack('value');

/** Arguments of a field that declares none: graphql-js would make a new `{}` each time. */
const NO_ARGS: Readonly<Record<string, unknown>> = Object.freeze({});

/** One field of a selection set, resolved against its parent type once per execution. */
export interface FieldPlan {
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
  readonly variables: Readonly<Record<string, unknown>>;
  /** Sub-selections by the field nodes that hold them (one object type each, none abstract). */
  readonly subfields: Map<readonly FieldNode[], readonly FieldPlan[]>;
  /** Writers of lists selected by merged field nodes (null: none); the others are kept across runs. */
  readonly writers: Map<readonly FieldNode[], ObjectWriter | null>;
  /** selectionVariant of this run's variables, once a writer needs it. */
  variant?: string;
  /** The request's kept replies, when its context has a call table. */
  readonly replies: (() => readonly ReplyBytes[]) | undefined;
  /** Where the lean front door puts bytes written here (absent elsewhere). */
  readonly splice: Splice | undefined;
  readonly observer: FastPathObserver | undefined;
  /** BYTES_MIN_VALUES, or what the gateway's options set. */
  readonly bytesMinValues: number;
  /**
   * Set once the fast path is abandoned (or the client left): its pending
   * branches then call no more resolvers and build no more rows.
   */
  abandoned: boolean;
}

/**
 * Items of a list completed between two turns of the event loop: about 5 ms
 * of rows, so a 10 000-row page yields 20 times.
 */
export const CHUNK_ROWS = 500;

/**
 * The fewest values (rows × columns read) a list must have to be written from
 * the reply's bytes: below it, completing objects and stringifying them costs
 * as little or less (bench/fromBytes.ts, the two paths in two gateways side by
 * side: 24 rows × 3 columns, 8–11 % more CPU per request from the bytes;
 * 40 × 3, even; 24 × 8, 13 % less; 100 × 3, 20 % less).
 */
export const BYTES_MIN_VALUES = 128;

/** The next turn of the event loop, after pending I/O (a closed connection, other requests). */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

function isPromise(value: unknown): value is Promise<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const ignore = (): void => undefined;

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

/** Per operation: whether the fast path takes it (whatever its variables). */
const taken = new WeakMap<OperationDefinitionNode, boolean>();

function takesOperation(schema: GraphQLSchema, plan: OperationPlan): boolean {
  let takesIt = taken.get(plan.operation);
  if (takesIt === undefined) {
    const root = schema.getQueryType();
    takesIt =
      root !== null &&
      root !== undefined &&
      plan.operation.operation === OperationTypeNode.QUERY &&
      takes(schema, plan.fragments, root, plan.operation.selectionSet, new Set());
    taken.set(plan.operation, takesIt);
  }
  return takesIt;
}

/**
 * Sets a key of a result object. `__proto__` is defined, not assigned: on a
 * plain object assigning it would set the prototype and drop the field.
 */
function setKey(result: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(result, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    result[key] = value;
  }
}

type FieldMap = ReadonlyMap<string, readonly FieldNode[]>;

function fieldPlans(type: GraphQLObjectType, fields: FieldMap): FieldPlan[] {
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
        setKey(result, field.key, null);
        (pending ??= []).push(
          value.then((settled) => {
            setKey(result, field.key, settled);
          }),
        );
      } else {
        setKey(result, field.key, value);
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
  if (run.abandoned) throw FIELD_ERROR;
  // A path is made only for a resolver that is handed an info (and for completing objects).
  let path: Path | undefined = readsParentOnly(field, def, source)
    ? undefined
    : { prev: parentPath, key: field.key, typename: parentType.name };
  let value: unknown;
  try {
    value = resolveField(run, parentType, source, path, field, def);
  } catch {
    throw FIELD_ERROR;
  }
  const returnType = def.type;
  if (isPromise(value)) {
    const at = path ?? { prev: parentPath, key: field.key, typename: parentType.name };
    return value.then(
      (resolved) => complete(run, returnType, field.nodes, at, resolved),
      () => {
        throw FIELD_ERROR;
      },
    );
  }
  const { leaf } = field;
  if (leaf) {
    // completeValue of graphql-js for a scalar or enum, without a path (none is needed).
    if (value instanceof Error) throw FIELD_ERROR;
    if (value == null) {
      if (field.nonNull) throw NULL_IN_NON_NULL;
      return null;
    }
    return serialize(leaf, value);
  }
  if (path === undefined) {
    path = { prev: parentPath, key: field.key, typename: parentType.name };
  }
  return complete(run, returnType, field.nodes, path, value);
}

/**
 * Whether the field's value comes from its parent alone: a parent-only
 * resolver, or graphql-js's default resolver reading a property (a getter
 * such as an edge's cursor; only a method would be handed the info).
 */
function readsParentOnly(
  field: FieldPlan,
  def: GraphQLField<unknown, unknown>,
  source: unknown,
): boolean {
  return (
    field.parentOnly !== undefined ||
    (def.resolve === undefined &&
      typeof source === 'object' &&
      source !== null &&
      typeof (source as Record<string, unknown>)[def.name] !== 'function')
  );
}

/** Calls the field's resolver (or reads the property); what it throws is the field's error. */
function resolveField(
  run: Run,
  parentType: GraphQLObjectType,
  source: unknown,
  path: Path | undefined,
  field: FieldPlan,
  def: GraphQLField<unknown, unknown>,
): unknown {
  if (field.parentOnly) return field.parentOnly(source);
  if (path === undefined) return (source as Record<string, unknown>)[def.name];
  const args =
    def.args.length === 0
      ? NO_ARGS
      : getArgumentValues(def, field.nodes[0] as FieldNode, run.variables);
  const info = infoFor(run, def, field.nodes, parentType, path);
  return (def.resolve ?? defaultFieldResolver)(
    source,
    args,
    run.context,
    info as GraphQLResolveInfo,
  );
}

/** A leaf's serialized value; what graphql-js would report as the field's error leaves the fast path. */
function serialize(type: GraphQLLeafType, value: unknown): unknown {
  let serialized: unknown;
  try {
    serialized = type.serialize(value);
  } catch {
    throw BAD_VALUE;
  }
  if (serialized == null) throw BAD_VALUE;
  return serialized;
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
    if (completed === null) throw NULL_IN_NON_NULL;
    if (isPromise(completed)) {
      return completed.then((settled) => {
        if (settled === null) throw NULL_IN_NON_NULL;
        return settled;
      });
    }
    return completed;
  }
  if (value instanceof Error) throw FIELD_ERROR;
  if (value == null) return null;
  if (isLeafType(type)) return serialize(type, value);
  if (isListType(type)) return completeList(run, type.ofType, nodes, path, value);
  if (isObjectType(type)) {
    return executeFields(run, type, value, path, subFieldsOf(run, type, nodes));
  }
  // Abstract types are refused when the operation is checked (takes()).
  throw new Error(`unreachable: completing ${String(type)} on the fast path`);
}

/** The fields selected on `type` under `nodes`, planned once per execution. */
function subFieldsOf(
  run: Run,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
): readonly FieldPlan[] {
  let fields = run.subfields.get(nodes);
  if (!fields) {
    // graphql-tools' CollectFields, as graphql-js 16 collects (memoized per
    // variables object: a plan without variables shares it across requests).
    const collected = collectSubFields(
      run.schema,
      run.fragments,
      run.variables,
      type,
      nodes as FieldNode[],
    );
    fields = fieldPlans(type, collected.fields);
    run.subfields.set(nodes, fields);
  }
  return fields;
}

const REFUSED: Readonly<Record<Refusal, FallBack>> = {
  'field error': FIELD_ERROR,
  'null in non-null': NULL_IN_NON_NULL,
  value: BAD_VALUE,
};

/**
 * Writers by the schema, the field node selecting the list's items, their
 * type and the selection variant: compiled once per operation shape, not per
 * request. What a writer does is a function of those alone (the fields
 * collected under the node, their definitions and response keys).
 */
const writerMemos = new WeakMap<GraphQLSchema, NodeMemo<FieldNode, ObjectWriter | null>>();

function writerOf(
  run: Run,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
): ObjectWriter | null {
  const compile = () =>
    compileObjectWriter(type, subFieldsOf(run, type, nodes), (t, n) => subFieldsOf(run, t, n)) ??
    null;
  const [node, ...merged] = nodes;
  // A field selected twice merges nodes that can differ between spreads: compiled for this run.
  if (!node || merged.length > 0) {
    let writer = run.writers.get(nodes);
    if (writer === undefined) {
      writer = compile();
      run.writers.set(nodes, writer);
    }
    return writer;
  }
  let memo = writerMemos.get(run.schema);
  if (!memo) {
    memo = new NodeMemo();
    writerMemos.set(run.schema, memo);
  }
  run.variant ??= selectionVariant(run.operation, run.fragments, run.variables);
  return memo.get(node, `${type.name} ${run.variant}`, compile);
}

/**
 * The list written from the API's reply bytes (rowsFromBytes.ts), when its
 * items are rows of a kept reply and its selection maps onto their columns;
 * undefined to complete it the ordinary way.
 */
function fromBytes(
  run: Run,
  itemType: GraphQLOutputType,
  nodes: readonly FieldNode[],
  items: readonly unknown[],
  ordinary: () => unknown,
): unknown {
  const replies = run.replies;
  const type = listItemType(itemType);
  if (!replies || !type || items.length === 0) return undefined;
  const writer = writerOf(run, type, nodes);
  if (writer === null || items.length * writer.values < run.bytesMinValues) return undefined;
  const list = new ListWriter(writer, isNonNullType(itemType), replies, items.length);
  const check = (outcome: ReturnType<ListWriter['write']>): boolean => {
    if (outcome === UNREADABLE) return false;
    if (outcome !== undefined) throw REFUSED[outcome];
    return true;
  };
  const done = () => {
    const bytes = list.finish();
    if (!bytes) return unreadable();
    run.observer?.rows?.('bytes', items.length);
    return new BytesJson(bytes, run.splice);
  };
  const unreadable = () => {
    run.observer?.rows?.('objects', items.length);
    return ordinary();
  };
  if (!check(list.write(items, 0, Math.min(CHUNK_ROWS, items.length)))) return unreadable();
  if (items.length <= CHUNK_ROWS) return done();
  const rest = async (): Promise<unknown> => {
    for (let from = CHUNK_ROWS; from < items.length; from += CHUNK_ROWS) {
      await nextTurn();
      if (run.abandoned) throw FIELD_ERROR;
      if (!check(list.write(items, from, Math.min(from + CHUNK_ROWS, items.length)))) {
        return unreadable();
      }
    }
    return done();
  };
  return rest();
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
  } else throw BAD_VALUE;
  const leaf = isLeafType(getNamedType(itemType));
  if (!leaf && !items.some(isPromise)) {
    const written = fromBytes(run, itemType, nodes, items, () =>
      completeItemsOf(run, itemType, nodes, path, items, leaf),
    );
    if (written !== undefined) return written;
  }
  return completeItemsOf(run, itemType, nodes, path, items, leaf);
}

/** Completes each item of a list, as graphql-js does, in chunks of CHUNK_ROWS. */
function completeItemsOf(
  run: Run,
  itemType: GraphQLOutputType,
  nodes: readonly FieldNode[],
  path: Path | undefined,
  items: readonly unknown[],
  leaf: boolean,
): unknown {
  const completed: unknown[] = new Array<unknown>(items.length);
  let pending = false;
  const completeItems = (from: number, to: number): void => {
    try {
      for (let index = from; index < to; index += 1) {
        const item = items[index];
        const at: Path | undefined = leaf
          ? undefined
          : { prev: path, key: index, typename: undefined };
        const done = isPromise(item)
          ? item.then(
              (resolved) => complete(run, itemType, nodes, at, resolved),
              () => {
                throw FIELD_ERROR;
              },
            )
          : complete(run, itemType, nodes, at, item);
        if (isPromise(done)) pending = true;
        completed[index] = done;
      }
    } catch (error) {
      for (const item of completed) if (isPromise(item)) item.catch(ignore);
      throw error;
    }
  };
  const settled = () => (pending ? Promise.all(completed) : completed);
  if (leaf || items.length <= CHUNK_ROWS) {
    completeItems(0, items.length);
    return settled();
  }
  completeItems(0, CHUNK_ROWS);
  const rest = async (): Promise<unknown> => {
    for (let from = CHUNK_ROWS; from < items.length; from += CHUNK_ROWS) {
      await nextTurn();
      if (run.abandoned) {
        for (const item of completed) if (isPromise(item)) item.catch(ignore);
        throw FIELD_ERROR;
      }
      completeItems(from, Math.min(from + CHUNK_ROWS, items.length));
    }
    return settled();
  };
  return rest();
}

/** Why `signal` fired, as Yoga expects an aborted execution to reject (an `AbortError`). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The client went away.', 'AbortError');
}

/** What became of one operation: for tests, which must see the fast path taken. */
export type FastPathOutcome = 'answered' | 'fell back' | 'not taken';

const OUTCOME_OF: Readonly<Record<FastPathReason, FastPathOutcome>> = {
  answered: 'answered',
  'not planned': 'not taken',
  shape: 'not taken',
  'custom resolvers': 'not taken',
  'field error': 'fell back',
  'null in non-null': 'fell back',
  value: 'fell back',
  unexpected: 'fell back',
};

/** Where each operation's outcome is told: metrics, the log, tests. */
export interface FastPathObserver {
  outcome(outcome: FastPathOutcome, reason: FastPathReason): void;
  /** A fault of the fast path itself (answered by the standard executor all the same). */
  fault(error: unknown, context: unknown): void;
  /**
   * A list whose selection maps onto the reply's columns: written from the
   * reply's bytes, or from objects when a row could not be read from them.
   */
  rows?(from: RowsFrom, rows: number): void;
}

/** How a list that could be written from the reply's bytes was written. */
export type RowsFrom = 'bytes' | 'objects';

function repliesOf(context: unknown): (() => readonly ReplyBytes[]) | undefined {
  const calls = (context as Partial<GatewayContext> | undefined)?.calls;
  return calls ? () => calls.replies : undefined;
}

function spliceOf(context: unknown): Splice | undefined {
  const splice = (context as { splice?: unknown } | undefined)?.splice;
  return splice instanceof Splice ? splice : undefined;
}

/** The plan the plan plugin made for this execution, when it made one. */
function planOf(args: ExecutionArgs): OperationPlan | undefined {
  const plan = (args.contextValue as Partial<GatewayContext> | undefined)?.plan;
  return plan && args.document.definitions.includes(plan.operation) ? plan : undefined;
}

/** `execute` that answers what it can fast and hands everything else to `standard`. */
export function withFastPath(
  standard: ExecuteFn,
  observer?: FastPathObserver,
  bytesMinValues = BYTES_MIN_VALUES,
): ExecuteFn {
  const told = (reason: FastPathReason) => observer?.outcome(OUTCOME_OF[reason], reason);
  return (args) => {
    if (args.fieldResolver || args.typeResolver) {
      told('custom resolvers');
      return standard(args);
    }
    const plan = planOf(args);
    if (!plan) {
      told('not planned');
      return standard(args);
    }
    if (!takesOperation(args.schema, plan)) {
      told('shape');
      return standard(args);
    }
    // The client's signal, put in the arguments by useLeavingClients (plugins/leavingClients.ts).
    const { signal } = args as ExecutionArgs & { signal?: AbortSignal };
    const run: Run = {
      schema: args.schema,
      fragments: plan.fragments,
      operation: plan.operation,
      rootValue: args.rootValue,
      context: args.contextValue,
      variables: plan.variables,
      subfields: new Map(),
      writers: new Map(),
      replies: repliesOf(args.contextValue),
      splice: spliceOf(args.contextValue),
      observer,
      bytesMinValues,
      abandoned: false,
    };
    // One listener, not a read of the signal per field: when it fires, the
    // branches still running stop where they resume, and the execution ends at once.
    let interrupt: ((reason: unknown) => void) | undefined;
    const stop = () => {
      run.abandoned = true;
      interrupt?.(FIELD_ERROR);
    };
    signal?.addEventListener('abort', stop, { once: true });
    const detach = () => {
      signal?.removeEventListener('abort', stop);
    };
    const fallBack = (error: unknown) => {
      run.abandoned = true;
      detach();
      // The client is gone: nobody would read what the standard executor built.
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (error instanceof FallBack) {
        told(error.reason);
      } else {
        told('unexpected');
        observer?.fault(error, args.contextValue);
      }
      return standard(args);
    };
    const answered = (data: unknown): ExecutionResult => {
      told('answered');
      return { data: data as Data };
    };
    try {
      // takesOperation refused operations without a query type.
      const root = args.schema.getQueryType() as GraphQLObjectType;
      const fields = fieldPlans(root, plan.rootFields);
      const data = executeFields(run, root, run.rootValue, undefined, fields);
      if (isPromise(data)) {
        const interrupted = signal
          ? new Promise<unknown>((resolve, reject) => {
              interrupt = reject;
              data.then(resolve, reject);
            })
          : data;
        return interrupted.then((settled) => {
          detach();
          return answered(settled);
        }, fallBack);
      }
      detach();
      return answered(data);
    } catch (error) {
      return fallBack(error);
    }
  };
}

/** Puts the fast path in front of whatever executor Yoga would use. */
export function useFastExecute(observer?: FastPathObserver, bytesMinValues?: number): Plugin {
  checkGraphqlVersion(versionInfo.major, version);
  let standard: ExecuteFn | undefined;
  let fast: ExecuteFn | undefined;
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (executeFn !== standard || !fast) {
        standard = executeFn as ExecuteFn;
        fast = withFastPath(standard, observer, bytesMinValues);
      }
      setExecuteFn(fast);
    },
  };
}
