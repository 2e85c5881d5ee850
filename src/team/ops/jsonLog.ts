// JSON log lines for the team server (one object a line on stdout, what log collectors expect).
// The message is formatted and redacted by the shared logger first, so no token can reach a line.
import { createLogger, type LogLevel, type Logger } from '../../core/logger';
import type { SecretRedactor } from '../../core/redact';

export function createJsonLogger(
  write: (line: string) => void,
  redactor: SecretRedactor,
  options: { minLevel?: LogLevel; now?: () => number; fields?: Record<string, string> } = {},
): Logger {
  const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  const min = order.indexOf(options.minLevel ?? 'info');
  const now = options.now ?? Date.now;
  return createLogger((level, message) => {
    if (order.indexOf(level) < min) return;
    write(JSON.stringify({ time: new Date(now()).toISOString(), level, ...options.fields, msg: message }) + '\n');
  }, redactor);
}
