import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface WireCounter {
  /** `target` with this counter's origin: a client pointed here goes through it. */
  readonly url: string;
  /** Bytes the server sent to clients so far: bodies, headers, every response. */
  readonly bytesToClient: () => number;
  /** HTTP request lines clients sent so far (`GET /path HTTP/1.1`), in order. */
  readonly requestLines: () => string[];
  reset(): void;
  /** Resolves once nothing crossed for `quietMs` (the browser's own "network idle" misses workers). */
  quiet(quietMs?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of an HTTP server that counts what crosses it: what a
 * browser really received, worker scripts and cache revalidations included,
 * with nothing the browser reports about itself.
 */
export async function startWireCounter(target: string): Promise<WireCounter> {
  const upstream = new URL(target);
  let toClient = 0;
  let lines: string[] = [];
  let lastActivity = Date.now();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const origin = connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(origin);
    client.on('data', (chunk: Buffer) => {
      lastActivity = Date.now();
      // Request lines only: a body that happens to look like one is not a request here.
      for (const match of chunk.toString('latin1').matchAll(/^[A-Z]+ \/\S* HTTP\/1\.1$/gm)) {
        lines.push(match[0]);
      }
    });
    origin.on('data', (chunk: Buffer) => {
      lastActivity = Date.now();
      toClient += chunk.byteLength;
    });
    client.pipe(origin).pipe(client);
    const end = () => {
      client.destroy();
      origin.destroy();
      sockets.delete(client);
      sockets.delete(origin);
    };
    client.on('error', end).on('close', end);
    origin.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}${upstream.pathname}`,
    bytesToClient: () => toClient,
    requestLines: () => [...lines],
    reset() {
      toClient = 0;
      lines = [];
    },
    async quiet(quietMs = 1000, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() - lastActivity < quietMs) {
        if (Date.now() > deadline)
          throw new Error(`traffic did not stop within ${String(timeoutMs)} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
