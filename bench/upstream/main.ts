/**
 * A benchmark upstream in its own process (so its CPU is not the load
 * generator's): `emulator` serves the emulator itself, `static` serves
 * cached replies filled from a private emulator. Both count their responses
 * and report them over IPC.
 */
import type { AddressInfo } from 'node:net';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import { BENCH_TOKEN_PREFIX } from '../scenarios.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { isStatsRequest, sendToParent } from '../ipc.js';
import { countResponses } from './counter.js';
import type { Traffic } from './counter.js';
import { createStaticServer } from './static.js';

const HOST = '127.0.0.1';
/** Far above any run's volume: the bench measures speed, not the API's rate limits. */
const UNLIMITED = { dayLimit: 1e12, minuteLimit: 1e12 } as const;

interface Started {
  readonly url: string;
  readonly traffic: Readonly<Traffic>;
}

async function startEmulatorUpstream(): Promise<Started> {
  // The emulator is the only server in this process: count them all.
  const traffic = countResponses();
  const emulator = await startEmulator({ host: HOST, ...UNLIMITED });
  forgetCalls(emulator);
  return { url: emulator.url, traffic };
}

/** The emulator records every call; under load that record would be a memory leak. */
function forgetCalls(emulator: RunningEmulator): void {
  setInterval(() => {
    emulator.resetCalls();
  }, 1000).unref();
}

async function startStaticUpstream(): Promise<Started> {
  const emulator = await startEmulator({ host: HOST, ...UNLIMITED });
  forgetCalls(emulator);
  const server = createStaticServer(async (method, params) => {
    // Distinct workloads spread over several tokens; the emulator knows one.
    const token = params.access_token;
    const asked =
      typeof token === 'string' && token.startsWith(BENCH_TOKEN_PREFIX)
        ? { ...params, access_token: DEMO_TOKEN }
        : params;
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: asked }),
    });
    return (await response.json()) as unknown;
  });
  // Only the served replies: fills from the private emulator are not the bench's traffic.
  const traffic = countResponses(server);
  await new Promise<void>((resolve) => {
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${HOST}:${port}/v2.0`, traffic };
}

const kind = process.argv[2];
if (kind !== 'emulator' && kind !== 'static') {
  throw new Error(`usage: upstream/main.ts emulator|static (got ${kind ?? 'nothing'})`);
}
const { url, traffic } =
  kind === 'emulator' ? await startEmulatorUpstream() : await startStaticUpstream();
process.on('message', (message: unknown) => {
  if (isStatsRequest(message)) {
    sendToParent({ type: 'stats', responses: traffic.responses, bytes: traffic.bytes });
  }
});
// The bench owns this process: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
sendToParent({ type: 'ready', url });
