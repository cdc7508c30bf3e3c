/**
 * Messages between the bench and the processes it forks (upstreams, proxy).
 * IPC rather than HTTP control endpoints, so the measured ports carry only
 * the measured traffic.
 */

/** Child → bench, once, when it listens. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly url: string;
}

/** Bench → upstream child: "how much have you answered so far?". */
export interface StatsRequest {
  readonly type: 'stats';
}

/** Upstream child → bench: cumulative counts since it started. */
export interface StatsMessage {
  readonly type: 'stats';
  /** HTTP responses sent (one per JSON-RPC call: the API refuses batches). */
  readonly responses: number;
  /** Bytes written on the sockets for those responses, headers included. */
  readonly bytes: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return isObject(value) && value.type === 'ready' && typeof value.url === 'string';
}

export function isStatsRequest(value: unknown): value is StatsRequest {
  return isObject(value) && value.type === 'stats' && !('responses' in value);
}

export function isStatsMessage(value: unknown): value is StatsMessage {
  return (
    isObject(value) &&
    value.type === 'stats' &&
    typeof value.responses === 'number' &&
    typeof value.bytes === 'number'
  );
}

/** Sends over the IPC channel; a child started without one is a programming error. */
export function sendToParent(message: ReadyMessage | StatsMessage): void {
  if (!process.send) throw new Error('this module must run as a forked child (no IPC channel)');
  process.send(message);
}
