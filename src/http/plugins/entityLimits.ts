import type { DocumentNode, GraphQLSchema } from 'graphql';
import { BREAK, getArgumentValues, getOperationAST, OperationTypeNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import { NodeMemo } from '../../translate/nodeMemo.js';
import { rootFields } from './callBudget.js';

const mentions = new NodeMemo<DocumentNode, boolean>(1);

/** Whether any selection of the document is `_entities`; worked out once per document. */
function mentionsEntities(document: DocumentNode): boolean {
  return mentions.get(document, '', () => {
    let found = false;
    visit(document, {
      Field(node) {
        if (node.name.value !== '_entities') return undefined;
        found = true;
        return BREAK;
      },
    });
    return found;
  });
}

/**
 * The largest `_entities(representations:)` list of the operation; 0 without
 * `_entities`. Bad arguments count 0: execution reports them itself.
 */
export function largestRepresentationList(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  if (!mentionsEntities(document)) return 0;
  const operation = getOperationAST(document, operationName);
  const definition = schema.getQueryType()?.getFields()._entities;
  if (operation?.operation !== OperationTypeNode.QUERY || !definition) return 0;
  let largest = 0;
  for (const field of rootFields(operation.selectionSet, document, variables)) {
    if (field.name.value !== '_entities') continue;
    try {
      const { representations } = getArgumentValues(definition, field, variables);
      if (Array.isArray(representations)) largest = Math.max(largest, representations.length);
    } catch {
      // Execution reports the bad argument.
    }
  }
  return largest;
}

/**
 * Refuses, before any call, `_entities` with more than `maxListInput`
 * representations: the bound `nodes(ids:)` has, for the same loaders. Checked
 * for the whole operation, so no other root field of it calls the API either.
 */
export function useEntityLimits(maxListInput: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // Envelop types these loosely; they are the validated execution's own values.
      const count = largestRepresentationList(
        args.schema as GraphQLSchema,
        args.document as DocumentNode,
        args.operationName as string | null | undefined,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      if (count <= maxListInput) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `"representations" has ${count} entries; the limit is ${maxListInput} (MAX_LIST_INPUT).`,
            {
              extensions: {
                code: 'BAD_USER_INPUT',
                argument: 'representations',
                limit: maxListInput,
              },
            },
          ),
        ],
      });
    },
  };
}
