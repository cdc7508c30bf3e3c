import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { HttpTimeouts } from '../config/config.js';

/**
 * The Node HTTP server with the client timeouts applied. Node checks them
 * every `connectionsCheckingInterval` (30 s by default, so a 10 s limit would
 * let a client trickle for 40 s); here at least once a second.
 */
export function createHttpServer(timeouts: HttpTimeouts): Server {
  return createServer({
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs),
  });
}
