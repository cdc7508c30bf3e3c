import type { ApiErrorObject, Metadata } from '../api/wire.js';
import type { ErrorCode } from '../errors.js';
import { GatewayError } from '../errors.js';

/** Mnemonics (the API's stable error ids) grouped by what the client should do about them. */
const CODE_BY_MNEMONIC: Readonly<Record<string, ErrorCode>> = {
  access_token_expired: 'UNAUTHENTICATED',
  access_token_blocked: 'UNAUTHENTICATED',
  access_token_invalid: 'UNAUTHENTICATED',
  auth_error: 'UNAUTHENTICATED',
  ip_not_whitelisted: 'FORBIDDEN',
  forbidden: 'FORBIDDEN',
  account_inactive: 'FORBIDDEN',
  method_component_disabled: 'FORBIDDEN',
  parameter_component_disabled: 'FORBIDDEN',
  limit_exceeded: 'RATE_LIMITED',
  invalid_parameter_value: 'BAD_USER_INPUT',
  filter_prohibited: 'BAD_USER_INPUT',
  sort_prohibited: 'BAD_USER_INPUT',
  required_parameter_missed: 'BAD_USER_INPUT',
  data_type_error: 'BAD_USER_INPUT',
  unexpected_parameters: 'BAD_USER_INPUT',
  invalid_parameters_combination: 'BAD_USER_INPUT',
  date_interval_limit_reached: 'BAD_USER_INPUT',
};

export function codeForMnemonic(mnemonic: string | undefined): ErrorCode {
  return (mnemonic !== undefined ? CODE_BY_MNEMONIC[mnemonic] : undefined) ?? 'UPSTREAM_ERROR';
}

/** Parameters whose echoed value is a credential and must never reach a client. */
const SECRET_FIELD = /access_token|password/i;

/** The API answered with a JSON-RPC error object. */
export class RpcError extends GatewayError {
  readonly rpcCode: number;
  readonly mnemonic: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly metadata: Metadata | undefined;

  constructor(
    readonly method: string,
    error: ApiErrorObject,
  ) {
    const mnemonic = error.data?.mnemonic;
    super(codeForMnemonic(mnemonic), `Data API error in ${method}: ${error.message}`);
    this.rpcCode = error.code;
    this.mnemonic = mnemonic;
    this.field = error.data?.field;
    this.value = error.data?.value;
    this.metadata = error.data?.metadata;
  }

  override extensions(): Record<string, unknown> {
    const upstream: Record<string, unknown> = { code: this.rpcCode, mnemonic: this.mnemonic };
    if (this.field !== undefined) upstream.field = this.field;
    if (this.value !== undefined && !SECRET_FIELD.test(this.field ?? '')) {
      upstream.value = this.value;
    }
    const extensions: Record<string, unknown> = { ...super.extensions(), upstream };
    const limits = this.metadata?.limits;
    if (this.code === 'RATE_LIMITED' && limits) {
      // Wait for whichever window ran out.
      extensions.retryAfter =
        limits.minute_remaining <= 0 || limits.day_remaining > 0
          ? limits.minute_reset
          : limits.day_reset;
    }
    return extensions;
  }
}

export type TransportFailure =
  'timeout' | 'deadline' | 'connection' | 'http_status' | 'circuit_open';

/** The API could not be reached or answered with an HTTP failure. */
export class TransportError extends GatewayError {
  constructor(
    readonly method: string,
    readonly failure: TransportFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super('UPSTREAM_UNAVAILABLE', `Data API unavailable (${method}): ${detail}`, options);
  }
}

/** The API answered, but not with a valid JSON-RPC reply. */
export class ProtocolError extends GatewayError {
  constructor(
    readonly method: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super('UPSTREAM_ERROR', `Invalid reply from the Data API (${method}): ${detail}`, options);
  }
}

export type CallOutcome = 'ok' | 'rpc_error' | 'transport_error' | 'protocol_error';

/** How a failed call ended, for logs and metrics. */
export function outcomeOf(error: unknown): Exclude<CallOutcome, 'ok'> {
  if (error instanceof RpcError) return 'rpc_error';
  if (error instanceof TransportError) return 'transport_error';
  return 'protocol_error';
}
