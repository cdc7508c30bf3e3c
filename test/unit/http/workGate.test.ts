import { describe, expect, it, vi } from 'vitest';
import type { Refusal, Ticket } from '../../../src/http/workGate.js';
import { WorkGate, isTicket } from '../../../src/http/workGate.js';

const bounds = { maxRequests: 10, maxRows: 1000, smallRows: 10, queueMs: 1000 };

function ticket(admission: Ticket | Refusal | Promise<Ticket | Refusal>): Ticket {
  if (admission instanceof Promise || !isTicket(admission)) {
    throw new Error(
      `expected a ticket now, got ${admission instanceof Promise ? 'a promise' : admission}`,
    );
  }
  return admission;
}

describe('WorkGate', () => {
  it('admits small work up to the request bound, whatever big work holds', () => {
    const gate = new WorkGate({ ...bounds, maxRequests: 4, queueMs: 0 });
    ticket(gate.admit(1000));
    expect(gate.admit(500)).toBe('rows');
    const small = [ticket(gate.admit(10)), ticket(gate.admit(0)), ticket(gate.admit(5))];
    expect(gate.admit(1)).toBe('requests');
    small[0]?.release();
    ticket(gate.admit(1));
  });

  it('runs one big operation alone whatever its rows, and sheds the next when it cannot wait', () => {
    const gate = new WorkGate({ ...bounds, queueMs: 0 });
    const huge = ticket(gate.admit(50_000));
    expect(gate.rowsInFlight).toBe(50_000);
    expect(gate.admit(11)).toBe('rows');
    huge.release();
    huge.release(); // idempotent
    expect(gate.inFlight).toBe(0);
    expect(gate.rowsInFlight).toBe(0);
    ticket(gate.admit(600));
    ticket(gate.admit(400));
    expect(gate.admit(11)).toBe('rows');
  });

  it('lets big operations wait in turn and starts them as rows come back', async () => {
    vi.useFakeTimers();
    try {
      const gate = new WorkGate(bounds);
      const first = ticket(gate.admit(800));
      const second = gate.admit(300);
      const third = gate.admit(100);
      expect(second).toBeInstanceOf(Promise);
      // First come, first served: the third waits behind the second though it would fit.
      expect(third).toBeInstanceOf(Promise);
      expect(gate.queued).toBe(2);
      expect(gate.inFlight).toBe(3);
      first.release();
      const [two, three] = (await Promise.all([second, third])).map(ticket);
      expect(gate.rowsInFlight).toBe(400);
      // A waiter past queueMs is shed.
      const late = gate.admit(950);
      two?.release();
      expect(gate.queued).toBe(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await late).toBe('rows');
      expect(gate.queued).toBe(0);
      three?.release();
      expect(gate.inFlight).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a waiter whose client leaves, and never admits one already gone', async () => {
    const gate = new WorkGate(bounds);
    const running = ticket(gate.admit(1000));
    const leaving = new AbortController();
    const waiting = gate.admit(500, leaving.signal);
    const next = gate.admit(500);
    leaving.abort();
    expect(await waiting).toBe('gone');
    expect(gate.queued).toBe(1);
    running.release();
    expect(isTicket(await next)).toBe(true);
    expect(gate.admit(1, AbortSignal.abort())).toBe('gone');
  });

  it('keeps half of the request slots out of the queue', () => {
    const gate = new WorkGate({ ...bounds, maxRequests: 4 });
    ticket(gate.admit(1000));
    const waiting = [gate.admit(1000), gate.admit(1000)];
    expect(waiting.every((admission) => admission instanceof Promise)).toBe(true);
    expect(gate.admit(1000)).toBe('rows');
    ticket(gate.admit(1));
  });
});
