import type DataLoader from 'dataloader';
import type { MethodDescription } from './api/types.js';
import type { GetResult, Row } from './api/wire.js';
import type { ListRequest } from './loaders/listLoader.js';
import { createListLoader } from './loaders/listLoader.js';
import type { NodeRequest } from './loaders/nodeLoader.js';
import { createNodeLoader } from './loaders/nodeLoader.js';
import type { PageSizes } from './translate/paging.js';
import type { InputLimits } from './config.js';
import { requestIdFor } from './plugins/requestId.js';
import type { DataApiClient, UpstreamMemory } from './upstream.js';
import { ApiSession } from './upstream.js';

/** Everything a resolver may use; built fresh for each GraphQL request. */
export interface GatewayContext {
  /** From `x-request-id` when sane, else generated; in logs and masked errors. */
  readonly requestId: string;
  readonly api: ApiSession;
  readonly lists: DataLoader<ListRequest, GetResult, string>;
  readonly nodes: (method: MethodDescription) => DataLoader<NodeRequest, Row | null, string>;
  readonly paging: PageSizes;
  readonly limits: InputLimits;
}

export interface ContextDeps {
  readonly client: DataApiClient;
  readonly memory: UpstreamMemory;
  readonly defaultToken: string | undefined;
  readonly defaultUserId: number | undefined;
  readonly paging: PageSizes;
  readonly limits: InputLimits;
  /** Budget of one request; its API calls are aborted when it runs out. */
  readonly deadlineMs: number;
}

/** `Authorization: Bearer <token>`; other schemes are not ours and are ignored. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}

export function createContextFactory(deps: ContextDeps) {
  return ({ request }: { request: Request }): GatewayContext => {
    const token = bearerToken(request.headers.get('authorization')) ?? deps.defaultToken;
    const api = new ApiSession(
      deps.client,
      deps.memory,
      token,
      deps.defaultUserId,
      AbortSignal.timeout(deps.deadlineMs),
    );
    const nodeLoaders = new Map<MethodDescription, DataLoader<NodeRequest, Row | null, string>>();
    return {
      requestId: requestIdFor(request),
      api,
      lists: createListLoader(api),
      nodes: (method) => {
        let loader = nodeLoaders.get(method);
        if (!loader) {
          loader = createNodeLoader(api, method, deps.paging.maxPageSize);
          nodeLoaders.set(method, loader);
        }
        return loader;
      },
      paging: deps.paging,
      limits: deps.limits,
    };
  };
}
