import type { Span } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../schema/context.js';
import type { Logger } from '../../observability/logger.js';
import { endSpan, startOperationSpan } from '../../observability/telemetry.js';

/**
 * One log line and one trace span per GraphQL operation: request id,
 * operation name, the API calls and cost its plan made room for, duration
 * and error count. API calls log and trace
 * themselves (see ApiSession), as children of this operation.
 */
export function useOperationObservability(logger: Logger): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      // The plan (plugins/plan.ts, run before this one) knows the operation,
      // named in the document even when the request does not name it.
      const { plan } = ctx;
      const operationName =
        plan?.operation.name?.value ??
        (args.operationName as string | null | undefined) ??
        undefined;
      const started = performance.now();
      const span: Span = startOperationSpan(operationName);
      ctx.api.traceParent = span;
      return {
        onExecuteDone({ result }) {
          const errors = Symbol.asyncIterator in result ? 0 : (result.errors?.length ?? 0);
          endSpan(span, errors > 0 ? `${errors} error(s)` : undefined);
          logger.info(
            {
              requestId: ctx.requestId,
              operationName: operationName ?? null,
              apiCalls: plan?.calls.length ?? 0,
              cost: plan?.cost ?? 0,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              errors,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
