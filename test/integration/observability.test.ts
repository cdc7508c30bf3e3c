import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { MAX_OPERATION_NAMES, OTHER_OPERATIONS } from '../../src/observability/metrics.js';
import { tracingRequested } from '../../src/observability/telemetry.js';
import { startStack, useStack } from '../helpers/stack.js';

const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
trace.setGlobalTracerProvider(provider);
afterAll(async () => {
  trace.disable();
  await provider.shutdown();
});

const stack = useStack();
const QUERY = 'query Numbers { availableNumbers(first: 3) { nodes { phoneNumber } } }';

const parsedLogs = () => stack().logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('structured logs', () => {
  it('log each operation and each API call with the request id', async () => {
    await stack().query(QUERY, undefined, { 'x-request-id': 'trace-me-42' });
    const mine = parsedLogs().filter((l) => l.requestId === 'trace-me-42');
    expect(mine.find((l) => l.msg === 'graphql operation')).toMatchObject({
      operationName: 'Numbers',
      durationMs: expect.any(Number) as number,
      errors: 0,
    });
    expect(mine.find((l) => l.msg === 'data api call')).toMatchObject({
      dataApiCall: {
        method: 'get.available_virtual_numbers',
        outcome: 'ok',
        rows: 3,
        durationMs: expect.any(Number) as number,
      },
    });
  });
});

describe('/metrics', () => {
  it('exposes operation and API-call metrics after some queries', async () => {
    for (let i = 0; i < 3; i++) await stack().query(QUERY);
    const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(
      /graphql_yoga_http_duration_count\{[^}]*operationName="Numbers"[^}]*\} [3-9]/,
    );
    expect(text).toMatch(
      /data_api_call_duration_seconds_count\{method="get.available_virtual_numbers",outcome="ok"\} \d+/,
    );
    expect(text).toMatch(/data_api_rate_limit_remaining\{window="minute"\} \d+/);
    expect(text).not.toContain('demo-token');
  });

  it('never labels a series with the URL, which would grow with every GET query string', async () => {
    const csrf = { 'x-graphql-csrf': '1' };
    for (const name of ['A', 'B', 'C']) {
      const url = `${stack().url}?query=${encodeURIComponent(`query ${name} { __typename }`)}`;
      expect((await fetch(url, { headers: csrf })).status).toBe(200);
    }
    const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/graphql_yoga_http_duration_count\{[^}]*operationName="B"/);
    expect(text).not.toMatch(/url="/);
    expect(text).not.toContain('__typename');
  });

  it('keeps at most 100 operation names as labels; later ones share one, so clients cannot grow the metrics', async () => {
    const names = Array.from({ length: MAX_OPERATION_NAMES + 5 }, (_, i) => `Op${i}`);
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map((name) => stack().query(`query ${name} { __typename }`)),
      );
    }
    // An error with a path into a list: the path (with its indices) is not a label.
    await stack().query('query Broken { availableNumbers(first: -1) { totalCount } }');
    const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
    const labelled = new Set(
      [...text.matchAll(/graphql_yoga_http_duration_count\{[^}]*operationName="([^"]+)"/g)].map(
        (m) => m[1],
      ),
    );
    expect(labelled.has(OTHER_OPERATIONS)).toBe(true);
    expect(labelled.has('Op0')).toBe(true);
    expect(labelled.has(`Op${MAX_OPERATION_NAMES + 4}`)).toBe(false);
    expect(labelled.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
    expect(text).toMatch(/graphql_envelop_error_result\{[^}]*phase="[a-z]+"[^}]*\} \d+/);
    expect(text).not.toMatch(/path="/);
  });

  it('leaves out the per-request metrics that cost CPU on every request', async () => {
    await stack().query(QUERY);
    const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
    expect(text).toContain('graphql_yoga_http_duration');
    // The Yoga plugin turns these on unless each is named off.
    for (const name of [
      'graphql_envelop_phase_parse',
      'graphql_envelop_phase_validate',
      'graphql_envelop_phase_context',
      'graphql_envelop_phase_execute',
      'graphql_envelop_request_time_summary',
      'graphql_envelop_deprecated_field',
      '# TYPE graphql_envelop_request counter',
      'graphql_envelop_request_duration',
    ]) {
      expect(text).not.toContain(name);
    }
  });
});

describe('/health and /readiness', () => {
  it('answer without calling the API, and readiness fails while the breaker is open', async () => {
    const base = loadConfig({}).resilience;
    const local = await startStack({
      gateway: {
        resilience: {
          ...base,
          retries: 0,
          breaker: { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: 60_000 },
        },
      },
    });
    try {
      const url = (path: string) => local.url.replace('/graphql', path);
      expect((await fetch(url('/health'))).status).toBe(200);
      expect((await fetch(url('/readiness'))).status).toBe(200);
      expect(local.calls()).toHaveLength(0);

      local.emulator.setFault({ kind: 'httpError', status: 503 });
      for (let i = 0; i < 3; i++) await local.query(QUERY);
      expect((await fetch(url('/readiness'))).status).toBe(503);
      expect((await fetch(url('/health'))).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('OpenTelemetry tracing', () => {
  it('makes a span per operation and a child span per API call', async () => {
    spans.reset();
    await stack().query(QUERY);
    const finished = spans.getFinishedSpans();
    const operation = finished.find((s) => s.name === 'graphql.operation');
    const call = finished.find((s) => s.name === 'data_api.call');
    expect(operation?.attributes['graphql.operation.name']).toBe('Numbers');
    expect(call?.attributes['rpc.method']).toBe('get.available_virtual_numbers');
    expect(call?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
  });

  it('is off unless the standard variables ask for it', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(
      tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }),
    ).toBe(false);
  });
});
