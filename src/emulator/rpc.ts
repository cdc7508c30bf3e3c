/** One parsed JSON-RPC request → its reply object (transport-free). */
import { EmulatorError, toEmulatorError } from './errors.js';
import { isRecord } from './json.js';
import { findMethod } from './methods.js';
import type { MethodContext, Params } from './methods.js';

export type RpcId = string | number | null;

interface Envelope {
  readonly method: string;
  readonly params: Params;
}

export function errorReply(id: RpcId, error: EmulatorError): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: error.toErrorObject() };
}

/** The id to answer with: the request's, when it has a usable one. */
export function idOf(body: unknown): RpcId {
  if (!isRecord(body)) return null;
  const { id } = body;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function readEnvelope(body: unknown): Envelope {
  if (Array.isArray(body)) throw new EmulatorError('batch_opreations_not_supported');
  if (!isRecord(body)) throw new EmulatorError('invalid_request', { value: body });
  if (!('id' in body)) throw new EmulatorError('notifications_not_supported');
  const { id, jsonrpc, method, params } = body;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new EmulatorError('invalid_request', { field: 'id', value: id });
  }
  if (jsonrpc !== '2.0')
    throw new EmulatorError('invalid_request', { field: 'jsonrpc', value: jsonrpc });
  if (typeof method !== 'string') {
    throw new EmulatorError('invalid_request', { field: 'method', value: method });
  }
  if (params === undefined) return { method, params: {} };
  if (!isRecord(params))
    throw new EmulatorError('invalid_request', { field: 'params', value: params });
  return { method, params };
}

export function handleRpc(context: MethodContext, body: unknown): Record<string, unknown> {
  const id = idOf(body);
  try {
    const { method, params } = readEnvelope(body);
    const handler = findMethod(method);
    if (handler === undefined) {
      throw new EmulatorError('method_not_found', { field: 'method', value: method });
    }
    return { jsonrpc: '2.0', id, result: handler(context, params) };
  } catch (error) {
    return errorReply(id, toEmulatorError(error));
  }
}
