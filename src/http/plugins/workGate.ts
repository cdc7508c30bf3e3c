/**
 * Admits each operation through the work gate (http/workGate.ts) once its
 * document and variables are known, weighed by `weigh`; refuses it with 503
 * SERVICE_OVERLOADED and `Retry-After` when a bound is reached. The slot and
 * rows are given back when the answer has been built (Yoga's onResponse), or
 * when the connection closes, whichever comes first.
 */
import type { ServerResponse } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Refusal, Ticket, WorkGate } from '../workGate.js';
import { isTicket } from '../workGate.js';
import { refusal } from '../refuse.js';
import { clientSignal } from '../clientGone.js';

/** Seconds a shed client is told to wait: work in flight turns over within about that. */
export const RETRY_AFTER_SECONDS = 1;

export interface WorkGateOptions {
  readonly gate: Pick<WorkGate, 'admit' | 'isSmall'>;
  /** Rows the operation's API calls may return (its plan's rows). */
  readonly weigh: (args: ExecutionArgs) => number;
  readonly onShed?: (bound: 'requests' | 'rows') => void;
}

/**
 * Resolves after the event loop's next poll for I/O: a request is read and
 * run up to its first API call in one go, and the FIN its client sent after
 * it is read at the next poll. Two turns of setImmediate put that poll in
 * between; a fraction of a millisecond on an idle loop.
 */
const afterPendingIo = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(() => {
      setImmediate(resolve);
    });
  });

/** What Yoga puts in the context besides ours: the fetch Request, and the node response. */
interface ServerContext {
  readonly request?: Request;
  readonly res?: ServerResponse;
}

export function useWorkGate({ gate, weigh, onShed }: WorkGateOptions): Plugin {
  const tickets = new WeakMap<Request, Ticket>();
  return {
    onExecute(payload) {
      const { args } = payload;
      const { request, res } = args.contextValue as ServerContext;
      const settle = (admission: Ticket | Refusal): void => {
        if (isTicket(admission)) {
          if (request) tickets.set(request, admission);
          // The backstop: a response that never reaches onResponse still closes.
          res?.once('close', admission.release);
          return;
        }
        if (admission === 'gone') {
          // Nothing to run and nobody to answer (the result is not serialised).
          payload.setResultAndStopExecution({ data: null });
          return;
        }
        onShed?.(admission);
        payload.setResultAndStopExecution({
          errors: [
            refusal(
              'SERVICE_OVERLOADED',
              `The gateway is at its bound of ${admission === 'rows' ? 'rows' : 'operations'} in flight; retry after ${RETRY_AFTER_SECONDS} s.`,
              { bound: admission === 'rows' ? 'WORK_MAX_ROWS' : 'WORK_MAX_REQUESTS' },
              { 'retry-after': String(RETRY_AFTER_SECONDS) },
            ),
          ],
        });
      };
      const rows = weigh(args);
      const signal = request && clientSignal(request, res);
      if (gate.isSmall(rows)) {
        const admission = gate.admit(rows, signal);
        if (admission instanceof Promise) return admission.then(settle);
        settle(admission);
        return undefined;
      }
      // Big work waits for the I/O already received: a client that left before
      // its request was read is then known to be gone, and costs no API call.
      return afterPendingIo()
        .then(() => gate.admit(rows, signal))
        .then(settle);
    },
    onResponse({ request }) {
      tickets.get(request)?.release();
    },
  };
}
