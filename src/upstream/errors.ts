import { GatewayError } from '../api/errors.js';

/** Where a row's value does not match the schema (a new enum value, a wrong type). */
export class UpstreamValueError extends GatewayError {
  constructor(
    readonly method: string,
    /** GraphQL type and field, e.g. `AvailableNumber.category`. */
    readonly graphqlField: string,
    /** The API's column, e.g. `category`. */
    readonly column: string,
    private readonly received: unknown,
  ) {
    super(
      'UPSTREAM_ERROR',
      `The Data API returned a value the schema does not allow for ${graphqlField} (${method}).`,
    );
  }

  /** The value's JSON type; a short string value too (enum values), never a long text. */
  override logFields(): Record<string, unknown> {
    const received = this.received;
    const type = received === null ? 'null' : Array.isArray(received) ? 'array' : typeof received;
    return {
      method: this.method,
      field: this.graphqlField,
      column: this.column,
      receivedType: type,
      ...(typeof received === 'string' && received.length <= 40 ? { received } : {}),
    };
  }
}
