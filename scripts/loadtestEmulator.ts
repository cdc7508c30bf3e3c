/**
 * The emulator for the load test, in its own process: the gateway's CPU and
 * memory are then the gateway's alone, and the load generator's event loop is
 * not shared with the emulator's query engine. Its rate limits are lifted: the
 * load test measures the gateway, not the API's quota (10 000 calls a minute,
 * which 64 connections exhaust in seconds). Prints one JSON line `{"url": …}`.
 */
import { startEmulator } from '../src/emulator/index.js';

const emulator = await startEmulator({
  host: '127.0.0.1',
  dayLimit: 1_000_000_000,
  minuteLimit: 1_000_000_000,
});
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);

const stop = (): void => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
