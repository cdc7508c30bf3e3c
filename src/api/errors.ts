/**
 * Typed gateway errors. Each carries a stable `code` that becomes the GraphQL
 * error's `extensions.code`; server.ts maps them, every other error is masked.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
