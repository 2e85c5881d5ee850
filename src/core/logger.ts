// The one way core code logs. Every message passes through the redactor before it reaches a sink
// (the VS Code output channel, stderr of the bridge), so no caller can leak a token by accident.
import { format } from 'node:util';
import type { SecretRedactor } from './redact';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/** Where redacted lines end up. */
export type LogSink = (level: LogLevel, line: string) => void;

export function createLogger(sink: LogSink, redactor: SecretRedactor): Logger {
  const emit =
    (level: LogLevel) =>
    (message: string, ...args: unknown[]) => {
      sink(level, redactor.redact(format(message, ...args.map(describe))));
    };
  return { trace: emit('trace'), debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Errors print as their message and cause chain, never as objects that might hold request headers. */
function describe(arg: unknown): unknown {
  if (!(arg instanceof Error)) return arg;
  let text = arg.message;
  for (let cause = arg.cause; cause instanceof Error; cause = cause.cause) text += ` (caused by: ${cause.message})`;
  return text;
}
