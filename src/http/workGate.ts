/**
 * A bound on the work in flight, so load beyond what the process can serve is
 * refused early and cheaply instead of queueing in the event loop, where every
 * request, small or big, waits behind it.
 *
 * Work is weighed in rows (the rows its planned API calls may return; see
 * plan/operationPlan.ts). Two budgets, so a small query is never starved by big ones:
 *
 * - every operation takes one of `maxRequests` slots (running, or waiting for
 *   rows), and is refused when none is free;
 * - a big operation (over `smallRows`) also takes its rows from `maxRows`;
 *   when they are not free it waits, first come first served, up to
 *   `queueMs`, then is refused. At most half of the slots wait, so small
 *   operations always find room. One big operation alone always runs, however
 *   many rows it asks for.
 *
 * Small operations never wait for rows. A waiting operation whose client
 * leaves gives its place up at once.
 */

/** Why an operation was not admitted: the bound that was reached, or its client left. */
export type Refusal = 'requests' | 'rows' | 'gone';

/** Admitted work: `release` (idempotent) gives its slot and rows back. */
export interface Ticket {
  readonly release: () => void;
}

export interface WorkBounds {
  /** Operations admitted at once, running or waiting for rows. */
  readonly maxRequests: number;
  /** Rows of big operations running at once. */
  readonly maxRows: number;
  /** An operation of at most this many rows is small: it never waits for rows. */
  readonly smallRows: number;
  /** How long a big operation may wait for rows; 0: refused at once. */
  readonly queueMs: number;
}

interface Waiter {
  readonly rows: number;
  readonly admit: (admission: Ticket | Refusal) => void;
}

export const isTicket = (admission: Ticket | Refusal): admission is Ticket =>
  typeof admission === 'object';

export class WorkGate {
  private requests = 0;
  private rows = 0;
  /** Big operations running (not waiting). */
  private big = 0;
  private readonly waiting: Waiter[] = [];
  private readonly maxWaiting: number;

  constructor(private readonly bounds: WorkBounds) {
    this.maxWaiting = Math.max(1, Math.floor(bounds.maxRequests / 2));
  }

  /** Operations admitted (running or waiting). */
  get inFlight(): number {
    return this.requests;
  }

  /** Rows of the big operations running. */
  get rowsInFlight(): number {
    return this.rows;
  }

  /** Big operations waiting for rows. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether an operation of `rows` rows is small: it never waits for rows. */
  isSmall(rows: number): boolean {
    return rows <= this.bounds.smallRows;
  }

  /**
   * Admits an operation of `rows` rows: a ticket at once, a refusal at once,
   * or (a big one, when its rows are taken) a promise of either. `signal`:
   * the client's; when it fires, a waiting operation leaves the queue.
   */
  admit(rows: number, signal?: AbortSignal): Ticket | Refusal | Promise<Ticket | Refusal> {
    if (signal?.aborted) return 'gone';
    if (this.requests >= this.bounds.maxRequests) return 'requests';
    if (this.isSmall(rows)) {
      this.requests += 1;
      return this.ticket(0);
    }
    if (this.waiting.length === 0 && this.fits(rows)) {
      this.requests += 1;
      return this.start(rows);
    }
    if (this.bounds.queueMs === 0 || this.waiting.length >= this.maxWaiting) return 'rows';
    this.requests += 1;
    return this.wait(rows, signal);
  }

  private fits(rows: number): boolean {
    return this.big === 0 || this.rows + rows <= this.bounds.maxRows;
  }

  private start(rows: number): Ticket {
    this.big += 1;
    this.rows += rows;
    return this.ticket(rows);
  }

  private ticket(rows: number): Ticket {
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.requests -= 1;
        if (rows > this.bounds.smallRows) {
          this.big -= 1;
          this.rows -= rows;
          this.startWaiting();
        }
      },
    };
  }

  private wait(rows: number, signal: AbortSignal | undefined): Promise<Ticket | Refusal> {
    return new Promise<Ticket | Refusal>((resolve) => {
      const leave = (refusal: Refusal) => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.requests -= 1;
        done(refusal);
        // The head may have been the one that did not fit.
        if (at === 0) this.startWaiting();
      };
      const onAbort = () => {
        leave('gone');
      };
      const timer = setTimeout(() => {
        leave('rows');
      }, this.bounds.queueMs);
      const done = (admission: Ticket | Refusal) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(admission);
      };
      const waiter: Waiter = { rows, admit: done };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Starts waiting operations, in order, while their rows fit. */
  private startWaiting(): void {
    for (let next = this.waiting[0]; next && this.fits(next.rows); next = this.waiting[0]) {
      this.waiting.shift();
      next.admit(this.start(next.rows));
    }
  }
}
