/** Start-up only: read config, start the emulator when no API is configured, listen. */
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config/config.js';
import type { RunningEmulator } from './emulator/index.js';
import { DEMO_TOKEN, startEmulator } from './emulator/index.js';
import { createLogger } from './observability/logger.js';
import { createHttpServer } from './http/httpServer.js';
import { createGateway } from './http/server.js';
import { createNodeHandler } from './http/leanDoor.js';
import { Drainer, shutdownOnSignals } from './http/shutdown.js';
import { startTracing, tracingRequested } from './observability/telemetry.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Off unless the standard OTEL_* variables ask for traces.
  const stopTracing = tracingRequested(process.env) ? await startTracing() : undefined;

  let emulator: RunningEmulator | undefined;
  let dataApiUrl = config.dataApiUrl;
  let dataApiToken = config.dataApiToken;
  if (dataApiUrl === undefined) {
    emulator = await startEmulator({ port: config.emulatorPort });
    dataApiUrl = emulator.url;
    // With login credentials configured, the session is the credential to show.
    if (!config.dataApiLogin) dataApiToken ??= DEMO_TOKEN;
    logger.info(
      { emulator: emulator.url },
      'DATA_API_URL is not set: serving the embedded Data API emulator with its demo token',
    );
  }

  const gateway = createGateway({ ...config, dataApiUrl, dataApiToken, logger });
  const server = createHttpServer(config.http);
  const drainer = new Drainer(
    server,
    createNodeHandler(gateway, {
      door: 'lean',
      endpoint: '/graphql',
      maxBodyBytes: config.limits.maxBodyBytes,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  logger.info({ port }, `GraphQL gateway ready at http://${shown}:${port}/graphql`);

  shutdownOnSignals({
    drainer,
    graceMs: config.shutdownGraceMs,
    logger,
    release: async () => {
      await emulator?.close();
      await stopTracing?.();
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
