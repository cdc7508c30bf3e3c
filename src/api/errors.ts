/**
 * The errors of both sides, declared once: the Data API's error table
 * (mnemonic → JSON-RPC code, the API's message, what it means to our client)
 * and the gateway's typed errors. Each gateway error carries a stable `code`
 * that becomes the GraphQL error's `extensions.code`; http/plugins/errors.ts
 * maps them, every other error is masked.
 */
/** What one of our codes means over HTTP. */
export interface CodeFact {
  /**
   * Where it is raised: `request`, the whole request is refused before
   * execution (no `data`); `field`, a field fails and the rest of the answer
   * stands (HTTP 200 under both media types, as GraphQL over HTTP requires).
   */
  readonly at: 'request' | 'field' | 'both';
  /** HTTP status of a refused request under `application/graphql-response+json`. */
  readonly status: number;
  /**
   * The same under `application/json`: 200 where GraphQL over HTTP answers a
   * well-formed request with 200 whatever its errors, else `status`.
   */
  readonly jsonStatus: number;
  /** What it tells the client, in one sentence (docs/errors.md lists them). */
  readonly meaning: string;
}

/**
 * Every `extensions.code` the gateway answers with, declared once: the
 * refusal helper (http/refuse.ts) takes status from here, and
 * test/integration/codes.test.ts provokes each one over HTTP.
 */
export const ERROR_CODES = {
  BAD_REQUEST: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning:
      'The HTTP request is not a GraphQL request (malformed JSON, a body that does not decode, no query).',
  },
  NOT_FOUND: {
    at: 'request',
    status: 404,
    jsonStatus: 404,
    meaning: 'Nothing is served at this path.',
  },
  METHOD_NOT_ALLOWED: {
    at: 'request',
    status: 405,
    jsonStatus: 405,
    meaning: 'GraphQL requests are GET or POST.',
  },
  LENGTH_REQUIRED: {
    at: 'request',
    status: 411,
    jsonStatus: 411,
    meaning: 'A request body must declare its Content-Length.',
  },
  PAYLOAD_TOO_LARGE: {
    at: 'request',
    status: 413,
    jsonStatus: 413,
    meaning: 'The request body is over MAX_BODY_BYTES (decoded, when compressed).',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    at: 'request',
    status: 415,
    jsonStatus: 415,
    meaning: 'The body has a Content-Type or Content-Encoding the gateway does not read.',
  },
  CSRF_REJECTED: {
    at: 'request',
    status: 403,
    jsonStatus: 403,
    meaning: 'A request a browser could send cross-site without proving it is not one.',
  },
  GRAPHQL_PARSE_FAILED: {
    at: 'request',
    status: 400,
    jsonStatus: 200,
    meaning: 'The document does not parse (or is over QUERY_MAX_TOKENS).',
  },
  GRAPHQL_VALIDATION_FAILED: {
    at: 'request',
    status: 400,
    jsonStatus: 200,
    meaning: 'The document does not validate against the schema.',
  },
  QUERY_TOO_COMPLEX: {
    at: 'request',
    status: 400,
    jsonStatus: 200,
    meaning: 'The operation is over a limit: depth, aliases, directives, API calls or cost.',
  },
  OPERATION_RESOLUTION_FAILURE: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning: '`operationName` names no operation of the document, or is missing with several.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    at: 'request',
    status: 404,
    jsonStatus: 404,
    meaning: 'No document is stored for this hash; send it with its text once.',
  },
  PERSISTED_QUERY_INVALID: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning: 'extensions.persistedQuery is malformed or of an unknown version.',
  },
  PERSISTED_QUERY_MISMATCH: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning: 'The document is not the one its sha256Hash names.',
  },
  PERSISTED_QUERY_ID_REQUIRED: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning: 'Only registered operations run: send a hash, not a document.',
  },
  PERSISTED_QUERY_NOT_IN_LIST: {
    at: 'request',
    status: 400,
    jsonStatus: 400,
    meaning: 'No registered operation has this hash.',
  },
  BAD_USER_INPUT: {
    at: 'both',
    status: 400,
    jsonStatus: 200,
    meaning: 'A variable or argument is invalid; raised before any API call.',
  },
  UNAUTHENTICATED: {
    at: 'both',
    status: 401,
    jsonStatus: 401,
    meaning: 'No usable credentials, or the Data API did not accept them.',
  },
  FORBIDDEN: {
    at: 'field',
    status: 200,
    jsonStatus: 200,
    meaning: 'The Data API denied access.',
  },
  RATE_LIMITED: {
    at: 'field',
    status: 200,
    jsonStatus: 200,
    meaning: "The Data API's rate limit is exhausted; extensions.retryAfter says when to retry.",
  },
  UPSTREAM_ERROR: {
    at: 'field',
    status: 200,
    jsonStatus: 200,
    meaning: 'The Data API failed or sent what the schema does not allow.',
  },
  UPSTREAM_UNAVAILABLE: {
    at: 'field',
    status: 200,
    jsonStatus: 200,
    meaning: 'The Data API could not be reached in time.',
  },
  SERVICE_OVERLOADED: {
    at: 'request',
    status: 503,
    jsonStatus: 503,
    meaning: 'The gateway is at its bound of work in flight; retry after Retry-After seconds.',
  },
  INTERNAL_SERVER_ERROR: {
    at: 'both',
    status: 500,
    jsonStatus: 500,
    meaning: 'A fault of the gateway; extensions.requestId finds it in the log.',
  },
} as const satisfies Record<string, CodeFact>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes an answer of the Data API can become: what the client should do about it. */
export type ApiOutcomeCode = Extract<
  ErrorCode,
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
>;

interface ApiErrorFact {
  /** JSON-RPC `error.code` (data-api.md, "Errors"); the mnemonic is the stable id. */
  readonly rpcCode: number;
  /** The API's own message for it (what the emulator sends). */
  readonly message: string;
  /** What the client should do about it, as our code; unlisted: UPSTREAM_ERROR. */
  readonly gatewayCode?: ApiOutcomeCode;
}

/** Every mnemonic the Data API documents (data-api.md, "Errors"). */
export const API_ERRORS = {
  parse_error: { rpcCode: -32700, message: 'Parse error' },
  invalid_request: { rpcCode: -32600, message: 'Invalid request' },
  method_not_found: { rpcCode: -32601, message: 'Method not found' },
  data_type_error: {
    rpcCode: -32602,
    message: 'Invalid data type of parameter',
    gatewayCode: 'BAD_USER_INPUT',
  },
  required_parameter_missed: {
    rpcCode: -32602,
    message: 'Required parameter is missed',
    gatewayCode: 'BAD_USER_INPUT',
  },
  invalid_parameter_value: {
    rpcCode: -32602,
    message: 'Invalid value of parameter',
    gatewayCode: 'BAD_USER_INPUT',
  },
  unexpected_parameters: {
    rpcCode: -32602,
    message: 'Unexpected parameters',
    gatewayCode: 'BAD_USER_INPUT',
  },
  invalid_parameters_combination: {
    rpcCode: -32602,
    message: 'Invalid combination of parameters',
    gatewayCode: 'BAD_USER_INPUT',
  },
  sort_prohibited: {
    rpcCode: -32602,
    message: 'Sort by parameter is prohibited',
    gatewayCode: 'BAD_USER_INPUT',
  },
  filter_prohibited: {
    rpcCode: -32602,
    message: 'Filter by parameter is prohibited',
    gatewayCode: 'BAD_USER_INPUT',
  },
  date_interval_limit_reached: {
    rpcCode: -32602,
    message: 'Date interval limit reached',
    gatewayCode: 'BAD_USER_INPUT',
  },
  internal_error: { rpcCode: -32603, message: 'Internal error' },
  error: { rpcCode: -32603, message: 'Error' },
  access_token_expired: {
    rpcCode: -32001,
    message: 'Access token has expired',
    gatewayCode: 'UNAUTHENTICATED',
  },
  access_token_blocked: {
    rpcCode: -32001,
    message: 'Access token is blocked',
    gatewayCode: 'UNAUTHENTICATED',
  },
  access_token_invalid: {
    rpcCode: -32001,
    message: 'Access token is invalid',
    gatewayCode: 'UNAUTHENTICATED',
  },
  auth_error: {
    rpcCode: -32001,
    message: 'Wrong login or password',
    gatewayCode: 'UNAUTHENTICATED',
  },
  ip_not_whitelisted: {
    rpcCode: -32003,
    message: 'IP address is not whitelisted',
    gatewayCode: 'FORBIDDEN',
  },
  forbidden: { rpcCode: -32003, message: 'Forbidden', gatewayCode: 'FORBIDDEN' },
  method_component_disabled: {
    rpcCode: -32008,
    message: 'Component of the method is disabled',
    gatewayCode: 'FORBIDDEN',
  },
  parameter_component_disabled: {
    rpcCode: -32008,
    message: 'Component of the parameter is disabled',
    gatewayCode: 'FORBIDDEN',
  },
  account_inactive: { rpcCode: -32009, message: 'Account is inactive', gatewayCode: 'FORBIDDEN' },
  limit_exceeded: { rpcCode: -32029, message: 'Limit exceeded', gatewayCode: 'RATE_LIMITED' },
  batch_opreations_not_supported: {
    rpcCode: -32099,
    message: 'Batch operations are not supported',
  },
  notifications_not_supported: { rpcCode: -32099, message: 'Notifications are not supported' },
} as const satisfies Record<string, ApiErrorFact>;

/** The API's stable error identifiers. */
export type Mnemonic = keyof typeof API_ERRORS;

function isMnemonic(value: string): value is Mnemonic {
  return Object.hasOwn(API_ERRORS, value);
}

/** Our code for an API error: what the client should do about it. */
export function codeForMnemonic(mnemonic: string | undefined): ApiOutcomeCode {
  if (mnemonic === undefined || !isMnemonic(mnemonic)) return 'UPSTREAM_ERROR';
  const fact: ApiErrorFact = API_ERRORS[mnemonic];
  return fact.gatewayCode ?? 'UPSTREAM_ERROR';
}

export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** What a client may see besides the message; never secrets. */
  extensions(): Record<string, unknown> {
    return { code: this.code };
  }

  /**
   * What the log needs beyond the client's view (e.g. the API's own text);
   * undefined when the error is the client's alone and needs no log line.
   */
  logFields(): Record<string, unknown> | undefined {
    return undefined;
  }
}

/** The client's arguments are invalid; raised before any API call. */
export class BadUserInputError extends GatewayError {
  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super('BAD_USER_INPUT', message);
  }

  override extensions(): Record<string, unknown> {
    return this.argument === undefined
      ? super.extensions()
      : { ...super.extensions(), argument: this.argument };
  }
}

/** No access token was given; raised before any API call. */
export class MissingTokenError extends GatewayError {
  constructor() {
    super(
      'UNAUTHENTICATED',
      'No Data API access token: send "Authorization: Bearer <token>" or configure DATA_API_TOKEN.',
    );
  }
}
