import pino, { type Logger } from 'pino';

/**
 * The service's structured logger (pino, JSON lines). Message texts and tokens are never logged at
 * info level; the redaction below is a second line of defence for fields that might carry them.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'support-bot', ...base },
    redact: {
      paths: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey', '*.authorization', 'headers.authorization', 'text', '*.text'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
