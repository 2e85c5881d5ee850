// The set of Atlassian connections (site + account + sign-in method). Non-secret metadata lives in
// the editor's global state; secrets live only in secret storage. OAuth connections made from one
// consent share one secret entry (the grant): Atlassian rotates one refresh token per grant, so
// two copies of it would invalidate each other.
import { EventEmitter } from 'node:events';
import * as l10n from '@vscode/l10n';
import { AtlassianError } from '../atlassian/errors';
import type { Credentials } from '../atlassian/http';
import type { Logger } from '../core/logger';
import type { SecretRedactor } from '../core/redact';
import type { TokenRefresher } from './oauthSession';
import { OAuthSession } from './oauthSession';
import {
  clientSecretKey,
  parseStoredCredential,
  secretValues,
  type SecretStore,
  type StoredCredential,
} from './secrets';

export type AuthMethod = 'oauth' | 'apiToken' | 'pat';
export type Flavour = 'cloud' | 'datacenter';
export type ConnectionState = 'connected' | 'needsReconnect';

export interface OAuthGrantInfo {
  readonly clientId: string;
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  readonly redirectUri: string;
}

export interface ConnectionInfo {
  /** Stable id: method, site and account. */
  readonly id: string;
  readonly method: AuthMethod;
  readonly flavour: Flavour;
  readonly siteName: string;
  /** The site's own URL (browse links). */
  readonly siteUrl: string;
  readonly cloudId: string | undefined;
  /** Where Jira REST calls go: the site itself, or the OAuth gateway for 3LO. */
  readonly jiraBaseUrl: string;
  /** Where Confluence REST calls go (ends in /wiki on Cloud). */
  readonly confluenceBaseUrl: string;
  readonly user: {
    readonly accountId: string | undefined;
    readonly displayName: string;
    readonly email: string | undefined;
  };
  readonly scopes: readonly string[];
  /** Secret-storage key of the credential (shared by the connections of one OAuth grant). */
  readonly secretKey: string;
  readonly oauth: OAuthGrantInfo | undefined;
  readonly state: ConnectionState;
  readonly stateReason: string | undefined;
  readonly expiresAt: number | undefined;
  readonly lastRefreshAt: number | undefined;
  readonly createdAt: number;
}

/** The subset of VS Code's Memento (globalState) the core needs. */
export interface MetadataStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const CONNECTIONS_KEY = 'connections';
const DEFAULT_KEY = 'defaultConnection';

export interface ConnectionManagerOptions {
  readonly secrets: SecretStore;
  readonly metadata: MetadataStore;
  readonly redactor: SecretRedactor;
  readonly log: Logger;
  /** Builds the token refresher for an OAuth grant (the OAuth client for its endpoints). */
  readonly refresherFor: (grant: OAuthGrantInfo) => TokenRefresher;
  readonly now?: () => number;
}

/** A secret being read, and once read its value. */
interface StoredRead {
  readonly read: Promise<StoredCredential | undefined>;
  credential?: StoredCredential;
}

export class ConnectionManager {
  private readonly events = new EventEmitter();
  private readonly sessions = new Map<string, OAuthSession>();
  /**
   * API tokens and PATs as last read, by secret key. Each SecretStorage read is a round trip to the
   * workbench, slowest exactly while it builds a view: requests must not wait for one each time.
   * Dropped when the secret changes (in any window) or the connection goes. Once read, the value
   * itself is at hand too (`credential`), so a request needs no turn of the event loop to get it.
   */
  private readonly stored = new Map<string, StoredRead>();
  private readonly secretsSubscription: { dispose(): void };
  private readonly now: () => number;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.now = options.now ?? Date.now;
    // Another window may rotate tokens or sign in/out: learn the new secret values (for the
    // redactor) and tell listeners, so views and the MCP provider follow.
    this.secretsSubscription = options.secrets.onDidChange((key) => {
      this.stored.delete(key);
      if (!this.list().some((c) => c.secretKey === key)) return;
      void this.rememberSecrets(key).then(() => this.events.emit('change'));
    });
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  }

  list(): ConnectionInfo[] {
    return this.options.metadata.get<ConnectionInfo[]>(CONNECTIONS_KEY) ?? [];
  }

  get(id: string): ConnectionInfo | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** The default connection: the one chosen, else the first. */
  defaultConnection(): ConnectionInfo | undefined {
    const chosen = this.options.metadata.get<string>(DEFAULT_KEY);
    return this.list().find((c) => c.id === chosen) ?? this.list()[0];
  }

  async setDefault(id: string): Promise<void> {
    if (!this.get(id)) throw new Error(l10n.t('No connection {0}.', id));
    await this.options.metadata.update(DEFAULT_KEY, id);
    this.events.emit('change');
  }

  /** Stores the secret first, then the metadata, so a connection never exists without its secret. */
  async add(info: ConnectionInfo, credential: StoredCredential): Promise<void> {
    for (const value of secretValues(credential)) this.options.redactor.add(value);
    await this.options.secrets.store(info.secretKey, JSON.stringify(credential));
    this.sessions.delete(info.secretKey);
    this.stored.delete(info.secretKey);
    const others = this.list().filter((c) => c.id !== info.id);
    await this.options.metadata.update(CONNECTIONS_KEY, [...others, info]);
    this.options.log.info('Connected %s (%s) as %s.', info.siteName, info.method, info.user.displayName);
    this.events.emit('change');
  }

  async remove(id: string): Promise<void> {
    const info = this.get(id);
    if (!info) return;
    const rest = this.list().filter((c) => c.id !== id);
    await this.options.metadata.update(CONNECTIONS_KEY, rest);
    if (!rest.some((c) => c.secretKey === info.secretKey)) {
      await this.options.secrets.delete(info.secretKey);
      this.sessions.delete(info.secretKey);
      this.stored.delete(info.secretKey);
    }
    if (this.options.metadata.get<string>(DEFAULT_KEY) === id)
      await this.options.metadata.update(DEFAULT_KEY, undefined);
    this.options.log.info('Disconnected %s (%s).', info.siteName, info.method);
    this.events.emit('change');
  }

  /** Credentials for REST calls through this connection (refreshing OAuth tokens as needed). */
  credentials(id: string): Credentials {
    const info = this.get(id);
    if (!info)
      throw new AtlassianError(l10n.t('No Atlassian connection "{0}". Run "Connect Atlassian".', id), {
        kind: 'needsReconnect',
        host: id,
      });
    if (info.method === 'oauth') return this.oauthSession(info);
    return {
      known: () => staticAuthorization(this.stored.get(info.secretKey)?.credential),
      authorization: async () => {
        const header = staticAuthorization(await this.readCredential(info));
        if (header) return header;
        await this.markNeedsReconnect(
          info.id,
          l10n.t({
            message: 'the stored sign-in is missing or unreadable',
            comment: [
              'Why an Atlassian connection must be signed in again: a lowercase clause shown after a colon or in parentheses',
            ],
          }),
        );
        throw new AtlassianError(
          l10n.t(
            'The connection to {0} needs to be signed in again: its stored secret is missing or unreadable. Run "Connect Atlassian".',
            info.siteName,
          ),
          {
            kind: 'needsReconnect',
            host: new URL(info.siteUrl).host,
          },
        );
      },
    };
  }

  async markNeedsReconnect(id: string, reason: string): Promise<void> {
    const secretKey = this.get(id)?.secretKey;
    // Every connection of the same OAuth grant is affected alike.
    await this.updateWhere((c) => c.id === id || c.secretKey === secretKey, {
      state: 'needsReconnect',
      stateReason: reason,
    });
    this.options.log.warn('Connection %s needs to be signed in again: %s.', id, reason);
  }

  /** Loads every stored secret into the redactor (at activation) so no log line can carry one. */
  async rememberAllSecrets(): Promise<void> {
    await Promise.all([...new Set(this.list().map((c) => c.secretKey))].map((key) => this.rememberSecrets(key)));
  }

  dispose(): void {
    this.secretsSubscription.dispose();
    this.events.removeAllListeners();
  }

  private oauthSession(info: ConnectionInfo): OAuthSession {
    let session = this.sessions.get(info.secretKey);
    if (session) return session;
    const grant = info.oauth;
    if (!grant) throw new Error(l10n.t('OAuth connection {0} has no grant information.', info.id));
    session = new OAuthSession({
      secrets: this.options.secrets,
      secretKey: info.secretKey,
      refresher: this.options.refresherFor(grant),
      clientSecret: () => this.options.secrets.get(clientSecretKey(grant.clientId)),
      host: new URL(grant.apiBaseUrl).host,
      log: this.options.log,
      now: this.now,
      onRefreshed: (tokens) => {
        this.options.redactor.add(tokens.accessToken);
        this.options.redactor.add(tokens.refreshToken);
        void this.updateWhere((c) => c.secretKey === info.secretKey, {
          expiresAt: tokens.expiresAt,
          lastRefreshAt: this.now(),
          state: 'connected',
          stateReason: undefined,
        });
      },
      onNeedsReconnect: (reason) => void this.markNeedsReconnect(info.id, reason),
    });
    this.sessions.set(info.secretKey, session);
    return session;
  }

  private readCredential(info: ConnectionInfo): Promise<StoredCredential | undefined> {
    return this.readStored(info.secretKey);
  }

  private readStored(key: string): Promise<StoredCredential | undefined> {
    const known = this.stored.get(key);
    if (known) return known.read;
    const entry: StoredRead = { read: this.options.secrets.get(key).then(parseStoredCredential) };
    this.stored.set(key, entry);
    // A missing or unreadable secret is read again next time (it may have been stored since).
    const forget = () => void (this.stored.get(key) === entry && this.stored.delete(key));
    entry.read.then((credential) => (credential ? (entry.credential = credential) : forget()), forget);
    return entry.read;
  }

  private async rememberSecrets(key: string): Promise<void> {
    const credential = await this.readStored(key);
    if (credential) for (const value of secretValues(credential)) this.options.redactor.add(value);
  }

  private async updateWhere(match: (c: ConnectionInfo) => boolean, patch: Partial<ConnectionInfo>): Promise<void> {
    const next = this.list().map((c) => (match(c) ? { ...c, ...patch } : c));
    await this.options.metadata.update(CONNECTIONS_KEY, next);
    this.events.emit('change');
  }
}

/** The Authorization header of an API token or a PAT; OAuth tokens go through their session. */
function staticAuthorization(credential: StoredCredential | undefined): string | undefined {
  if (credential?.kind === 'apiToken')
    return `Basic ${Buffer.from(`${credential.email}:${credential.apiToken}`).toString('base64')}`;
  if (credential?.kind === 'pat') return `Bearer ${credential.token}`;
  return undefined;
}
