import { BadUserInputError } from '../../src/api/errors.js';

export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly extensions: Record<string, unknown>;
}

/** Runs `action` and returns the BadUserInputError it throws, as a plain object. */
export function refusal(action: () => unknown): Refusal {
  try {
    action();
  } catch (error) {
    if (error instanceof BadUserInputError) {
      return { code: error.code, message: error.message, extensions: error.extensions() };
    }
    throw error;
  }
  throw new Error('Expected a BadUserInputError; nothing was thrown.');
}
