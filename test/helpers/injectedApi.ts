import type { GetResult } from '../../src/api/wire.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/config.js';
import type { Gateway, GatewayOptions } from '../../src/http/server.js';
import { createGateway } from '../../src/http/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { keepReplyBytes } from '../../src/rpc/replyBytes.js';
import type { DataApiClient } from '../../src/upstream/apiSession.js';

/**
 * A gateway over an API client the test hands in (replies the emulator would
 * never send), with `config` (the real defaults unless given) and a silent
 * log; `options` override any of them.
 */
export function gatewayOver(
  client: DataApiClient,
  options: Partial<Omit<GatewayOptions, 'client'>> = {},
  config: Config = loadConfig({}),
): Gateway {
  return createGateway({
    ...config,
    dataApiUrl: 'http://127.0.0.1:9/v2.0',
    dataApiToken: 'token',
    logger: createLogger('silent'),
    ...options,
    client,
  });
}

/** A `get.*` reply parsed as the RPC client parses it, its bytes kept as the client keeps them. */
export function keptReply(bytes: Uint8Array): GetResult {
  const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { result: GetResult };
  keepReplyBytes(parsed.result.data, bytes);
  return parsed.result;
}
