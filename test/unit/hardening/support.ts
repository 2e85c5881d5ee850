// Shared by the hardening suites: the one-line figure each test prints, and the editor's global
// state (a Memento) in memory, shared by every window like VS Code's own.
import type { MetadataStore } from '../../../src/auth/connections';

/** Prints the figure a hardening test proves, on one line, for the `npm test` output. */
export function figure(text: string): void {
  console.log(`    [hardening] ${text}`);
}

/** globalState as VS Code keeps it: JSON values, visible to every window. */
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

export const ms = (start: number): number => Math.round(performance.now() - start);
