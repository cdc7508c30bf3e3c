import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../../src/emulator/errors.js';
import { FaultSwitch } from '../../../src/emulator/faults.js';
import { RateLimiter } from '../../../src/emulator/limits.js';

describe('rate limiter windows', () => {
  it('resets the day at UTC midnight and reports whole seconds left', () => {
    let now = Date.UTC(2025, 0, 15, 23, 59, 58, 500);
    const limiter = new RateLimiter({ dayLimit: 1, minuteLimit: 5, now: () => now });
    limiter.charge('t');
    expect(limiter.snapshot('t')).toMatchObject({
      day_remaining: 0,
      day_reset: 2,
      minute_reset: 2,
    });
    expect(() => {
      limiter.check('t');
    }).toThrow(EmulatorError);
    try {
      limiter.check('t');
    } catch (error) {
      expect(error).toMatchObject({ mnemonic: 'limit_exceeded', code: -32029 });
      expect((error as EmulatorError).limits?.day_remaining).toBe(0);
    }
    now += 1500;
    expect(limiter.snapshot('t')).toMatchObject({ day_remaining: 1, day_reset: 86_400 });
    expect(() => {
      limiter.check('t');
    }).not.toThrow();
  });
});

describe('fault switch', () => {
  it('counts only matching requests and clears after `times`', () => {
    const faults = new FaultSwitch();
    faults.set({ kind: 'drop', times: 1, methods: ['get.a'] });
    expect(faults.take('get.b')).toBeNull();
    expect(faults.take(undefined)).toBeNull();
    expect(faults.take('get.a')?.kind).toBe('drop');
    expect(faults.take('get.a')).toBeNull();
  });

  it('lasts until cleared without `times`, and refuses a bad count', () => {
    const faults = new FaultSwitch();
    faults.set({ kind: 'notJsonRpc' });
    expect([faults.take('x'), faults.take(undefined)].map((f) => f?.kind)).toEqual([
      'notJsonRpc',
      'notJsonRpc',
    ]);
    faults.set(null);
    expect(faults.take('x')).toBeNull();
    expect(() => {
      faults.set({ kind: 'drop', times: 0 });
    }).toThrow(RangeError);
  });
});
