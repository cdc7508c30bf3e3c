import { describe, expect, it } from 'vitest';
import type { GetParams, GetResult } from '../../../src/api/wire.js';
import { TransportError } from '../../../src/rpc/errors.js';
import type { DataApiClient } from '../../../src/upstream/apiSession.js';
import { SharedCalls } from '../../../src/upstream/sharedCalls.js';

/** A client whose calls stay pending until answered; it keeps each call's signal. */
function pendingClient() {
  const calls: { signal: AbortSignal | undefined; answer: (result: GetResult) => void }[] = [];
  const client: DataApiClient = {
    get(_method: string, _params: GetParams, _deadline?: number, signal?: AbortSignal) {
      return new Promise<GetResult>((resolve, reject) => {
        calls.push({ signal, answer: resolve });
        signal?.addEventListener('abort', () => {
          reject(new TransportError('get.x', 'cancelled', 'cancelled'));
        });
      });
    },
  };
  return { client, calls };
}

const PARAMS = { access_token: 't', limit: 1 };
const RESULT: GetResult = { data: [{ id: 1 }], metadata: { total_items: 1 } };

describe('SharedCalls with callers that leave', () => {
  it('keeps a shared call for the callers that stay, and cancels it when the last leaves', async () => {
    const { client, calls } = pendingClient();
    const shared = new SharedCalls(client);
    const [a, b, c] = [new AbortController(), new AbortController(), new AbortController()];
    const first = shared.get('get.x', PARAMS, undefined, a.signal);
    const second = shared.get('get.x', PARAMS, undefined, b.signal);
    expect(calls).toHaveLength(1);
    a.abort();
    await expect(first).rejects.toMatchObject({ failure: 'cancelled' });
    expect(calls[0]?.signal?.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toMatchObject({ failure: 'cancelled' });
    expect(calls[0]?.signal?.aborted).toBe(true);

    // A caller arriving after the call was cancelled starts a call of its own.
    const third = shared.get('get.x', PARAMS, undefined, c.signal);
    expect(calls).toHaveLength(2);
    calls[1]?.answer(RESULT);
    await expect(third).resolves.toBe(RESULT);
  });

  it('never cancels a call a caller without a signal waits for', async () => {
    const { client, calls } = pendingClient();
    const shared = new SharedCalls(client);
    const leaving = new AbortController();
    const left = shared.get('get.x', PARAMS, undefined, leaving.signal);
    const staying = shared.get('get.x', PARAMS);
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(TransportError);
    expect(calls[0]?.signal?.aborted).toBe(false);
    calls[0]?.answer(RESULT);
    await expect(staying).resolves.toBe(RESULT);
  });

  it('starts no call for a caller already gone', async () => {
    const { client, calls } = pendingClient();
    const shared = new SharedCalls(client);
    await expect(shared.get('get.x', PARAMS, undefined, AbortSignal.abort())).rejects.toMatchObject(
      { failure: 'cancelled' },
    );
    expect(calls).toHaveLength(0);
  });
});
