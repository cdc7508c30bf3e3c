import type { ServerResponse } from 'node:http';
import type DataLoader from 'dataloader';
import type { MethodDescription } from '../api/types.js';
import type { GetResult, Row } from '../api/wire.js';
import type { ListRequest } from '../upstream/listLoader.js';
import { createListLoader } from '../upstream/listLoader.js';
import type { NodeRequest } from '../upstream/nodeLoader.js';
import { createNodeLoader } from '../upstream/nodeLoader.js';
import type { PageSizes } from '../translate/paging.js';
import type { InputLimits } from '../config/config.js';
import { requestIdFor } from '../observability/requestId.js';
import type { SessionTokenProvider } from '../upstream/sessionAuth.js';
import type { Logger } from '../observability/logger.js';
import type { Credential, DataApiClient, UpstreamMemory } from '../upstream/apiSession.js';
import { ApiSession } from '../upstream/apiSession.js';

/** Everything a resolver may use; built fresh for each GraphQL request. */
export interface GatewayContext {
  /** From `x-request-id` when sane, else generated; in logs and masked errors. */
  readonly requestId: string;
  readonly api: ApiSession;
  readonly lists: DataLoader<ListRequest, GetResult, string>;
  /** Look-ups by key of one method, for one customer (`userId`, agents only; default DATA_API_USER_ID). */
  readonly nodes: (
    method: MethodDescription,
    userId?: number,
  ) => DataLoader<NodeRequest, Row | null, string>;
  readonly paging: PageSizes;
  readonly limits: InputLimits;
}

export interface ContextDeps {
  readonly client: DataApiClient;
  readonly memory: UpstreamMemory;
  readonly defaultToken: string | undefined;
  /** Logs in with login.user when a request brings no token and no default token is set. */
  readonly session?: SessionTokenProvider | undefined;
  readonly defaultUserId: number | undefined;
  readonly paging: PageSizes;
  readonly limits: InputLimits;
  /** Budget of one request; its API calls are aborted when it runs out. */
  readonly deadlineMs: number;
  /** Per-request logger (with the request id) for each API call. */
  readonly logger?: Logger;
  /**
   * The signal of the request's client leaving (the HTTP layer knows it
   * first); the Request's own signal when not given.
   */
  readonly clientSignal?: (initial: InitialContext) => AbortSignal;
}

/** What Yoga gives the context factory: the fetch Request, and the node response under node:http. */
export interface InitialContext {
  readonly request: Request;
  readonly res?: ServerResponse;
}

/** `Authorization: Bearer <token>`; other schemes are not ours and are ignored. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}

export function createContextFactory(deps: ContextDeps) {
  return (initial: InitialContext): GatewayContext => {
    const { request } = initial;
    const requestId = requestIdFor(request);
    const token = bearerToken(request.headers.get('authorization')) ?? deps.defaultToken;
    const credential: Credential | undefined = token
      ? { kind: 'token', token }
      : deps.session
        ? { kind: 'session', provider: deps.session }
        : undefined;
    // A child logger per request costs CPU; it is made only when its lines are written.
    const logger = deps.logger?.isLevelEnabled('info')
      ? deps.logger.child({ requestId })
      : undefined;
    const api = new ApiSession(
      deps.client,
      deps.memory,
      credential,
      deps.defaultUserId,
      performance.now() + deps.deadlineMs,
      logger
        ? (call) => {
            logger.info({ dataApiCall: call }, 'data api call');
          }
        : undefined,
      deps.clientSignal ? deps.clientSignal(initial) : request.signal,
    );
    const nodeLoaders = new Map<string, DataLoader<NodeRequest, Row | null, string>>();
    return {
      requestId,
      api,
      lists: createListLoader(api),
      nodes: (method, userId = api.defaultUserId) => {
        const key = `${method.method} ${userId ?? ''}`;
        let loader = nodeLoaders.get(key);
        if (!loader) {
          loader = createNodeLoader(api, method, deps.paging.maxPageSize, userId);
          nodeLoaders.set(key, loader);
        }
        return loader;
      },
      paging: deps.paging,
      limits: deps.limits,
    };
  };
}
