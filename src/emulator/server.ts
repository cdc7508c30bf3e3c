/**
 * The HTTP side: POST bodies in, JSON-RPC replies out, with call recording and
 * fault injection. Nothing a client sends may crash it: every failure becomes
 * an `internal_error` reply or, once headers are out, a closed connection.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorError } from './errors.js';
import type { Fault, FaultSwitch } from './faults.js';
import { HTTP_STATUS_TEXT } from './faults.js';
import { isRecord } from './json.js';
import type { MethodContext } from './methods.js';
import { errorReply, handleRpc, idOf } from './rpc.js';

/** Bodies above this are refused with 413 (the API's own cap is not published). */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = 'application/json; charset=UTF-8';

export interface RecordedCall {
  readonly method: string;
  /** Exactly as received, `access_token` included. */
  readonly params: Record<string, unknown>;
  /** Clock time (the `now` option) when the request was read. */
  readonly at: number;
}

export interface ServerState {
  readonly context: MethodContext;
  readonly faults: FaultSwitch;
  readonly calls: RecordedCall[];
  readonly now: () => number;
  /** Aborted on close, so `slow` faults do not outlive the server. */
  readonly signal: AbortSignal;
}

export function createEmulatorServer(state: ServerState): Server {
  return createServer((req, res) => {
    handle(state, req, res).catch(() => {
      fail(req, res);
    });
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
  contentType = JSON_TYPE,
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function fail(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || req.socket.destroyed) {
    req.socket.destroy();
    return;
  }
  send(res, 200, JSON.stringify(errorReply(null, new EmulatorError('internal_error'))));
}

type Body = Buffer | 'too_large';

/** Reads the whole body; past the cap it keeps draining so the 413 reaches the client. */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > MAX_BODY_BYTES ? 'too_large' : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function parseJson(body: Buffer): Parsed {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'POST') {
    const error = new EmulatorError('invalid_request', { message: 'Only POST is allowed' });
    send(res, 405, JSON.stringify(errorReply(null, error)), { Allow: 'POST' });
    return;
  }
  const body = await readBody(req);
  if (body === 'too_large') {
    const error = new EmulatorError('invalid_request', {
      message: 'Request body is too large',
      params: { max_bytes: MAX_BODY_BYTES },
    });
    send(res, 413, JSON.stringify(errorReply(null, error)), { Connection: 'close' });
    return;
  }
  const parsed = parseJson(body);
  const request = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  const method = typeof request?.method === 'string' ? request.method : undefined;
  if (request !== undefined) {
    const params = isRecord(request.params) ? request.params : {};
    state.calls.push({ method: method ?? '', params, at: state.now() });
  }
  const fault = state.faults.take(method);
  if (fault?.kind === 'slow') await sleep(fault.delayMs, undefined, { signal: state.signal });
  if (fault !== null && applyFault(fault, req, res, idOf(request))) return;

  const reply = parsed.ok
    ? handleRpc(state.context, parsed.value)
    : errorReply(null, new EmulatorError('parse_error'));
  const json = serialize(reply, idOf(request));
  if (fault?.kind === 'truncated') {
    sendTruncated(req, res, json);
    return;
  }
  send(res, 200, json);
}

/** An echoed `value` nested too deep for JSON.stringify degrades to `internal_error`. */
function serialize(reply: unknown, id: string | number | null): string {
  try {
    return JSON.stringify(reply);
  } catch {
    return JSON.stringify(errorReply(id, new EmulatorError('internal_error')));
  }
}

/** Answers for faults that replace the reply; false when the reply is still to be made. */
function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  id: string | number | null,
): boolean {
  switch (fault.kind) {
    case 'slow':
    case 'truncated':
      return false;
    case 'drop':
      req.socket.destroy();
      return true;
    case 'httpError': {
      const title = `${fault.status} ${HTTP_STATUS_TEXT[fault.status]}`;
      const html = `<html><body><h1>${title}</h1></body></html>`;
      send(res, fault.status, html, {}, 'text/html; charset=UTF-8');
      return true;
    }
    case 'httpTooManyRequests': {
      const headers = fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
      const html = '<html><body><h1>429 Too Many Requests</h1></body></html>';
      send(res, 429, html, headers, 'text/html; charset=UTF-8');
      return true;
    }
    case 'rpcError': {
      const details = fault.message === undefined ? {} : { message: fault.message };
      send(res, 200, JSON.stringify(errorReply(id, new EmulatorError(fault.mnemonic, details))));
      return true;
    }
    case 'notJsonRpc':
      send(res, 200, JSON.stringify({ hello: 'world' }));
      return true;
  }
}

/** Announces the full length, sends half, then closes: the client sees a premature end. */
function sendTruncated(req: IncomingMessage, res: ServerResponse, json: string): void {
  const bytes = Buffer.from(json, 'utf8');
  res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
    req.socket.destroy();
  });
}
