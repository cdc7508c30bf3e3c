/** `npm run emulator`: the emulator as a standalone server for manual testing. */
import { DEMO_TOKEN, startEmulator } from './index.js';

const port = Number(process.env.EMULATOR_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`EMULATOR_PORT must be a port number, got ${process.env.EMULATOR_PORT ?? ''}`);
  process.exit(1);
}
const host = process.env.EMULATOR_HOST ?? '127.0.0.1';

const emulator = await startEmulator({ port, host });
console.log(`Data API emulator on ${emulator.url} (access_token: ${DEMO_TOKEN})`);

const stop = (): void => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
