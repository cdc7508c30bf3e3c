import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';
import type { ErrorCode } from '../../api/errors.js';
import { GatewayError } from '../../api/errors.js';
import type { Logger } from '../../observability/logger.js';

/** Codes of failures that are the API's or ours, not the client's: logged as warnings. */
const UPSTREAM_CODES: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNAVAILABLE']);

/**
 * Maps execution errors, where the request's context is at hand: typed gateway
 * errors keep their code and details (and are logged once per request with
 * what the client is not shown); anything else is logged in full with the
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
          const logged = new Map<string, { error: GatewayError; paths: number }>();
          setResult({
            ...result,
            errors: result.errors.map((e: GraphQLError) => mapError(e, ctx.requestId, logged)),
          });
          for (const { error, paths } of logged.values()) {
            const level = UPSTREAM_CODES.has(error.code) ? 'warn' : 'info';
            logger[level](
              { requestId: ctx.requestId, code: error.code, ...error.logFields(), paths },
              error.message,
            );
          }
        },
      };
    },
  };

  function mapError(
    error: GraphQLError,
    requestId: string,
    logged: Map<string, { error: GatewayError; paths: number }>,
  ): GraphQLError {
    const original = error.originalError;
    if (!original || original instanceof GraphQLError) return error;
    const location = {
      nodes: error.nodes ?? null,
      source: error.source ?? null,
      positions: error.positions ?? null,
      path: error.path ?? null,
    };
    if (original instanceof GatewayError) {
      const fields = original.logFields();
      if (fields) {
        // One line per distinct failure: a bad value repeats on every row of a page.
        const key = JSON.stringify([original.code, fields]);
        const seen = logged.get(key);
        if (seen) seen.paths += 1;
        else logged.set(key, { error: original, paths: 1 });
      }
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
