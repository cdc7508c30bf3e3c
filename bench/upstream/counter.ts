/**
 * Counts every HTTP response this process serves and the bytes it wrote for
 * them, without touching the servers: Node publishes each finished response
 * on a diagnostics channel. The emulator is used unchanged this way, and the
 * static upstream is counted by the same rule.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import { Socket } from 'node:net';

export interface Traffic {
  responses: number;
  /** Socket bytes, HTTP headers included: what the link to the API carries. */
  bytes: number;
}

/**
 * Counts the responses of `only` (the static upstream, whose private emulator
 * must not be counted), or of every server in the process when omitted.
 */
export function countResponses(only?: Server): Readonly<Traffic> {
  const traffic: Traffic = { responses: 0, bytes: 0 };
  // Keep-alive sockets serve many responses; each one is the growth since the last.
  const seen = new WeakMap<Socket, number>();
  subscribe('http.server.response.finish', (message) => {
    if (typeof message !== 'object' || message === null) return;
    if (only !== undefined && 'server' in message && message.server !== only) return;
    const sock = 'socket' in message ? message.socket : undefined;
    if (!(sock instanceof Socket)) return;
    const written = sock.bytesWritten;
    traffic.responses += 1;
    traffic.bytes += written - (seen.get(sock) ?? 0);
    seen.set(sock, written);
  });
  return traffic;
}
