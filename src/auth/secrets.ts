// Secrets live only in the editor's secret storage (SecretStorage in VS Code), one JSON entry per
// connection. This module defines that storage's shape and reads entries defensively: a corrupted
// or missing entry means "needs reconnect", never a crash.

/** The subset of VS Code's SecretStorage the core needs; the adapter passes the real one. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Fires when any window changes a secret (VS Code's SecretStorage.onDidChange). */
  onDidChange(listener: (key: string) => void): { dispose(): void };
}

export type StoredCredential =
  | {
      readonly kind: 'oauth';
      readonly accessToken: string;
      readonly refreshToken: string | undefined;
      readonly expiresAt: number;
    }
  | { readonly kind: 'apiToken'; readonly email: string; readonly apiToken: string }
  | { readonly kind: 'pat'; readonly token: string };

export const connectionSecretKey = (connectionId: string): string => `connection/${connectionId}`;
export const clientSecretKey = (clientId: string): string => `oauth-client-secret/${clientId}`;

export function parseStoredCredential(text: string | undefined): StoredCredential | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
  switch (v.kind) {
    case 'oauth':
      if (!str(v.accessToken) || typeof v.expiresAt !== 'number') return undefined;
      if (v.refreshToken !== undefined && !str(v.refreshToken)) return undefined;
      return {
        kind: 'oauth',
        accessToken: v.accessToken,
        refreshToken: v.refreshToken,
        expiresAt: v.expiresAt,
      };
    case 'apiToken':
      return str(v.email) && str(v.apiToken) ? { kind: 'apiToken', email: v.email, apiToken: v.apiToken } : undefined;
    case 'pat':
      return str(v.token) ? { kind: 'pat', token: v.token } : undefined;
    default:
      return undefined;
  }
}

/** Every secret value inside a credential, for the log redactor. */
export function secretValues(credential: StoredCredential): string[] {
  switch (credential.kind) {
    case 'oauth':
      return [credential.accessToken, ...(credential.refreshToken ? [credential.refreshToken] : [])];
    case 'apiToken':
      return [credential.apiToken, Buffer.from(`${credential.email}:${credential.apiToken}`).toString('base64')];
    case 'pat':
      return [credential.token];
  }
}
