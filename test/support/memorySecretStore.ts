// SecretStorage as VS Code implements it, in memory: several stores may share one backing map to
// play several editor windows, and every write fires onDidChange in all of them.
import { EventEmitter } from 'node:events';
import type { SecretStore } from '../../src/auth/secrets';

export class SecretBacking {
  readonly values = new Map<string, string>();
  readonly events = new EventEmitter();
}

export class MemorySecretStore implements SecretStore {
  constructor(readonly backing = new SecretBacking()) {}

  async get(key: string): Promise<string | undefined> {
    return this.backing.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.backing.values.set(key, value);
    this.backing.events.emit('change', key);
  }

  async delete(key: string): Promise<void> {
    if (this.backing.values.delete(key)) this.backing.events.emit('change', key);
  }

  onDidChange(listener: (key: string) => void): { dispose(): void } {
    this.backing.events.on('change', listener);
    return { dispose: () => this.backing.events.off('change', listener) };
  }
}
