/**
 * The gateway's node:http handler, with a lean front door for the common
 * request: a POST of one JSON operation to the GraphQL endpoint.
 *
 * Yoga's own node handler turns every request into a fetch Request (a body
 * stream, a parsed URL, copied headers), runs its hooks around a fetch
 * Response and pipes that back; on a small query that costs about as much
 * CPU as the operation itself. The lean door drives the same hooks of the
 * same plugins, in Yoga's order, over light objects (http/light.ts):
 *
 * 1. every plugin's `onRequest` (Prometheus' clock, the leaving-clients
 *    watch, CORS, …);
 * 2. the body, read once into memory;
 * 3. Yoga's `parseRequest` (the `onRequestParse` hooks: CSRF, credentials,
 *    introspection switch, our JSON parser) and `getResultForParams` (the
 *    `onParams` hooks: APQ, persisted operations, input depth; then parse,
 *    validate, context and execution through Envelop with every plugin);
 * 4. the `onResultProcess` hooks (refusal codes, dropped answers, Yoga's
 *    choice of media type) and Yoga's result processor, writing a light reply;
 * 5. every plugin's `onResponse` (request id, compression, CORS, metrics, the
 *    work gate's release), and the reply written to the socket.
 *
 * So there is one implementation of each concern, and the door adds none.
 * It takes only what its light request can carry (`takes`): an unencoded
 * body of a declared length within the limit (the body limit's `onRequest`
 * refusals cannot apply) asking for JSON (no event streams or multipart).
 * Everything else goes to Yoga's node handler before any hook has run. The
 * differential test of the two doors (test/integration/frontDoors.test.ts)
 * holds their answers identical.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { GraphQLError } from 'graphql';
import { isPromise } from 'graphql-yoga';
import type { FetchAPI, GraphQLParams, Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import { sendNodeResponse } from '@whatwg-node/server';
import { requestCredentials } from '../schema/context.js';
import type { Gateway } from './server.js';
import { JSON_BODY } from './plugins/bodyLimit.js';
import { LIGHT_FETCH_API, LightHeaders, LightRequest, LightResponse } from './light.js';
import { Splice } from './splicedJson.js';

export type FrontDoor = 'lean' | 'yoga';

export interface NodeHandlerOptions {
  /** `yoga`: every request through Yoga's node handler (the reference of the doors' test). */
  readonly door: FrontDoor;
  /** The GraphQL endpoint's path. */
  readonly endpoint: string;
  /** MAX_BODY_BYTES: a longer declared body goes to Yoga, whose body limit refuses it. */
  readonly maxBodyBytes: number;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

type AnyResponse = Response | LightResponse;
type OnRequest = NonNullable<Plugin['onRequest']>;
type OnResponse = NonNullable<Plugin['onResponse']>;
type OnResultProcess = NonNullable<Plugin['onResultProcess']>;
type ResultProcessor = Parameters<Parameters<OnResultProcess>[0]['setResultProcessor']>[0];
type Result = ExecutionResult | AsyncIterable<ExecutionResult> | undefined;

/** What the door reads of Yoga beyond its public API; checked at start-up. */
interface YogaInternals {
  readonly plugins: readonly (Plugin | undefined)[];
  readonly instrumentation?: unknown;
  readonly onResultProcessHooks: readonly OnResultProcess[];
  readonly maskedErrorsOpts?: {
    maskError: (error: unknown, message: string, isDev?: boolean) => Error;
    errorMessage: string;
    isDev?: boolean;
  } | null;
  readonly logger: { debug: (...args: unknown[]) => void; error: (...args: unknown[]) => void };
  readonly fetchAPI: FetchAPI;
  getResultForParams(
    payload: { params: GraphQLParams; request: LightRequest },
    context: ServerContext,
  ): Result | Promise<Result>;
  handle(request: LightRequest, context: ServerContext): Response | Promise<Response>;
  parseRequest(request: LightRequest, context: ServerContext): Parsed | Promise<Parsed>;
}

type Parsed =
  | { requestParserResult: GraphQLParams | GraphQLParams[]; response?: never }
  | { requestParserResult?: never; response: Response };

interface ServerContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly waitUntil: (promise: Promise<void> | void) => void;
  /** Where pages written from the API's bytes go into this request's reply (splicedJson.ts). */
  readonly splice: Splice;
}

/** Media types the door answers; any other Accept goes to Yoga (event streams, multipart). */
const ANSWERED_ACCEPT = new Set([
  '*/*',
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json',
  'application/json, application/graphql-response+json',
]);

function readsYoga(gateway: Gateway): YogaInternals | undefined {
  const yoga = gateway as unknown as Partial<YogaInternals>;
  const shaped =
    Array.isArray(yoga.plugins) &&
    Array.isArray(yoga.onResultProcessHooks) &&
    typeof yoga.getResultForParams === 'function' &&
    typeof yoga.handle === 'function' &&
    typeof yoga.parseRequest === 'function' &&
    yoga.logger !== undefined &&
    yoga.fetchAPI !== undefined;
  // Yoga's instrumentation wraps the stages the door drives itself.
  return shaped && !yoga.instrumentation ? (yoga as YogaInternals) : undefined;
}

/**
 * Whether the door takes `req`: a POST to the endpoint of a JSON body of a
 * declared length within the limit, not encoded, asking for JSON, with
 * credentials the gateway can use. The rest would be refused or streamed
 * by hooks that need a fetch Request or Response; Yoga serves them.
 */
export function takes(req: IncomingMessage, endpoint: string, maxBodyBytes: number): boolean {
  const { headers } = req;
  if (req.method !== 'POST' || req.url !== endpoint) return false;
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,15}$/.test(length) || Number(length) > maxBodyBytes) {
    return false;
  }
  if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) {
    return false;
  }
  if (!JSON_BODY.test(headers['content-type'] ?? '')) return false;
  const accept = headers.accept;
  if (accept !== undefined && !ANSWERED_ACCEPT.has(accept)) return false;
  return requestCredentials(headers.authorization ?? null).kind !== 'unusable';
}

export function createNodeHandler(gateway: Gateway, options: NodeHandlerOptions): NodeHandler {
  const viaYoga: NodeHandler = (req, res) => void gateway(req, res);
  const yoga = options.door === 'lean' ? readsYoga(gateway) : undefined;
  if (!yoga) return viaYoga;
  const plugins = yoga.plugins.filter((plugin): plugin is Plugin => plugin !== undefined);
  const onRequestHooks = plugins.flatMap((p) => (p.onRequest ? [p.onRequest.bind(p)] : []));
  const onResponseHooks = plugins.flatMap((p) => (p.onResponse ? [p.onResponse.bind(p)] : []));
  const { endpoint, maxBodyBytes } = options;
  return (req, res) => {
    if (!takes(req, endpoint, maxBodyBytes)) {
      viaYoga(req, res);
      return;
    }
    serve(yoga, onRequestHooks, onResponseHooks, req, res).catch((error: unknown) => {
      yoga.logger.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

/** Settled promises pass through: `await` alone would cost a turn each on the hot path. */
async function settle<T>(value: T | Promise<T>): Promise<T> {
  return isPromise(value) ? await value : value;
}

async function serve(
  yoga: YogaInternals,
  onRequestHooks: readonly OnRequest[],
  onResponseHooks: readonly OnResponse[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const serverContext: ServerContext = { req, res, waitUntil: keepGoing, splice: new Splice() };
  let request = new LightRequest(
    'POST',
    `http://${req.headers.host ?? 'localhost'}${req.url ?? ''}`,
    req.headers,
  );
  // Set by a hook that answers the request itself (endResponse).
  const ended: { response?: Response } = {};
  let handler: ((request: LightRequest) => Promise<AnyResponse>) | undefined;
  let url: URL | undefined;
  for (const hook of onRequestHooks) {
    await settle(
      hook({
        request: request as unknown as Request,
        setRequest(next: Request) {
          request = next as unknown as LightRequest;
          handler ??= (r) => Promise.resolve(yoga.handle(r, serverContext));
        },
        serverContext,
        fetchAPI: yoga.fetchAPI,
        get url() {
          return (url ??= new URL(request.url, 'http://localhost'));
        },
        requestHandler: ((r: LightRequest) =>
          yoga.handle(r, serverContext)) as unknown as Parameters<OnRequest>[0]['requestHandler'],
        setRequestHandler(
          next: (request: Request, context: never) => Response | Promise<Response>,
        ) {
          handler = (r) => Promise.resolve(next(r as unknown as Request, serverContext as never));
        },
        endResponse(response: Response) {
          ended.response = response;
        },
      }),
    );
    if (ended.response) break;
  }

  let response: AnyResponse;
  if (ended.response) {
    // Drained so the connection can carry the next request.
    req.resume();
    response = ended.response;
  } else {
    const text = await readBody(req);
    if (text === undefined) return; // the client left while sending it
    // A request a hook put in its place (setRequest) brings its own body.
    if (request instanceof LightRequest) request.received(text);
    response = handler ? await handler(request) : await answer(yoga, request, serverContext);
  }

  for (const hook of onResponseHooks) {
    await settle(
      hook({
        request: request as unknown as Request,
        response: response as Response,
        serverContext,
        setResponse(next: Response) {
          response = next;
        },
        fetchAPI: (response instanceof LightResponse ? LIGHT_FETCH_API : yoga.fetchAPI) as never,
      }),
    );
  }
  send(response, req, res);
}

/**
 * Yoga's `handle` (server.ts) without its instrumentation, the result
 * processed into a light reply: the request parse hooks and parser, each
 * operation's result, then the result hooks.
 */
async function answer(
  yoga: YogaInternals,
  request: LightRequest,
  serverContext: ServerContext,
): Promise<AnyResponse> {
  let result: Result | Result[];
  try {
    const parsed = await settle(yoga.parseRequest(request, serverContext));
    if (parsed.response) return parsed.response;
    const params = parsed.requestParserResult;
    result = Array.isArray(params)
      ? await Promise.all(
          params.map((one) =>
            Promise.resolve()
              .then(() =>
                yoga.getResultForParams(
                  { params: one, request },
                  Object.create(serverContext) as ServerContext,
                ),
              )
              .catch((error: unknown) => ({ errors: handled(yoga, error) })),
          ),
        )
      : await settle(yoga.getResultForParams({ params, request }, serverContext));
  } catch (error) {
    result = { errors: handled(yoga, error) };
  }
  return spliced(await processResult(yoga, request, serverContext, result), serverContext.splice);
}

/** The reply with the bytes written during execution put where their markers are. */
function spliced(response: AnyResponse, splice: Splice): AnyResponse {
  if (!(response instanceof LightResponse) || typeof response.body !== 'string') return response;
  const body = splice.apply(response.body);
  if (!body) return response;
  const headers = new LightHeaders(response.headers);
  headers.set('content-length', String(body.byteLength));
  return new LightResponse(body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Yoga's processResult (process-request.ts), its processor handed the light fetch API. */
async function processResult(
  yoga: YogaInternals,
  request: LightRequest,
  serverContext: ServerContext,
  initial: Result | Result[],
): Promise<AnyResponse> {
  let result = initial as ExecutionResult;
  let processor: ResultProcessor | undefined;
  let mediaType = '*/*';
  const acceptableMediaTypes: string[] = [];
  for (const hook of yoga.onResultProcessHooks) {
    await settle(
      hook({
        request: request as unknown as Request,
        acceptableMediaTypes,
        result,
        setResult(next) {
          result = next as ExecutionResult;
        },
        resultProcessor: processor,
        setResultProcessor(next, accepted) {
          processor = next;
          mediaType = accepted;
        },
        serverContext,
      } as Parameters<OnResultProcess>[0]),
    );
  }
  if (!processor) {
    return new LightResponse(null, {
      status: 406,
      statusText: 'Not Acceptable',
      headers: { accept: acceptableMediaTypes.join('; charset=utf-8, ') },
    });
  }
  return settle(processor(result, LIGHT_FETCH_API as unknown as FetchAPI, mediaType));
}

/** Yoga's handleError (error.ts) for an error thrown by a parameters hook. */
function handled(yoga: YogaInternals, error: unknown): GraphQLError[] {
  if (isAggregate(error)) return error.errors.flatMap((one) => handled(yoga, one));
  if (isAbort(error)) {
    yoga.logger.debug('Request aborted');
    return [];
  }
  const options = yoga.maskedErrorsOpts;
  if (!options) {
    // The gateway always masks (server.ts); unmasked, Yoga passes errors on as they are.
    if (error instanceof GraphQLError) return [error];
    return [
      createGraphQLError(error instanceof Error ? error.message : 'Unexpected error.', {
        ...(error instanceof Error ? { originalError: error } : {}),
        extensions: { unexpected: true },
      }),
    ];
  }
  const masked = options.maskError(error, options.errorMessage, options.isDev);
  if (masked !== error) yoga.logger.error(error);
  return [
    masked instanceof GraphQLError
      ? masked
      : createGraphQLError(masked.message, { originalError: masked }),
  ];
}

function isAggregate(error: unknown): error is { errors: unknown[] } {
  return error != null && typeof error === 'object' && 'errors' in error;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

/** The body as text, or undefined when the client left before sending all of it. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks).toString('utf8'),
      );
    });
    req.once('error', () => {
      resolve(undefined);
    });
    req.once('aborted', () => {
      resolve(undefined);
    });
  });
}

/** As @whatwg-node/server's sendNodeResponse: nothing to a closed response. */
function send(response: AnyResponse, req: IncomingMessage, res: ServerResponse): void {
  if (!(response instanceof LightResponse)) {
    // As Yoga's node handler sends it (a single writeHead, its default).
    void sendNodeResponse(response, res, req, true);
    return;
  }
  if (res.closed || res.destroyed || res.writableEnded) return;
  res.writeHead(response.status, response.statusText || undefined, response.headers.toRecord());
  if (response.body === null) res.end();
  else res.end(response.body);
}

/** Work a plugin leaves running after the reply; its failure is the plugin's to log. */
function keepGoing(promise: Promise<void> | void): void {
  promise?.catch(() => undefined);
}
