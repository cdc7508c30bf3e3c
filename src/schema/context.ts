import type { ServerResponse } from 'node:http';
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
  /**
   * The plan of the root field being resolved. Called on the context execution
   * holds (`this`): Yoga copies the factory's object into its own, where the
   * plan plugin sets `plan`.
   */
  fieldPlan(this: GatewayContext, info: GraphQLResolveInfo): FieldPlan;
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

/**
 * What a request's `Authorization` header brings: nothing (no header, or an
 * empty one), so the gateway's own credential (DATA_API_TOKEN or its session
 * login) is used; one Data API token as `Bearer <token>` (the scheme is
 * case-insensitive, RFC 6750 §2.1 and RFC 9110 §11.1); or credentials the
 * gateway cannot use (another scheme, `Bearer` without a token or with
 * several), which http/plugins/credentials.ts refuses with 401: never run
 * with the gateway's own token in their place.
 */
export type RequestCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'unusable' };

const NONE: RequestCredentials = { kind: 'none' };
const UNUSABLE: RequestCredentials = { kind: 'unusable' };
const BEARER = /^Bearer +(\S+) *$/i;

/** The one reading of the `Authorization` header (see RequestCredentials). */
export function requestCredentials(authorization: string | null): RequestCredentials {
  if (authorization === null || authorization.trim() === '') return NONE;
  const token = BEARER.exec(authorization.trim())?.[1];
  return token === undefined ? UNUSABLE : { kind: 'bearer', token };
}

/** The credential a request runs with; undefined when it has none (its API calls fail UNAUTHENTICATED). */
function credentialOf(request: Request, deps: ContextDeps): Credential | undefined {
  const sent = requestCredentials(request.headers.get('authorization'));
  switch (sent.kind) {
    case 'bearer':
      return { kind: 'token', token: sent.token };
    case 'unusable':
      // Refused before execution; should it get here, it still never borrows the gateway's own.
      return undefined;
    case 'none':
      return deps.defaultToken
        ? { kind: 'token', token: deps.defaultToken }
        : deps.session
          ? { kind: 'session', provider: deps.session }
          : undefined;
  }
}

export function createContextFactory(deps: ContextDeps) {
  return (initial: InitialContext): GatewayContext => {
    const { request } = initial;
    const requestId = requestIdFor(request);
    const credential = credentialOf(request, deps);
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
      deps.clientSignal ? deps.clientSignal(initial) : request.signal,
    );
    const context: GatewayContext = {
      requestId,
      api,
      calls: new CallTable(api),
      plan: undefined,
      fieldPlan(info) {
        // An execution that did not come through the plan plugin (a test's own
        // `execute`) is planned here, once, from what its resolvers are given.
        if (this.plan?.operation !== info.operation) {
          this.plan = deps.planner.planExecution(info);
        }
        const [node] = info.fieldNodes;
        if (!node) throw new Error('unreachable: a field resolved without its field node');
        return this.plan.field(node);
      },
    };
    return context;
  };
}
