import type { ASTVisitor, ValidationContext } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses `_service` at validation: its `sdl` is the whole schema, so with
 * introspection off it would hand out what introspection hides. Yoga gives
 * validation errors the code GRAPHQL_VALIDATION_FAILED and HTTP 400.
 */
function noServiceSdl(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== '_service') return;
      if (context.getParentType() !== context.getSchema().getQueryType()) return;
      context.reportError(
        new GraphQLError(
          'The subgraph schema is not served here: "_service" is switched off (FEDERATION_SDL=false).',
          { nodes: node },
        ),
      );
    },
  };
}

/** Hides the subgraph SDL (`_service { sdl }`); `_entities` keeps working for routers. */
export function useHiddenServiceSdl(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noServiceSdl);
    },
  };
}
