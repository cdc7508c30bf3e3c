import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { GraphQLObjectType } from 'graphql';
import { execute, buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import type { FastPathOutcome, FastPathReason } from '../../../src/http/plugins/fastExecute.js';
import { checkGraphqlVersion, withFastPath } from '../../../src/http/plugins/fastExecute.js';
import { GatewayMetrics } from '../../../src/observability/metrics.js';
import { Planner } from '../../../src/plan/operationPlan.js';
import { useStack } from '../../helpers/stack.js';

/**
 * Every outcome of the fast executor is counted by its reason in /metrics, and
 * each reason can be forced: over HTTP where a request can cause it, on a
 * small schema of its own where only a schema can (a non-null field that
 * resolves null, a value no leaf serializes, a fault of the fast path itself).
 */

const planner = new Planner({
  paging: { defaultPageSize: 20, maxPageSize: 1000 },
  limits: loadConfig({}).limits,
  defaultUserId: undefined,
  maxKeysPerCall: 1000,
});

const schema = buildSchema(`
  type Query { item: Item name: String broken: Item }
  type Item { id: ID! n: Int label: String }
`);
const field = (type: string, name: string) => {
  const found = (schema.getType(type) as GraphQLObjectType).getFields()[name];
  if (!found) throw new Error(`no ${type}.${name}`);
  return found;
};
const item = field('Query', 'item');
const label = field('Item', 'label');

type Told = [FastPathOutcome, FastPathReason];

/** Runs `query` through the fast path in front of graphql-js, as the gateway does. */
async function run(
  query: string,
  resolveItem: () => unknown,
  extra: Partial<ExecutionArgs> = {},
): Promise<{
  told: Told[];
  faults: unknown[];
  result: ExecutionResult;
  reference: ExecutionResult;
}> {
  item.resolve = resolveItem;
  const told: Told[] = [];
  const faults: unknown[] = [];
  const document = parse(query);
  const outcome = planner.plan(schema, document, undefined, {});
  const context = { plan: 'plan' in outcome ? outcome.plan : undefined };
  const fast = withFastPath((args) => execute(args), {
    outcome: (o, r) => {
      told.push([o, r]);
    },
    fault: (error) => {
      faults.push(error);
    },
  });
  const result = (await fast({
    schema,
    document,
    contextValue: context,
    ...extra,
  })) as ExecutionResult;
  const reference = await execute({ schema, document, contextValue: context, ...extra });
  return { told, faults, result, reference };
}

describe('each reason the fast path gives', () => {
  it('answered', async () => {
    const r = await run('{ item { id n } }', () => ({ id: 1, n: 2 }));
    expect(r.told).toEqual([['answered', 'answered']]);
    expect(r.result).toEqual(r.reference);
  });

  it('not planned: an execution the plan plugin did not plan', async () => {
    const told: Told[] = [];
    const fast = withFastPath((args) => execute(args), {
      outcome: (o, r) => told.push([o, r]),
      fault: () => undefined,
    });
    await fast({ schema, document: parse('{ name }'), contextValue: {} });
    expect(told).toEqual([['not taken', 'not planned']]);
  });

  it('shape: introspection', async () => {
    const r = await run('{ __schema { queryType { name } } }', () => null);
    expect(r.told).toEqual([['not taken', 'shape']]);
  });

  it('custom resolvers', async () => {
    const r = await run('{ name }', () => null, { fieldResolver: () => 'x' });
    expect(r.told).toEqual([['not taken', 'custom resolvers']]);
    expect(r.result).toEqual(r.reference);
  });

  it('field error: a resolver throws', async () => {
    const r = await run('{ item { id } }', () => {
      throw new Error('boom');
    });
    expect(r.told).toEqual([['fell back', 'field error']]);
    expect(JSON.stringify(r.result)).toBe(JSON.stringify(r.reference));
  });

  it('null in non-null', async () => {
    const r = await run('{ item { id } }', () => ({ id: null }));
    expect(r.told).toEqual([['fell back', 'null in non-null']]);
    expect(JSON.stringify(r.result)).toBe(JSON.stringify(r.reference));
  });

  it('value: a leaf that does not serialize', async () => {
    const r = await run('{ item { n } }', () => ({ n: 'not a number' }));
    expect(r.told).toEqual([['fell back', 'value']]);
    expect(JSON.stringify(r.result)).toBe(JSON.stringify(r.reference));
  });

  it('unexpected: a fault of the fast path itself is told apart, with its error', async () => {
    // A value whose `then` cannot be read trips the fast path's own promise
    // check, outside any resolver: not the field's error, the executor's.
    label.resolve = () =>
      Object.defineProperty({}, 'then', {
        get() {
          throw new Error('hostile then');
        },
      });
    try {
      const r = await run('{ item { label } }', () => ({}));
      expect(r.told).toEqual([['fell back', 'unexpected']]);
      expect(String(r.faults[0])).toContain('hostile then');
    } finally {
      delete label.resolve;
    }
  });

  it('refuses to start on a graphql major it does not follow', () => {
    expect(() => {
      checkGraphqlVersion(16, '16.15.0');
    }).not.toThrow();
    expect(() => {
      checkGraphqlVersion(17, '17.0.0');
    }).toThrow(/follows graphql 16\.x; graphql 17\.0\.0/);
  });

  it('is counted in the metrics by outcome and reason', async () => {
    const metrics = new GatewayMetrics();
    const fast = withFastPath((args) => execute(args), {
      outcome: metrics.onFastPath,
      fault: () => undefined,
    });
    const document = parse('{ item { id } }');
    const outcome = planner.plan(schema, document, undefined, {});
    item.resolve = () => ({ id: null });
    await fast({ schema, document, contextValue: {} });
    await fast({
      schema,
      document,
      contextValue: { plan: 'plan' in outcome ? outcome.plan : undefined },
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('gateway_fast_path_total{outcome="not taken",reason="not planned"} 1');
    expect(text).toContain(
      'gateway_fast_path_total{outcome="fell back",reason="null in non-null"} 1',
    );
  });
});

describe('/metrics of a running gateway', () => {
  const stack = useStack();

  it('shows answered, fell back and not taken operations by reason', async () => {
    await stack().query('{ availableNumbers(first: 2) { nodes { phoneNumber } } }');
    await stack().query('{ __schema { queryType { name } } }');
    stack().emulator.setFault({ kind: 'httpError', status: 500 });
    try {
      await stack().query('{ availableNumbers(first: 2) { nodes { phoneNumber } } }');
    } finally {
      stack().emulator.setFault(null);
    }
    const text = await (await fetch(stack().url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/gateway_fast_path_total\{outcome="answered",reason="answered"\} [1-9]/);
    expect(text).toMatch(/gateway_fast_path_total\{outcome="not taken",reason="shape"\} [1-9]/);
    expect(text).toMatch(
      /gateway_fast_path_total\{outcome="fell back",reason="field error"\} [1-9]/,
    );
    expect(text).toMatch(/gateway_operation_api_calls_count [1-9]/);
  });
});
