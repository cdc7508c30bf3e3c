/**
 * Rows an operation asks for, read cheaply from its document and variables
 * (no coercion, no planning), to weigh it at the work gate (workGate.ts):
 * each root list its page size (`first` or `last`, else the default page
 * size, at most the largest), `node` one row, `nodes` and `_entities` one per
 * id or representation. Nested lists come inside their rows and are not
 * counted. It leans high: `@skip`/`@include` are ignored and a list selected
 * twice counts twice. Arguments execution will refuse count what they say,
 * bounded by the largest page.
 *
 * A stand-in for the operation's plan: when calls are planned per operation,
 * weigh the plan instead and drop this file.
 */
import type {
  ArgumentNode,
  DocumentNode,
  FieldNode,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { Kind } from 'graphql';
import { METHODS } from '../api/index.js';
import type { PageSizes } from '../translate/paging.js';

const LIST_FIELDS: ReadonlySet<string> = new Set([...METHODS.values()].map((m) => m.listField));

type Variables = Readonly<Record<string, unknown>> | null | undefined;

function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName == null || definition.name?.value === operationName) {
      if (found && operationName == null) return undefined; // ambiguous: execution refuses it
      found = definition;
    }
  }
  return found;
}

/** The value of a literal or of a variable (its default when not given). */
function valueOf(
  node: ValueNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): unknown {
  switch (node.kind) {
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values;
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (variables && Object.hasOwn(variables, name)) return variables[name];
      const fallback = operation.variableDefinitions?.find(
        (definition) => definition.variable.name.value === name,
      )?.defaultValue;
      return fallback ? valueOf(fallback, operation, variables) : undefined;
    }
    default:
      return undefined;
  }
}

function argument(field: FieldNode, name: string): ArgumentNode | undefined {
  return field.arguments?.find((arg) => arg.name.value === name);
}

function fieldRows(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  paging: PageSizes,
): number {
  const name = field.name.value;
  const read = (arg: string): unknown => {
    const node = argument(field, arg)?.value;
    return node ? valueOf(node, operation, variables) : undefined;
  };
  if (LIST_FIELDS.has(name)) {
    const first = read('first');
    const last = read('last');
    const sizes = [first, last].filter((size): size is number => typeof size === 'number');
    const size = sizes.length > 0 ? Math.max(...sizes) : paging.defaultPageSize;
    return Math.min(Math.max(size, 0), paging.maxPageSize);
  }
  if (name === 'node') return 1;
  if (name === 'nodes' || name === '_entities') {
    const items = read(name === 'nodes' ? 'ids' : 'representations');
    return Array.isArray(items) ? items.length : 1;
  }
  return 0;
}

function selectionRows(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  paging: PageSizes,
  seen: Set<string>,
): number {
  let rows = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      rows += fieldRows(selection, operation, variables, paging);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rows += selectionRows(selection.selectionSet, document, operation, variables, paging, seen);
    } else {
      const name = selection.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
        rows += selectionRows(fragment.selectionSet, document, operation, variables, paging, seen);
      }
    }
  }
  return rows;
}

/** Rows the operation asks for at most (see above); 0 for one that fetches none. */
export function estimateRows(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  paging: PageSizes,
): number {
  const operation = operationOf(document, operationName);
  if (!operation) return 0;
  return selectionRows(operation.selectionSet, document, operation, variables, paging, new Set());
}
