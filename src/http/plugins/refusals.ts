import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import type { ErrorCode } from '../../api/errors.js';
import { ERROR_CODES } from '../../api/errors.js';
import { httpOf, refusalResponse } from '../refuse.js';

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** Yoga's own request errors are all BAD_REQUEST; their status tells which they are. */
const YOGA_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * A request-level error with its code and HTTP status as the code table says:
 * whoever raised it (Yoga, graphql-js, graphql-armor, our plugins), the
 * status is decided here, once.
 */
function tabled(error: GraphQLError): GraphQLError {
  const extensions = error.extensions as Record<string, unknown> & {
    http?: { status?: number; headers?: Record<string, string> };
  };
  let code = extensions.code;
  const raisedStatus = extensions.http?.status;
  if (code === 'BAD_REQUEST' && raisedStatus !== undefined) {
    code = YOGA_STATUS_CODES[raisedStatus] ?? code;
  }
  if (!isErrorCode(code)) return error;
  const http: { status: number; spec?: boolean } = httpOf(code, extensions.http?.headers);
  const same =
    code === extensions.code &&
    raisedStatus === http.status &&
    Boolean((extensions.http as { spec?: boolean } | undefined)?.spec) === Boolean(http.spec);
  if (same) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...extensions, code, http },
  });
}

/**
 * The refusals' one table applied to every response: a result without data
 * (the request was refused before execution) gets each error's code and
 * status from api/errors.ts; Yoga's empty 404 and 415 answers get a body with
 * a code, like every other refusal.
 */
export function useRefusals(endpoint: string): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      if (result.data != null || !result.errors?.length) return;
      const errors = result.errors.map(tabled);
      if (errors.some((error, i) => error !== result.errors?.[i])) {
        payload.setResult({ ...result, errors });
      }
    },
    onResponse(payload) {
      const { response } = payload;
      if (response.status !== 404 && response.status !== 415) return;
      // Only Yoga's own empty answers: a body with a type is someone's deliberate reply.
      if (response.headers.get('content-type') !== null) return;
      payload.setResponse(
        response.status === 404
          ? refusalResponse(
              'NOT_FOUND',
              `Nothing is served here; GraphQL requests go to ${endpoint}.`,
            )
          : refusalResponse(
              'UNSUPPORTED_MEDIA_TYPE',
              'Unsupported content type: send POST with application/json, ' +
                'or GET with the query in the URL.',
            ),
      );
    },
  };
}
