import type { Logger } from 'pino';
import { pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials are redacted wherever they could appear,
 * as a second line of defence: code never passes params or headers to the log.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'data-api-gateway' },
    redact: {
      paths: [
        'access_token',
        '*.access_token',
        'params.access_token',
        'password',
        '*.password',
        'authorization',
        'headers.authorization',
        '*.headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
