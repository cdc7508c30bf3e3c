import type { GraphQLResolveInfo } from 'graphql';
import type { FieldPlan, OperationPlan, Planner } from '../plan/operationPlan.js';
import { CallTable } from '../upstream/callTable.js';
import { requestIdFor } from '../observability/requestId.js';
import type { SessionTokenProvider } from '../upstream/sessionAuth.js';
import type { Logger } from '../observability/logger.js';
import type { Credential, DataApiClient, UpstreamMemory } from '../upstream/apiSession.js';
import { ApiSession } from '../upstream/apiSession.js';
import type { RequestDeadlines } from '../upstream/deadline.js';

/** Everything a resolver may use; built fresh for each GraphQL request. */
export interface GatewayContext {
  /** From `x-request-id` when sane, else generated; in logs and masked errors. */
  readonly requestId: string;
  readonly api: ApiSession;
  /** The request's API calls, each made once, as its plan lists them. */
  readonly calls: CallTable;
  /** The plan of the operation being executed (set before execution by http/plugins/plan.ts). */
  plan: OperationPlan | undefined;
  /** The plan of the root field being resolved. */
  fieldPlan(info: GraphQLResolveInfo): FieldPlan;
}

export interface ContextDeps {
  readonly client: DataApiClient;
  readonly memory: UpstreamMemory;
  readonly defaultToken: string | undefined;
  /** Logs in with login.user when a request brings no token and no default token is set. */
  readonly session?: SessionTokenProvider | undefined;
  readonly defaultUserId: number | undefined;
  readonly planner: Planner;
  /** Each request's budget (shared with the waits before its context); its API calls are aborted when it runs out. */
  readonly deadlines: RequestDeadlines;
  /** Per-request logger (with the request id) for each API call. */
  readonly logger?: Logger;
}

/** `Authorization: Bearer <token>`; other schemes are not ours and are ignored. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}

export function createContextFactory(deps: ContextDeps) {
  return ({ request }: { request: Request }): GatewayContext => {
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
      deps.deadlines.of(request),
      logger
        ? (call) => {
            logger.info({ dataApiCall: call }, 'data api call');
          }
        : undefined,
    );
    const context: GatewayContext = {
      requestId,
      api,
      calls: new CallTable(api),
      plan: undefined,
      fieldPlan(info) {
        // An execution that did not come through the plan plugin (a test's own
        // `execute`) is planned here, once, from what its resolvers are given.
        if (context.plan?.operation !== info.operation) {
          context.plan = deps.planner.planExecution(info);
        }
        const [node] = info.fieldNodes;
        if (!node) throw new Error('unreachable: a field resolved without its field node');
        return context.plan.field(node);
      },
    };
    return context;
  };
}
