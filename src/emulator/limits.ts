/**
 * Per-token points per day and per minute. Windows are fixed and aligned to the
 * clock (UTC minute, UTC day), so `*_reset` is the whole seconds left in the
 * current window. Only successful calls are charged.
 */
import type { RateLimits } from '../api/wire.js';
import { EmulatorError } from './errors.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface LimitOptions {
  readonly dayLimit: number;
  readonly minuteLimit: number;
  readonly now: () => number;
}

interface Usage {
  dayWindow: number;
  dayUsed: number;
  minuteWindow: number;
  minuteUsed: number;
}

export class RateLimiter {
  private readonly usage = new Map<string, Usage>();

  constructor(private readonly options: LimitOptions) {}

  /** The token's limits as of now, without charging. */
  snapshot(token: string): RateLimits {
    const now = this.options.now();
    const usage = this.current(token, now);
    return {
      day_limit: this.options.dayLimit,
      day_remaining: Math.max(0, this.options.dayLimit - usage.dayUsed),
      day_reset: secondsLeft(now, DAY_MS),
      minute_limit: this.options.minuteLimit,
      minute_remaining: Math.max(0, this.options.minuteLimit - usage.minuteUsed),
      minute_reset: secondsLeft(now, MINUTE_MS),
    };
  }

  /** Throws `limit_exceeded` (carrying the limits) when no point is left. */
  check(token: string): void {
    const limits = this.snapshot(token);
    if (limits.day_remaining > 0 && limits.minute_remaining > 0) return;
    const error = new EmulatorError('limit_exceeded', {
      params: { limit_type: limits.day_remaining === 0 ? 'day' : 'minute' },
    });
    error.limits = limits;
    throw error;
  }

  charge(token: string): void {
    const usage = this.current(token, this.options.now());
    usage.dayUsed += 1;
    usage.minuteUsed += 1;
  }

  private current(token: string, now: number): Usage {
    const dayWindow = Math.floor(now / DAY_MS);
    const minuteWindow = Math.floor(now / MINUTE_MS);
    let usage = this.usage.get(token);
    if (usage === undefined) {
      usage = { dayWindow, dayUsed: 0, minuteWindow, minuteUsed: 0 };
      this.usage.set(token, usage);
    }
    if (usage.dayWindow !== dayWindow) {
      usage.dayWindow = dayWindow;
      usage.dayUsed = 0;
    }
    if (usage.minuteWindow !== minuteWindow) {
      usage.minuteWindow = minuteWindow;
      usage.minuteUsed = 0;
    }
    return usage;
  }
}

function secondsLeft(now: number, windowMs: number): number {
  return Math.ceil((windowMs - (now % windowMs)) / 1000);
}
