import { LOGIN_METHOD } from '../api/wire.js';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RateLimits } from '../api/wire.js';
import type { RpcCallEvent } from '../rpc/client.js';

/** What the work gate tells the metrics (http/workGate.ts). */
export interface WorkFigures {
  /** Operations admitted, running or waiting. */
  readonly inFlight: number;
  /** Operations waiting for rows. */
  readonly queued: number;
  /** Rows of the big operations running. */
  readonly rowsInFlight: number;
}

/** Distinct operation names kept as label values; later ones share `OTHER_OPERATIONS`. */
export const MAX_OPERATION_NAMES = 100;
export const OTHER_OPERATIONS = '_other';

/** Distinct response reasons kept as label values; later ones share `OTHER_OPERATIONS`. */
export const MAX_RESPONSE_REASONS = 50;

/**
 * Operation names are chosen by clients: each new one would add a set of
 * series for good, so past a bound they share one label value.
 */
class OperationNames {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  label(name: string | undefined): string {
    if (!name) return 'Anonymous';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OTHER_OPERATIONS;
    this.seen.add(name);
    return name;
  }
}

/** An error code as a label: the gateway's codes are UPPER_SNAKE; anything else is not one. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The paths the gateway serves; any other is `other` (a label per path would be unbounded). */
function routeOf(pathname: string, graphqlEndpoint: string): string {
  if (pathname === graphqlEndpoint) return 'graphql';
  if (pathname.startsWith(`${graphqlEndpoint}/`)) return 'graphiql_asset';
  switch (pathname) {
    case '/health':
      return 'health';
    case '/readiness':
      return 'readiness';
    case '/metrics':
      return 'metrics';
    default:
      return 'other';
  }
}

/** `extensions.code` of the first error of a GraphQL result, if it has errors. */
function firstErrorCode(result: unknown): string | undefined {
  const first: unknown = Array.isArray(result) ? result[0] : result;
  if (typeof first !== 'object' || first === null || !('errors' in first)) return undefined;
  const errors = first.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const error: unknown = errors[0];
  const extensions =
    typeof error === 'object' && error !== null && 'extensions' in error
      ? error.extensions
      : undefined;
  const code =
    typeof extensions === 'object' && extensions !== null && 'code' in extensions
      ? extensions.code
      : undefined;
  return typeof code === 'string' ? code : 'NO_CODE';
}

/**
 * Prometheus metrics of one gateway: its own registry (so several gateways in
 * one process, as in tests, do not collide), GraphQL operations from Yoga's
 * plugin, and the Data API side measured here.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly apiCalls = new Histogram({
    name: 'data_api_call_duration_seconds',
    help: 'Data API calls by method and outcome (retries included in one call).',
    labelNames: ['method', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly remaining = new Gauge({
    name: 'data_api_rate_limit_remaining',
    help: 'Points left in the rate-limit window, as the last API reply reported.',
    labelNames: ['window'] as const,
    registers: [this.registry],
  });
  private readonly responses = new Counter({
    name: 'http_responses_total',
    help:
      'Every HTTP response, refusals before execution included, by status, route ' +
      '(graphql, graphiql_asset, health, readiness, metrics, other) and reason ' +
      '(the first GraphQL error code; ok without errors; none for a response with no GraphQL result).',
    labelNames: ['status', 'route', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'data_api_logins_total',
    help: 'login.user calls made for session authentication.',
    registers: [this.registry],
  });
  private readonly aborted = new Counter({
    name: 'graphql_requests_aborted_total',
    help: 'Requests whose client closed the connection before the answer was sent.',
    registers: [this.registry],
  });
  private readonly dropped = new Counter({
    name: 'graphql_answers_dropped_total',
    help: 'GraphQL results not serialised because their client had gone.',
    registers: [this.registry],
  });
  private readonly shed = new Counter({
    name: 'graphql_requests_shed_total',
    help: 'Operations refused with SERVICE_OVERLOADED (503) by the work gate, by the bound reached (requests, rows).',
    labelNames: ['bound'] as const,
    registers: [this.registry],
  });

  private readonly fastPath = new Counter({
    name: 'gateway_fast_path_total',
    help:
      'Operations by what the fast executor did: answered, fell back (the standard executor answered) ' +
      'or not taken, and why (http/plugins/fastExecute.ts, FastPathReason).',
    labelNames: ['outcome', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly rowsWritten = new Counter({
    name: 'gateway_rows_written_total',
    help:
      'Rows of lists whose selection maps onto the reply columns (and at least BYTES_MIN_VALUES values, http/plugins/fastExecute.ts), by how they were written: ' +
      'from the reply bytes, or from objects when a row could not be read from them (http/plugins/rowsFromBytes.ts).',
    labelNames: ['from'] as const,
    registers: [this.registry],
  });
  private readonly plannedCalls = new Histogram({
    name: 'gateway_operation_api_calls',
    help: 'Data API calls of each executed operation, as its plan lists them (MAX_API_CALLS_PER_REQUEST bounds it).',
    buckets: [0, 1, 2, 3, 5, 10, 20, 50],
    registers: [this.registry],
  });
  private readonly plannedCost = new Histogram({
    name: 'gateway_operation_cost',
    help: 'Values (rows × columns) the calls of each executed operation may return, as its plan counts them (QUERY_MAX_COST bounds it).',
    buckets: [10, 100, 1_000, 10_000, 100_000, 1_000_000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  onRowsWritten = (from: string, rows: number): void => {
    this.rowsWritten.inc({ from }, rows);
  };

  onFastPath = (outcome: string, reason: string): void => {
    this.fastPath.inc({ outcome, reason });
  };

  /** An operation's plan, admitted: its calls and cost. */
  onPlanned = (calls: number, cost: number): void => {
    this.plannedCalls.observe(calls);
    this.plannedCost.observe(cost);
  };

  onCall = (event: RpcCallEvent): void => {
    this.apiCalls.observe(
      { method: event.method, outcome: event.outcome },
      event.durationMs / 1000,
    );
    if (event.method === LOGIN_METHOD) this.logins.inc();
  };

  /** A request's client went away before its answer was sent. */
  onAborted = (): void => {
    this.aborted.inc();
  };

  /** A result was not serialised: its client had gone. */
  onDropped = (): void => {
    this.dropped.inc();
  };

  /** An operation was refused at the work gate. */
  onShed = (bound: 'requests' | 'rows'): void => {
    this.shed.inc({ bound });
  };

  /** The work gate's figures, read at each scrape. */
  watchWork(work: WorkFigures): void {
    new Gauge({
      name: 'graphql_work_operations',
      help: 'Operations admitted by the work gate, by state: running, or waiting for rows.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'running' }, work.inFlight - work.queued);
        this.set({ state: 'waiting' }, work.queued);
      },
    });
    new Gauge({
      name: 'graphql_work_rows',
      help: 'Rows (page sizes asked for) of the big operations running.',
      registers: [this.registry],
      collect() {
        this.set(work.rowsInFlight);
      },
    });
  }

  onLimits = (limits: RateLimits): void => {
    this.remaining.set({ window: 'minute' }, limits.minute_remaining);
    this.remaining.set({ window: 'day' }, limits.day_remaining);
  };

  /**
   * Counts every response the server sends, whatever refused it: the CSRF
   * check, the body limit, parsing, validation, the query limits, or an
   * unknown path. Yoga's Prometheus plugin sees only requests that reach a
   * GraphQL operation. The reason is the first error's code, read from the
   * GraphQL result before it is serialised, or for a refusal sent without
   * one (the body limit's), from its short JSON body. Codes are bounded.
   */
  responsesPlugin(graphqlEndpoint: string): Plugin {
    const reasons = new OperationNames(MAX_RESPONSE_REASONS);
    const codes = new WeakMap<Request, string>();
    const reasonOf = (code: string | undefined): string =>
      code === undefined ? 'none' : CODE.test(code) ? reasons.label(code) : OTHER_OPERATIONS;
    return {
      onResultProcess: ({ request, result }) => {
        codes.set(request, firstErrorCode(result) ?? 'ok');
      },
      onResponse: async ({ request, response }) => {
        let code = codes.get(request);
        if (code === undefined && response.status >= 400) code = await refusalCode(response);
        this.responses.inc({
          status: response.status,
          route: routeOf(new URL(request.url).pathname, graphqlEndpoint),
          reason: code === 'ok' ? 'ok' : reasonOf(code),
        });
      },
    };
  }

  /**
   * Yoga's Prometheus plugin: request durations and errors, served at `/metrics`.
   * Every label is bounded: no URL (a series per GET query string, with its
   * variables), no error path (it holds list indices), and at most
   * `MAX_OPERATION_NAMES` operation names.
   */
  plugin() {
    const names = new OperationNames(MAX_OPERATION_NAMES);
    return usePrometheus({
      endpoint: '/metrics',
      registry: this.registry,
      // Every metric is named: the plugin merges these over defaults that are all on.
      metrics: {
        // One histogram per request: the HTTP duration, labelled by operation name
        // and type; its `_count` is the operation count. A second duration histogram
        // and a counter would only cost.
        graphql_envelop_request: false,
        graphql_envelop_request_duration: false,
        graphql_envelop_error_result: createCounter({
          registry: this.registry,
          counter: {
            name: 'graphql_envelop_error_result',
            help: 'GraphQL errors in results, by operation and phase.',
            labelNames: ['operationName', 'operationType', 'phase'] as const,
          },
          fillLabelsFn: (params) => ({
            operationName: names.label(params.operationName),
            operationType: params.operationType ?? 'unknown',
            phase: params.errorPhase,
          }),
        }),
        graphql_envelop_schema_change: true,
        graphql_yoga_http_duration: createHistogram({
          registry: this.registry,
          histogram: {
            name: 'graphql_yoga_http_duration',
            help: 'Time spent on HTTP requests, by operation, method and status.',
            labelNames: ['operationName', 'operationType', 'method', 'statusCode'] as const,
          },
          fillLabelsFn: (
            params,
            { request, response }: { request: Request; response: Response },
          ) => ({
            operationName: names.label(params.operationName),
            operationType: params.operationType ?? 'unknown',
            method: request.method,
            statusCode: response.status,
          }),
        }),
        // Off: per-phase histograms and the summary cost CPU on every request and
        // the totals above answer the usual questions; the deprecated-field counter
        // walks every document with a TypeInfo (4 % of CPU on small queries), and
        // the schema deprecates nothing.
        graphql_envelop_request_time_summary: false,
        graphql_envelop_phase_parse: false,
        graphql_envelop_phase_validate: false,
        graphql_envelop_phase_context: false,
        graphql_envelop_phase_execute: false,
        graphql_envelop_phase_subscribe: false,
        graphql_envelop_deprecated_field: false,
        graphql_envelop_execute_resolver: false,
      },
    });
  }
}

/**
 * Largest declared refusal body read for its code; a bigger one is counted
 * without a reason. Bodies built in process (the body limit's) declare none.
 */
const MAX_REFUSAL_BYTES = 4096;

/** The first error code of a small JSON refusal body (the body limit's), if any. */
async function refusalCode(response: Response): Promise<string | undefined> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json') || length > MAX_REFUSAL_BYTES) return undefined;
  try {
    return firstErrorCode(JSON.parse(await response.clone().text()));
  } catch {
    return undefined;
  }
}
