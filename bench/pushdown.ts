/**
 * What field push-down saves: S1's call as the gateway sends it, and the same
 * call without `fields` (every column), each sent once to the upstream and
 * weighed by its counter, the same measure as the cells' bytes per request.
 */
import type { Upstream, UpstreamKind } from './children.js';
import { postJson } from './http.js';
import type { RecordedRpc } from './workload.js';
import { jsonRpcBody } from './workload.js';

export interface PushDown {
  readonly upstream: UpstreamKind;
  readonly selectedFieldsBytes: number;
  readonly everyFieldBytes: number;
}

async function weigh(upstream: Upstream, call: RecordedRpc): Promise<number> {
  const before = await upstream.stats();
  const reply = await postJson(upstream.url, jsonRpcBody(call));
  if (reply.status !== 200 || reply.text.includes('"error"')) {
    throw new Error(`push-down probe failed: ${reply.text.slice(0, 300)}`);
  }
  const after = await upstream.stats();
  return after.bytes - before.bytes;
}

export async function measurePushDown(
  upstream: Upstream,
  kind: UpstreamKind,
  call: RecordedRpc,
): Promise<PushDown> {
  const everyField = Object.fromEntries(
    Object.entries(call.params).filter(([name]) => name !== 'fields'),
  );
  return {
    upstream: kind,
    selectedFieldsBytes: await weigh(upstream, call),
    everyFieldBytes: await weigh(upstream, { method: call.method, params: everyField }),
  };
}
