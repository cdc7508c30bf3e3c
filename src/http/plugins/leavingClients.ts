/**
 * A client that disconnects stops its request's work. Its signal
 * (http/clientGone.ts) fires as soon as the gateway reads that it left; then:
 *
 * - its API calls are left, and cancelled unless another request shares them
 *   (ApiSession, SharedCalls), and no call starts after it;
 * - execution stops: the executors get the signal as `signal` (Yoga's
 *   executor checks it between fields, the fast executor between chunks of
 *   rows), and the work gate drops the request if it is waiting;
 * - its result, if one is still produced, is not serialised: an empty 499
 *   goes nowhere instead.
 *
 * Both are counted: requests aborted by their client, and answers dropped.
 */
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { clientSignal } from '../clientGone.js';

export interface LeavingClientsMetrics {
  /** A request's client went away before its answer was sent. */
  readonly onAborted: () => void;
  /** A result was not serialised because its client had gone. */
  readonly onDropped: () => void;
}

/** nginx's status for a request whose client closed the connection; no client ever sees it. */
export const CLIENT_CLOSED_REQUEST = 499;

export function useLeavingClients(metrics: LeavingClientsMetrics): Plugin {
  const counted = (): void => {
    metrics.onAborted();
  };
  return {
    onRequest({ request, serverContext }) {
      const { res } = serverContext as { res?: ServerResponse };
      const signal = clientSignal(request, res);
      // A client gone before its request is seen: its signal is born aborted and fires no event.
      if (signal.aborted) counted();
      else signal.addEventListener('abort', counted, { once: true });
    },
    onExecute({ args }) {
      const { request } = args.contextValue as { request?: Request };
      // As Yoga's useExecutionCancellation, with the signal that fires first.
      if (request) (args as { signal?: AbortSignal }).signal = clientSignal(request);
    },
    onResultProcess(payload) {
      if (!clientSignal(payload.request).aborted) return;
      metrics.onDropped();
      payload.setResultProcessor(
        (_result, fetchAPI) => new fetchAPI.Response(null, { status: CLIENT_CLOSED_REQUEST }),
        'application/json',
      );
    },
  };
}
