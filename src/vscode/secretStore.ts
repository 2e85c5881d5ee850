// VS Code's SecretStorage as the core's SecretStore.
import type * as vscode from 'vscode';
import type { SecretStore } from '../auth/secrets';

export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
    onDidChange: (listener) => secrets.onDidChange((e) => listener(e.key)),
  };
}
