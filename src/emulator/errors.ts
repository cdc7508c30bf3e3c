/** Errors the emulated Data API replies with, and how they are put on the wire. */
import type { Mnemonic } from '../api/errors.js';
import { API_ERRORS } from '../api/errors.js';
import type { ApiErrorObject, RateLimits } from '../api/wire.js';

export type { Mnemonic } from '../api/errors.js';

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
    super(details.message ?? API_ERRORS[mnemonic].message);
    this.name = 'EmulatorError';
    this.code = API_ERRORS[mnemonic].rpcCode;
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
