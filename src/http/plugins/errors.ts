import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';
import type { ErrorCode } from '../../api/errors.js';
import { GatewayError } from '../../api/errors.js';
import type { Logger } from '../../observability/logger.js';

/** Codes of failures that are the API's or ours, not the client's: logged as warnings. */
const UPSTREAM_CODES: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNAVAILABLE']);

/** graphql-js words variable coercion failures this way. */
const VARIABLE_ERROR = /^Variable "\$/;

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
    onExecutionResult(payload) {
      const { result } = payload;
      if (result && !Array.isArray(result) && !(Symbol.asyncIterator in result)) {
        const coded = codeRequestErrors(result as ExecutionResult);
        if (coded) payload.setResult(coded);
      }
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

/**
 * Codes and HTTP statuses for a result that has no data: the request was
 * refused before execution. A variable the operation cannot accept is
 * BAD_USER_INPUT with 400, as Yoga's own executor answers it (graphql-jit
 * gives neither); a refusal with a code but no status (the call budget) gets
 * 400 under application/graphql-response+json, as the GraphQL over HTTP spec
 * requires of a response without data, and stays 200 under application/json.
 */
function codeRequestErrors(result: ExecutionResult): ExecutionResult | undefined {
  if (result.data !== undefined || !result.errors?.length) return undefined;
  const errors = result.errors.map((error) => {
    const extensions = error.extensions as Record<string, unknown> | undefined;
    const code = extensions?.code;
    if (code === undefined && VARIABLE_ERROR.test(error.message)) {
      // As Yoga answers the variable errors it codes itself: 400 where the client
      // accepts application/graphql-response+json, 200 under application/json.
      return recoded(error, { code: 'BAD_USER_INPUT', http: { status: 400, spec: true } });
    }
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' && !extensions?.http) {
      return recoded(error, { http: { status: 400, spec: true } });
    }
    return error;
  });
  return errors.some((error, i) => error !== result.errors?.[i])
    ? { ...result, errors }
    : undefined;
}

/**
 * A copy of `error` with more extensions. A copy, because graphql-jit's errors
 * have read-only extensions.
 */
function recoded(error: GraphQLError, extra: Record<string, unknown>): GraphQLError {
  const copy = new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, ...extra },
  });
  return withLocations(copy, error);
}

/**
 * `copy` with the locations of `error` when it has none of its own: graphql-jit's
 * errors carry locations without the nodes they are computed from.
 */
function withLocations(copy: GraphQLError, error: GraphQLError): GraphQLError {
  if (error.locations && copy.locations === undefined) {
    Object.defineProperty(copy, 'locations', { value: error.locations, enumerable: true });
  }
  return copy;
}
