/**
 * The one way the gateway refuses a request: a coded GraphQL error whose HTTP
 * status comes from the code table (api/errors.ts, ERROR_CODES), under both
 * media types a client may accept. Inside Yoga's pipeline a refusal is thrown
 * or returned as a `GraphQLError`; before it (onRequest) it is a `Response`
 * with the same body shape.
 */
import type { ASTNode, GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { ErrorCode } from '../api/errors.js';
import { ERROR_CODES } from '../api/errors.js';

/** Details beside the code (`setting`, `limit`, `found`, `argument`, …); never secrets. */
export type RefusalDetails = Readonly<Record<string, unknown>>;

/**
 * Yoga's `extensions.http` for a code: `spec` makes Yoga answer 200 under
 * application/json, as GraphQL over HTTP asks for a well-formed request.
 */
export function httpOf(code: ErrorCode, headers?: Readonly<Record<string, string>>) {
  const fact = ERROR_CODES[code];
  return {
    status: fact.status,
    ...(fact.jsonStatus === fact.status ? {} : { spec: true }),
    ...(headers ? { headers } : {}),
  };
}

/** A refusal as a GraphQL error, for Yoga's hooks to throw or to answer with. */
export function refusal(
  code: ErrorCode,
  message: string,
  details: RefusalDetails = {},
  headers?: Readonly<Record<string, string>>,
  /** Where in the document, for the error's `locations`. */
  nodes?: readonly ASTNode[],
): GraphQLError {
  return createGraphQLError(message, {
    ...(nodes ? { nodes } : {}),
    extensions: { ...details, code, http: httpOf(code, headers) },
  });
}

/**
 * A refusal before Yoga parses the request (an `onRequest` hook): the body a
 * GraphQL error would have. Only for codes whose status does not depend on
 * what the client accepts.
 */
export function refusalResponse(
  code: ErrorCode,
  message: string,
  details: RefusalDetails = {},
  headers: Readonly<Record<string, string>> = {},
): Response {
  const fact = ERROR_CODES[code];
  if (fact.jsonStatus !== fact.status) {
    throw new Error(`refusalResponse: ${code} depends on Accept; refuse with refusal() instead`);
  }
  return new Response(JSON.stringify({ errors: [{ message, extensions: { ...details, code } }] }), {
    status: fact.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
