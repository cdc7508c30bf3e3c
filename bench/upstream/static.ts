/**
 * The "static" upstream: answers each distinct call (method + params) with a
 * reply computed once by the emulator and then served from cached bytes, so a
 * benchmark against it measures the caller, not the emulator's filtering and
 * sorting. Only the JSON-RPC `id` is spliced in per request.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import stableStringify from 'fast-json-stable-stringify';
import { padPage } from './pad.js';

type Json = Record<string, unknown>;

/** Asks the real source (the emulator) once; returns its parsed reply. */
export type Source = (method: string, params: Json) => Promise<unknown>;

interface Cached {
  /** `result` or `error`: the emulator's reply member, kept as it answered. */
  readonly member: string;
  readonly json: Buffer;
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const CLOSE = Buffer.from('}');

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function toCached(method: string, params: Json, reply: unknown): Cached {
  if (isObject(reply) && isObject(reply.result)) {
    const result = padPage(method, params, reply.result);
    return { member: 'result', json: Buffer.from(JSON.stringify(result)) };
  }
  const error = isObject(reply) && 'error' in reply ? reply.error : { code: -32603 };
  return { member: 'error', json: Buffer.from(JSON.stringify(error)) };
}

function send(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(body.length) });
  res.end(body);
}

export function createStaticServer(source: Source): Server {
  // One promise per key: concurrent first requests share the single fill.
  const cache = new Map<string, Promise<Cached>>();

  const answer = async (body: string): Promise<Buffer> => {
    const request: unknown = JSON.parse(body);
    if (!isObject(request) || typeof request.method !== 'string') {
      throw new Error('not a JSON-RPC request');
    }
    const { method } = request;
    const params = isObject(request.params) ? request.params : {};
    const key = `${method} ${stableStringify(params)}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = source(method, params).then((reply) => toCached(method, params, reply));
      cache.set(key, entry);
    }
    const cached = await entry;
    const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null;
    const head = Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"${cached.member}":`);
    return Buffer.concat([head, cached.json, CLOSE]);
  };

  return createServer((req, res) => {
    readBody(req)
      .then(answer)
      .then(
        (reply) => {
          send(res, 200, reply);
        },
        (error: unknown) => {
          // A benchmark upstream that cannot answer must show up as an error, never hang.
          const message = error instanceof Error ? error.message : String(error);
          send(res, 500, Buffer.from(JSON.stringify({ error: message })));
        },
      );
  });
}
