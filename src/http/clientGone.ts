/**
 * One signal per request that fires when its client has gone, read by
 * everything that stops work for a gone client: the API calls (ApiSession),
 * the work gate, the executors and the serialisation.
 *
 * @whatwg-node/server fires the fetch Request's own `signal` when the node
 * response closes, but Node closes it only some turns of the event loop after
 * the client's FIN was read; meanwhile the request, read in one go, has run
 * to its first API call. So on a node request this signal also fires on the
 * socket's `end` (the client will send nothing more: Node's server aborts the
 * request then too), as soon as it is read. Elsewhere (`gateway.fetch`), it is
 * the Request's signal.
 */
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';

const signals = new WeakMap<Request, AbortSignal>();

function gone(): DOMException {
  return new DOMException('The client went away.', 'AbortError');
}

/** The signal of `request`'s client leaving; `res`: its node response, when there is one. */
export function clientSignal(request: Request, res?: ServerResponse): AbortSignal {
  let signal = signals.get(request);
  if (signal) return signal;
  if (!res) {
    signal = request.signal;
  } else {
    const controller = new AbortController();
    signal = controller.signal;
    // One listener per API call waiting on it (up to MAX_API_CALLS_PER_REQUEST), not a leak.
    setMaxListeners(0, signal);
    // The request's socket: a pipelined response may not have its own yet.
    const socket = res.req.socket;
    const leave = () => {
      if (!res.writableFinished) controller.abort(gone());
    };
    const done = () => {
      socket.removeListener('end', leave);
      leave();
    };
    if (res.closed || socket.readableEnded || socket.destroyed) {
      controller.abort(gone());
    } else {
      socket.once('end', leave);
      res.once('close', done);
    }
  }
  signals.set(request, signal);
  return signal;
}
