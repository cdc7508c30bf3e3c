import { useGraphQlJit } from '@envelop/graphql-jit';
import type { DocumentNode, GraphQLSchema, TypeNode } from 'graphql';
import { Kind, isInputObjectType } from 'graphql';

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Whether any variable of the document is an input object (e.g. a filter). */
export function hasInputObjectVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (definition.variableDefinitions ?? []).some((variable) =>
        isInputObjectType(schema.getType(namedType(variable.type))),
      ),
  );
}

/**
 * Compiles each operation once into plain JavaScript (graphql-jit), cached per
 * document: on large pages it halves the gateway's CPU (README, Performance).
 * graphql-jit's variable coercion recurses without end on self-referencing
 * input types, which every filter input is (`and`/`or`), so operations with
 * input-object variables run on graphql-js instead.
 */
export function useJit() {
  return useGraphQlJit(
    {},
    {
      enableIf: (args) => !hasInputObjectVariables(args.schema, args.document),
    },
  );
}
