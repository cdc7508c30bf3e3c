import { execute, parse } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { METHODS } from '../../src/api/index.js';
import type { GetParams, GetResult, Row } from '../../src/api/wire.js';
import { Planner } from '../../src/plan/operationPlan.js';
import { loadConfig } from '../../src/config/config.js';
import { createContextFactory } from '../../src/schema/context.js';
import { RequestDeadlines } from '../../src/upstream/deadline.js';
import { schema } from '../../src/schema/index.js';
import type { DataApiClient } from '../../src/upstream/apiSession.js';
import { UpstreamMemory } from '../../src/upstream/apiSession.js';

export interface RecordedGet {
  readonly method: string;
  readonly params: GetParams & { access_token: string };
}

/**
 * A Data API client that answers from nothing: `total` matching rows whose
 * columns are filled with placeholder values. It records every call, so tests
 * of the translation run through the real schema without a network.
 */
export function fakeClient(total = 100): DataApiClient & { calls: RecordedGet[] } {
  const calls: RecordedGet[] = [];
  return {
    calls,
    get(method: string, params: GetParams & { access_token: string }): Promise<GetResult> {
      calls.push({ method, params });
      const description = METHODS.get(method);
      if (!description) return Promise.reject(new Error(`unknown method ${method}`));
      const start = params.offset ?? 0;
      const count = Math.max(0, Math.min(params.limit ?? 1000, total - start));
      const columns = params.fields ?? Object.keys(description.columns);
      const data: Row[] = Array.from({ length: count }, (_, i) =>
        Object.fromEntries(
          columns.map((c) => [c, c === description.key ? placeholderKey(method, start + i) : null]),
        ),
      );
      return Promise.resolve({ metadata: { total_items: total }, data });
    },
  };
}

function placeholderKey(method: string, index: number): string | number {
  return method === 'get.virtual_number_groups'
    ? index + 1
    : `7000000${String(index).padStart(4, '0')}`;
}

/** Runs a query through the real schema against a fake client; returns the result and the calls. */
export async function run(
  query: string,
  variables?: Record<string, unknown>,
  options: { total?: number; maxPageSize?: number } = {},
): Promise<{ result: ExecutionResult; calls: RecordedGet[] }> {
  const client = fakeClient(options.total);
  const context = createContextFactory({
    client,
    memory: new UpstreamMemory(() => undefined),
    defaultToken: 'token',
    defaultUserId: undefined,
    planner: new Planner({
      paging: { defaultPageSize: 20, maxPageSize: options.maxPageSize ?? 1000 },
      limits: loadConfig({}).limits,
      defaultUserId: undefined,
      maxKeysPerCall: options.maxPageSize ?? 1000,
    }),
    deadlines: new RequestDeadlines(10_000),
  })({ request: new Request('http://localhost/graphql') });
  const result = await execute({
    schema,
    document: parse(query),
    contextValue: context,
    variableValues: variables ?? null,
  });
  return { result, calls: client.calls };
}
