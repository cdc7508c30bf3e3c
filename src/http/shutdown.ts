/**
 * Graceful shutdown. On SIGTERM or SIGINT the gateway stops accepting
 * connections, answers the requests in flight and those still arriving on open
 * connections (up to a grace period), closes each connection once idle, then
 * releases what it started (the embedded emulator) and exits:
 *
 * - 0 when every request in flight was answered;
 * - 1 when the grace period ran out and requests were cut off, a second signal
 *   forced the stop, or releasing failed — an orchestrator should see that
 *   clients lost answers.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Server as NetServer } from 'node:net';
import type { Logger } from '../observability/logger.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * How long a keep-alive connection must have been idle before a drain closes
 * it. A connection that is idle on the server may carry a request the client
 * has just sent: closing it then resets that request (the client sees
 * ECONNRESET for a request that reached us). A client sending back to back
 * follows an answer with its next request within milliseconds; one idle this
 * long is not about to send, and is closed (the race no HTTP/1.1 server can
 * rule out, as with any keep-alive timeout).
 */
export const DRAIN_IDLE_MS = 1_000;

/** Per connection: responses not yet sent, and since when it has had none. */
interface ConnectionState {
  busy: number;
  idleSince: number;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Counts the server's open responses and connections so a shutdown answers
 * every request that reached it: in flight, or arriving on an open connection
 * while draining (with `Connection: close`), and closes a connection only
 * once it is idle.
 */
export class Drainer {
  private readonly open = new Set<ServerResponse>();
  private readonly connections = new Map<Socket, ConnectionState>();
  private draining = false;
  private cutOff: (() => void) | undefined;

  constructor(
    private readonly server: Server,
    handle: RequestHandler,
  ) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, { busy: 0, idleSince: performance.now() });
      socket.once('close', () => {
        clearTimeout(this.connections.get(socket)?.timer);
        this.connections.delete(socket);
      });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // A request can still arrive on a connection that was open when the
      // drain began: answer it, but tell the client not to reuse the
      // connection (Node then closes it once the answer is out).
      if (this.draining) res.setHeader('connection', 'close');
      this.open.add(res);
      const socket = req.socket;
      const state = this.connections.get(socket);
      if (state) state.busy += 1;
      // `close` fires once the response is sent or the client went away.
      res.once('close', () => {
        this.open.delete(res);
        if (!state) return;
        state.busy -= 1;
        state.idleSince = performance.now();
        if (this.draining) this.closeWhenIdle(socket);
      });
      handle(req, res);
    });
  }

  /** Responses not yet sent. */
  get inFlight(): number {
    return this.open.size;
  }

  /**
   * Closes the connection once it has been idle for DRAIN_IDLE_MS; a request
   * arriving before then is answered (with `Connection: close`) instead.
   */
  private closeWhenIdle(socket: Socket): void {
    const state = this.connections.get(socket);
    if (!state || state.busy > 0) return;
    clearTimeout(state.timer);
    const idleFor = performance.now() - state.idleSince;
    if (idleFor >= DRAIN_IDLE_MS) {
      socket.destroy();
      return;
    }
    state.timer = setTimeout(() => {
      this.closeWhenIdle(socket);
    }, DRAIN_IDLE_MS - idleFor);
  }

  /**
   * Stops accepting connections and waits for the responses in flight and
   * the connections open, at most `graceMs`; then closes every remaining
   * connection. Resolves to the number of requests that were cut off.
   */
  drain(graceMs: number): Promise<number> {
    this.draining = true;
    for (const res of this.open) {
      // Node ends the connection after a response carrying `Connection: close`,
      // so the client does not send another request on a closing socket.
      if (!res.headersSent) res.setHeader('connection', 'close');
    }
    return new Promise<number>((resolve) => {
      let settled = false;
      const finish = (cut: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const state of this.connections.values()) clearTimeout(state.timer);
        resolve(cut);
      };
      const cutOff = () => {
        const cut = this.open.size;
        this.server.closeAllConnections();
        finish(cut);
      };
      this.cutOff = cutOff;
      const timer = setTimeout(cutOff, graceMs);
      // The listening socket only: `http.Server#close` would also close every
      // connection idle at this instant, resetting requests on their way in.
      // The callback runs once every connection has ended.
      NetServer.prototype.close.call(this.server, () => {
        finish(0);
      });
      for (const socket of this.connections.keys()) this.closeWhenIdle(socket);
    });
  }

  /** Ends a drain in progress at once, cutting off what is still in flight. */
  forceClose(): void {
    this.cutOff?.();
  }
}

export interface ShutdownOptions {
  readonly drainer: Drainer;
  readonly graceMs: number;
  readonly logger: Logger;
  /** Runs once the server is closed, e.g. stops the embedded emulator. */
  readonly release: () => Promise<void>;
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/** Installs the SIGTERM/SIGINT handlers; a second signal forces the stop. */
export function shutdownOnSignals(options: ShutdownOptions): void {
  const { drainer, graceMs, logger, release } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      logger.warn({ signal, inFlight: drainer.inFlight }, 'second signal: stopping now');
      drainer.forceClose();
      return;
    }
    started = true;
    void stop(signal);
  };

  const stop = async (signal: NodeJS.Signals) => {
    const inFlight = drainer.inFlight;
    const draining = drainer.drain(graceMs);
    // Logged after `drain` closed the listening socket: from here on new
    // connections are refused.
    logger.info({ signal, inFlight, graceMs }, 'shutting down: no new connections');
    const cut = await draining;
    let code = 0;
    if (cut > 0) {
      logger.warn({ cutOff: cut, graceMs }, 'requests still in flight were cut off');
      code = 1;
    }
    try {
      await release();
    } catch (error: unknown) {
      logger.error({ err: error }, 'releasing resources failed');
      code = 1;
    }
    logger.info({ exitCode: code }, 'stopped');
    exit(code);
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.on(signal, onSignal);
  }
}
