/**
 * Graceful shutdown. On SIGTERM or SIGINT the gateway stops accepting
 * connections, lets the requests in flight finish (up to a grace period), then
 * releases what it started (the embedded emulator) and exits:
 *
 * - 0 when every request in flight was answered;
 * - 1 when the grace period ran out and requests were cut off, a second signal
 *   forced the stop, or releasing failed — an orchestrator should see that
 *   clients lost answers.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Counts the server's open responses so a shutdown knows when it may close. */
export class Drainer {
  private readonly open = new Set<ServerResponse>();
  private draining = false;
  private cutOff: (() => void) | undefined;

  constructor(
    private readonly server: Server,
    handle: RequestHandler,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // A request can still arrive on a connection that was busy when the
      // drain began (pipelined or racing the signal): answer it, but tell the
      // client not to reuse the connection.
      if (this.draining) res.setHeader('connection', 'close');
      this.open.add(res);
      // `close` fires once the response is sent or the client went away.
      res.once('close', () => {
        this.open.delete(res);
        // Connections whose answer is out go idle; close them now, not after
        // `keepAliveTimeout`, or they would hold `server.close()` up.
        if (this.draining) this.server.closeIdleConnections();
      });
      handle(req, res);
    });
  }

  /** Responses not yet sent. */
  get inFlight(): number {
    return this.open.size;
  }

  /**
   * Stops accepting connections and waits for the responses in flight, at
   * most `graceMs`; then closes every remaining connection. Resolves to the
   * number of requests that were cut off.
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
        resolve(cut);
      };
      const cutOff = () => {
        const cut = this.open.size;
        this.server.closeAllConnections();
        finish(cut);
      };
      this.cutOff = cutOff;
      const timer = setTimeout(cutOff, graceMs);
      // The callback runs once every connection has ended; before that, idle
      // keep-alive connections are closed here and busy ones as they go idle.
      this.server.close(() => {
        finish(0);
      });
      this.server.closeIdleConnections();
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
