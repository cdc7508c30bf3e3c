import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Maps execution errors, where the request's context is at hand: typed gateway
 * errors keep their code and details; anything else is logged in full with the
 * request id and replaced by `Unexpected error.` carrying that id, so a user's
 * report can be matched to the log line without the response leaking internals.
 */
export function useErrorMapping(logger: Logger, exposeDetails: boolean): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || !result.errors?.length) return;
          setResult({
            ...result,
            errors: result.errors.map((e: GraphQLError) => mapError(e, ctx.requestId)),
          });
        },
      };
    },
  };

  function mapError(error: GraphQLError, requestId: string): GraphQLError {
    const original = error.originalError;
    if (!original || original instanceof GraphQLError) return error;
    const location = {
      nodes: error.nodes ?? null,
      source: error.source ?? null,
      positions: error.positions ?? null,
      path: error.path ?? null,
    };
    if (original instanceof GatewayError) {
      return createGraphQLError(original.message, {
        ...location,
        extensions: original.extensions(),
      });
    }
    logger.error({ err: original, requestId, path: error.path }, 'unexpected error');
    return createGraphQLError('Unexpected error.', {
      ...location,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        requestId,
        ...(exposeDetails ? { detail: original.message } : {}),
      },
    });
  }
}
