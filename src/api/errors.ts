/**
 * The errors of both sides, declared once: the Data API's error table
 * (mnemonic → JSON-RPC code, the API's message, what it means to our client)
 * and the gateway's typed errors. Each gateway error carries a stable `code`
 * that becomes the GraphQL error's `extensions.code`; http/plugins/errors.ts
 * maps them, every other error is masked.
 */
export const GATEWAY_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

interface ApiErrorFact {
  /** JSON-RPC `error.code` (data-api.md, "Errors"); the mnemonic is the stable id. */
  readonly rpcCode: number;
  /** The API's own message for it (what the emulator sends). */
  readonly message: string;
  /** What the client should do about it, as our code; unlisted: UPSTREAM_ERROR. */
  readonly gatewayCode?: ErrorCode;
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
export function codeForMnemonic(mnemonic: string | undefined): ErrorCode {
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
