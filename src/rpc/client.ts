import http from 'node:http';
import https from 'node:https';
import type { Got } from 'got';
import got, { RequestError, TimeoutError } from 'got';
import type { ApiErrorObject, GetParams, GetResult } from '../api/wire.js';
import { ProtocolError, RpcError, TransportError } from './errors.js';

export interface RpcClientOptions {
  /** Full endpoint, e.g. `https://dataapi.uiscom.ru/v2.0`. */
  readonly url: string;
  readonly timeoutMs: number;
  /** Called once per call with what happened; never given params (they hold the token). */
  readonly onCall?: (event: RpcCallEvent) => void;
}

export interface RpcCallEvent {
  readonly method: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'rpc_error' | 'transport_error' | 'protocol_error';
  readonly rows?: number;
  readonly mnemonic?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorObject(value: unknown): value is ApiErrorObject {
  return isObject(value) && typeof value.code === 'number' && typeof value.message === 'string';
}

/**
 * JSON-RPC 2.0 client for the Data API: one HTTP POST per call (the API refuses
 * batches), typed errors, keep-alive connections.
 */
export class RpcClient {
  private readonly http: Got;
  private nextId = 1;

  constructor(private readonly options: RpcClientOptions) {
    this.http = got.extend({
      timeout: { request: options.timeoutMs },
      // POST is not retried by got's default; this client adds none either.
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
      agent: {
        http: new http.Agent({ keepAlive: true }),
        https: new https.Agent({ keepAlive: true }),
      },
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
  }

  /** Calls a method and returns its `result` member. */
  async call(method: string, params: Json): Promise<Json> {
    const started = performance.now();
    const report = (outcome: RpcCallEvent['outcome'], extra?: Partial<RpcCallEvent>): void => {
      this.options.onCall?.({
        method,
        durationMs: performance.now() - started,
        outcome,
        ...extra,
      });
    };
    try {
      const result = await this.send(method, params);
      report('ok', Array.isArray(result.data) ? { rows: result.data.length } : undefined);
      return result;
    } catch (error) {
      if (error instanceof RpcError) {
        report('rpc_error', error.mnemonic === undefined ? {} : { mnemonic: error.mnemonic });
      } else if (error instanceof TransportError) report('transport_error');
      else report('protocol_error');
      throw error;
    }
  }

  /** Calls a `get.*` method and checks the reply has `data` and `metadata`. */
  async get(method: string, params: GetParams & { access_token: string }): Promise<GetResult> {
    const result = await this.call(method, params as unknown as Json);
    const { data, metadata } = result;
    if (!Array.isArray(data) || !isObject(metadata) || !data.every(isObject)) {
      throw new ProtocolError(method, 'result lacks a data array or metadata object');
    }
    // The API's own schema for metadata is trusted past this shape check.
    return { data, metadata: metadata };
  }

  private async send(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    let response;
    try {
      response = await this.http.post(this.options.url, { body });
    } catch (error) {
      throw toTransportError(method, error);
    }
    if (response.statusCode >= 500) {
      throw new TransportError(method, 'http_status', `HTTP ${response.statusCode}`);
    }
    let reply: unknown;
    try {
      reply = JSON.parse(response.body);
    } catch (error) {
      throw new ProtocolError(method, `body is not JSON (HTTP ${response.statusCode})`, {
        cause: error,
      });
    }
    if (!isObject(reply) || reply.jsonrpc !== '2.0' || reply.id !== id) {
      throw new ProtocolError(method, 'not a JSON-RPC 2.0 reply to this call');
    }
    if (reply.error !== undefined) {
      if (!isErrorObject(reply.error)) throw new ProtocolError(method, 'malformed error object');
      throw new RpcError(method, reply.error);
    }
    if (!isObject(reply.result)) throw new ProtocolError(method, 'reply has no result object');
    return reply.result;
  }
}

function toTransportError(method: string, error: unknown): TransportError {
  if (error instanceof TimeoutError) {
    return new TransportError(method, 'timeout', 'timed out', { cause: error });
  }
  const detail = error instanceof RequestError ? error.code : 'request failed';
  return new TransportError(method, 'connection', detail, { cause: error });
}
