import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RateLimits } from './api/wire.js';
import type { RpcCallEvent } from './rpc/client.js';

/** Distinct operation names kept as label values; later ones share `OTHER_OPERATIONS`. */
export const MAX_OPERATION_NAMES = 100;
export const OTHER_OPERATIONS = '_other';

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
  private readonly logins = new Counter({
    name: 'data_api_logins_total',
    help: 'login.user calls made for session authentication.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  onCall = (event: RpcCallEvent): void => {
    this.apiCalls.observe(
      { method: event.method, outcome: event.outcome },
      event.durationMs / 1000,
    );
    if (event.method === 'login.user') this.logins.inc();
  };

  onLimits = (limits: RateLimits): void => {
    this.remaining.set({ window: 'minute' }, limits.minute_remaining);
    this.remaining.set({ window: 'day' }, limits.day_remaining);
  };

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
