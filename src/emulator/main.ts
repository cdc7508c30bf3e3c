/** `npm run emulator`: the emulator as a standalone server for manual testing. */
import { ConfigError, loadConfig } from '../config/config.js';
import { DEMO_TOKEN, startEmulator } from './index.js';

// EMULATOR_PORT as the gateway reads it for its embedded emulator: one default, one parser.
let port: number;
try {
  port = loadConfig().emulatorPort;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
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
