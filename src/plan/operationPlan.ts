/**
 * One plan per operation: which root fields execution will resolve and, for
 * each, the Data API calls it will make, worked out once after validation
 * from the coerced variables. The resolvers run from it; the call budget, the
 * cost limit, the `_entities` limit, the log line and the metrics read it.
 * Nothing else describes what a field costs.
 */
import { collectFields } from '@graphql-tools/utils';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLObjectType,
  GraphQLResolveInfo,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  OperationTypeNode,
} from 'graphql';
import { METHODS, rowWidth } from '../api/index.js';
import { BadUserInputError } from '../api/errors.js';
import type { UpstreamCall } from '../upstream/callTable.js';
import { CallBook } from './callBook.js';
import type { ListFieldPlan, ListPlanOptions } from './listField.js';
import { planListField } from './listField.js';
import type { LookupFieldPlan } from './lookupFields.js';
import { planEntitiesField, planNodeField } from './lookupFields.js';

export interface PlannerOptions extends ListPlanOptions {
  /** Most keys one look-up call carries (the largest page the API is asked for). */
  readonly maxKeysPerCall: number;
}

/** A root field that calls nothing (`__typename`, `_service`, introspection). */
interface QuietFieldPlan {
  readonly kind: 'quiet';
}

/** A root field whose arguments were refused while planning: it calls nothing and fails. */
export interface RefusedFieldPlan {
  readonly kind: 'refused';
  readonly error: Error;
}

export type FieldPlan = ListFieldPlan | LookupFieldPlan | QuietFieldPlan | RefusedFieldPlan;

export type Variables = Readonly<Record<string, unknown>>;
type Fragments = Record<string, FragmentDefinitionNode>;

export interface OperationPlan {
  readonly operation: OperationDefinitionNode;
  readonly fragments: Fragments;
  /** The variables as execution sees them (coerced, defaults applied): made once. */
  readonly variables: Variables;
  /** Response key → field nodes, in execution's order (graphql's CollectFields). */
  readonly rootFields: ReadonlyMap<string, readonly FieldNode[]>;
  /** Every distinct Data API call the operation makes. */
  readonly calls: readonly UpstreamCall[];
  /** Rows those calls may return (the sum of their limits): what the work gate weighs. */
  readonly rows: number;
  /** Values those calls may return: rows × columns of their type. */
  readonly cost: number;
  /** The longest `_entities(representations:)` list (0 without one). */
  readonly largestRepresentations: number;
  /** The plan of the root field whose first field node is `node`. */
  field(node: FieldNode): FieldPlan;
}

export type PlanOutcome =
  | { readonly plan: OperationPlan }
  | { readonly errors: readonly GraphQLError[] }
  | { readonly notPlanned: 'no operation' };

const BY_LIST_FIELD = new Map([...METHODS.values()].map((m) => [m.listField, m]));
const NO_VARIABLES: Variables = Object.freeze({});

interface Template {
  readonly operation: OperationDefinitionNode;
  readonly fragments: Fragments;
  /** An operation without variable definitions plans the same every time. */
  fixed?: OperationPlan;
}

/** The operation execution would run (graphql's own choice), with the document's fragments. */
function templateOf(
  document: DocumentNode,
  operationName: string | undefined,
): Template | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const fragments: Fragments = Object.create(null) as Fragments;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { operation, fragments };
}

export class Planner {
  private readonly templates = new WeakMap<DocumentNode, Map<string, Template | null>>();

  constructor(private readonly options: PlannerOptions) {}

  /**
   * The plan of the named operation for these (raw) variables; the variables'
   * errors when they do not coerce (execution would refuse them the same way).
   */
  plan(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    rawVariables: Readonly<Record<string, unknown>> | null | undefined,
  ): PlanOutcome {
    const template = this.template(document, operationName ?? undefined);
    if (!template) return { notPlanned: 'no operation' };
    if (template.fixed) return { plan: template.fixed };
    const definitions = template.operation.variableDefinitions ?? [];
    let variables = NO_VARIABLES;
    if (definitions.length > 0) {
      const coerced = getVariableValues(schema, definitions, rawVariables ?? {}, {
        maxErrors: 50,
      });
      if (coerced.errors) return { errors: coerced.errors };
      variables = coerced.coerced;
    }
    const plan = this.build(schema, template, variables);
    if (definitions.length === 0) template.fixed = plan;
    return { plan };
  }

  /** The plan of an execution already under way, from what its resolvers are given. */
  planExecution(info: GraphQLResolveInfo): OperationPlan {
    return this.build(
      info.schema,
      { operation: info.operation, fragments: info.fragments },
      info.variableValues,
    );
  }

  private template(document: DocumentNode, operationName: string | undefined): Template | null {
    let byName = this.templates.get(document);
    if (!byName) {
      byName = new Map();
      this.templates.set(document, byName);
    }
    const key = operationName ?? '';
    let template = byName.get(key);
    if (template === undefined) {
      template = templateOf(document, operationName) ?? null;
      byName.set(key, template);
    }
    return template;
  }

  private build(schema: GraphQLSchema, template: Template, variables: Variables): OperationPlan {
    const { operation, fragments } = template;
    const root = schema.getRootType(operation.operation);
    const book = new CallBook(this.options.maxKeysPerCall);
    const fields = new Map<FieldNode, FieldPlan>();
    let rootFields: ReadonlyMap<string, readonly FieldNode[]> = new Map();
    let largestRepresentations = 0;
    if (root && operation.operation === OperationTypeNode.QUERY) {
      rootFields = collectFields(schema, fragments, variables, root, operation.selectionSet).fields;
      for (const [key, nodes] of rootFields) {
        const [node] = nodes;
        if (!node) continue;
        const info = infoOf(schema, template, variables, root, key, nodes);
        fields.set(node, this.planField(root, node, info, variables, book));
        const planned = fields.get(node);
        if (node.name.value === '_entities' && planned?.kind === 'lookup') {
          largestRepresentations = Math.max(largestRepresentations, planned.items.length);
        }
      }
    }
    const calls = book.close();
    let rows = 0;
    let cost = 0;
    for (const call of calls) {
      const method = METHODS.get(call.method);
      const limit = call.params.limit ?? 0;
      rows += limit;
      cost += limit * (method ? rowWidth(method) : 1);
    }
    return {
      operation,
      fragments,
      variables,
      rootFields,
      calls,
      rows,
      cost,
      largestRepresentations,
      field(node) {
        const plan = fields.get(node);
        if (!plan) throw new Error(`unreachable: no plan for root field ${node.name.value}`);
        return plan;
      },
    };
  }

  private planField(
    root: GraphQLObjectType,
    node: FieldNode,
    info: GraphQLResolveInfo,
    variables: Variables,
    book: CallBook,
  ): FieldPlan {
    const name = node.name.value;
    const method = BY_LIST_FIELD.get(name);
    if (!method && name !== 'node' && name !== 'nodes' && name !== '_entities') {
      return { kind: 'quiet' };
    }
    try {
      const args = argumentsOf(root, node, variables) ?? {};
      if (method) return planListField(method, args, info, this.options, book);
      const userId = (args.userId as number | null | undefined) ?? this.options.defaultUserId;
      if (name === 'node') return planNodeField([args.id as string], userId, info, book);
      if (name === 'nodes') {
        const ids = args.ids as readonly string[];
        const limit = this.options.limits.maxListInput;
        if (ids.length > limit) {
          throw new BadUserInputError(
            `"ids" has ${ids.length} ids; the limit is ${limit} (MAX_LIST_INPUT).`,
            'ids',
          );
        }
        return planNodeField(ids, userId, info, book);
      }
      const representations = args.representations;
      return planEntitiesField(
        Array.isArray(representations) ? representations : [],
        this.options.limits.maxStringInput,
        this.options.defaultUserId,
        info,
        book,
      );
    } catch (error) {
      return { kind: 'refused', error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

function argumentsOf(
  root: GraphQLObjectType,
  node: FieldNode,
  variables: Variables,
): Record<string, unknown> | undefined {
  const definition = root.getFields()[node.name.value];
  return definition ? getArgumentValues(definition, node, variables) : undefined;
}

/** What a resolver of this root field would be given as `info`, as graphql-js 16 builds it. */
function infoOf(
  schema: GraphQLSchema,
  template: Template,
  variables: Variables,
  root: GraphQLObjectType,
  key: string,
  nodes: readonly FieldNode[],
): GraphQLResolveInfo {
  const [node] = nodes;
  const definition = node ? root.getFields()[node.name.value] : undefined;
  return {
    fieldName: node?.name.value ?? key,
    fieldNodes: nodes,
    returnType: definition?.type,
    parentType: root,
    path: { prev: undefined, key, typename: root.name },
    schema,
    fragments: template.fragments,
    rootValue: undefined,
    operation: template.operation,
    variableValues: variables,
  } as GraphQLResolveInfo;
}
