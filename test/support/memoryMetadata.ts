// VS Code's globalState (a Memento) in memory: JSON values, shared by every window that holds it.
import type { MetadataStore } from '../../src/auth/connections';

export class MemoryMetadata implements MetadataStore {
  readonly values = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}
