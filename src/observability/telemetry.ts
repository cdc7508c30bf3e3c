import type { Span } from '@opentelemetry/api';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';

/**
 * Spans for OpenTelemetry. Without an SDK registered (the default) the API is a
 * no-op; index.ts registers one when the standard OTEL_* variables ask for it.
 */
const tracer = trace.getTracer('data-api-gateway');

export function startOperationSpan(operationName: string | undefined): Span {
  return tracer.startSpan('graphql.operation', {
    attributes: { 'graphql.operation.name': operationName ?? '' },
  });
}

export function endSpan(span: Span, error?: Error | string): void {
  if (error !== undefined) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: typeof error === 'string' ? error : error.message,
    });
  }
  span.end();
}

/** Runs one API call in a span that is a child of the operation's span. */
export async function inCallSpan<T>(
  parent: Span | undefined,
  method: string,
  run: () => Promise<T>,
): Promise<T> {
  // Without an SDK (or with the operation not sampled) the call's span would record nothing either.
  if (!parent?.isRecording()) return run();
  const span = tracer.startSpan(
    'data_api.call',
    { attributes: { 'rpc.system': 'jsonrpc', 'rpc.method': method } },
    trace.setSpan(context.active(), parent),
  );
  try {
    const result = await run();
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error instanceof Error ? error : 'failed');
    throw error;
  }
}

/** True when the standard variables ask for traces to be exported. */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter !== undefined) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Registers a tracer provider exporting over OTLP/HTTP, configured by OTEL_* variables. */
export async function startTracing(): Promise<() => Promise<void>> {
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return () => provider.shutdown();
}
