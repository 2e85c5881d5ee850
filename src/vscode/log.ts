// Adapts the core logger to VS Code's LogOutputChannel (which adds timestamps and a level filter).
import type * as vscode from 'vscode';
import type { LogSink } from '../core/logger';

export function createOutputChannelSink(channel: vscode.LogOutputChannel): LogSink {
  return (level, line) => {
    switch (level) {
      case 'trace':
        return channel.trace(line);
      case 'debug':
        return channel.debug(line);
      case 'info':
        return channel.info(line);
      case 'warn':
        return channel.warn(line);
      case 'error':
        return channel.error(line);
    }
  };
}
