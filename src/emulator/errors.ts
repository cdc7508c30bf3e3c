/** Errors the emulated Data API replies with, and how they are put on the wire. */
import type { ApiErrorObject, RateLimits } from '../api/wire.js';

/** Mnemonic → JSON-RPC code (data-api.md, "Errors"); the mnemonic is the stable identifier. */
export const ERROR_CODES = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  data_type_error: -32602,
  required_parameter_missed: -32602,
  invalid_parameter_value: -32602,
  unexpected_parameters: -32602,
  invalid_parameters_combination: -32602,
  sort_prohibited: -32602,
  filter_prohibited: -32602,
  date_interval_limit_reached: -32602,
  internal_error: -32603,
  error: -32603,
  access_token_expired: -32001,
  access_token_blocked: -32001,
  access_token_invalid: -32001,
  auth_error: -32001,
  ip_not_whitelisted: -32003,
  forbidden: -32003,
  method_component_disabled: -32008,
  parameter_component_disabled: -32008,
  account_inactive: -32009,
  limit_exceeded: -32029,
  batch_opreations_not_supported: -32099,
  notifications_not_supported: -32099,
} as const;

export type Mnemonic = keyof typeof ERROR_CODES;

const MESSAGES: Record<Mnemonic, string> = {
  parse_error: 'Parse error',
  invalid_request: 'Invalid request',
  method_not_found: 'Method not found',
  data_type_error: 'Invalid data type of parameter',
  required_parameter_missed: 'Required parameter is missed',
  invalid_parameter_value: 'Invalid value of parameter',
  unexpected_parameters: 'Unexpected parameters',
  invalid_parameters_combination: 'Invalid combination of parameters',
  sort_prohibited: 'Sort by parameter is prohibited',
  filter_prohibited: 'Filter by parameter is prohibited',
  date_interval_limit_reached: 'Date interval limit reached',
  internal_error: 'Internal error',
  error: 'Error',
  access_token_expired: 'Access token has expired',
  access_token_blocked: 'Access token is blocked',
  access_token_invalid: 'Access token is invalid',
  auth_error: 'Wrong login or password',
  ip_not_whitelisted: 'IP address is not whitelisted',
  forbidden: 'Forbidden',
  method_component_disabled: 'Component of the method is disabled',
  parameter_component_disabled: 'Component of the parameter is disabled',
  account_inactive: 'Account is inactive',
  limit_exceeded: 'Limit exceeded',
  batch_opreations_not_supported: 'Batch operations are not supported',
  notifications_not_supported: 'Notifications are not supported',
};

/** `.invalid` is a reserved TLD: the link is clearly the emulator's, not the real help. */
const HELP_BASE = 'https://dataapi.emulator.invalid/help/';

export interface ErrorDetails {
  readonly message?: string;
  readonly field?: string;
  /** Echo of what was sent; `undefined` leaves it out of the reply. */
  readonly value?: unknown;
  readonly params?: Readonly<Record<string, unknown>>;
}

export class EmulatorError extends Error {
  readonly code: number;
  readonly mnemonic: Mnemonic;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  /** Set once the caller's token is known, so the reply can carry its limits. */
  limits: RateLimits | undefined;

  constructor(mnemonic: Mnemonic, details: ErrorDetails = {}) {
    super(details.message ?? MESSAGES[mnemonic]);
    this.name = 'EmulatorError';
    this.code = ERROR_CODES[mnemonic];
    this.mnemonic = mnemonic;
    this.field = details.field;
    this.value = details.value;
    this.params = details.params ?? {};
  }

  toErrorObject(): ApiErrorObject {
    return {
      code: this.code,
      message: this.message,
      data: {
        mnemonic: this.mnemonic,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.value === undefined ? {} : { value: this.value }),
        params: this.params,
        extended_helper: HELP_BASE + this.mnemonic,
        ...(this.limits === undefined ? {} : { metadata: { limits: this.limits } }),
      },
    };
  }
}

/** Anything thrown that is not ours becomes `internal_error`, never a crash. */
export function toEmulatorError(error: unknown): EmulatorError {
  return error instanceof EmulatorError ? error : new EmulatorError('internal_error');
}
