// Keeps one OAuth connection's access token valid, safely with Atlassian's rotating refresh tokens:
// - refreshes ahead of expiry and once after a 401;
// - one refresh at a time per connection, however many callers are waiting (single-flight);
// - re-reads the secret before refreshing, so a token another window already rotated is used
//   instead of spending the old refresh token again;
// - persists the rotated refresh token before anyone uses the new access token;
// - on invalid_grant, re-reads once more (another window may have won the race) and only then
//   reports "needs reconnect".
import { AtlassianError } from '../atlassian/errors';
import type { Credentials } from '../atlassian/http';
import type { Logger } from '../core/logger';
import { InvalidGrantError, type TokenSet } from './oauthClient';
import { parseStoredCredential, type SecretStore, type StoredCredential } from './secrets';

type OAuthCredential = Extract<StoredCredential, { kind: 'oauth' }>;

export interface TokenRefresher {
  refresh(refreshToken: string, clientSecret: string): Promise<TokenSet>;
}

export interface OAuthSessionOptions {
  readonly secrets: SecretStore;
  /** SecretStore key of this connection's credential. */
  readonly secretKey: string;
  readonly refresher: TokenRefresher;
  readonly clientSecret: () => Promise<string | undefined>;
  readonly host: string;
  readonly log: Logger;
  readonly now?: () => number;
  /** Refresh when the token has less than this left (at least 5 minutes). */
  readonly refreshMarginMs?: number;
  /** Told of every stored token set (new expiry for the views, new values for the redactor). */
  readonly onRefreshed?: (tokens: TokenSet) => void;
  /** Told once when the connection cannot be used without signing in again. */
  readonly onNeedsReconnect?: (reason: string) => void;
}

export class OAuthSession implements Credentials {
  private inflight: Promise<OAuthCredential> | undefined;
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(private readonly options: OAuthSessionOptions) {
    this.now = options.now ?? Date.now;
    this.marginMs = Math.max(options.refreshMarginMs ?? 5 * 60_000, 5 * 60_000);
  }

  async authorization(): Promise<string> {
    return `Bearer ${await this.accessToken()}`;
  }

  /** A token valid for at least the refresh margin. */
  async accessToken(): Promise<string> {
    const current = await this.read();
    if (!this.expiring(current)) return current.accessToken;
    return (await this.refreshOnce()).accessToken;
  }

  async renew(rejected: string): Promise<boolean> {
    const current = await this.read();
    // Someone (this window or another) already replaced the rejected token.
    if (`Bearer ${current.accessToken}` !== rejected && !this.expiring(current)) return true;
    await this.refreshOnce(rejected);
    return true;
  }

  private refreshOnce(rejected?: string): Promise<OAuthCredential> {
    this.inflight ??= this.refresh(rejected).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(rejected: string | undefined): Promise<OAuthCredential> {
    const current = await this.read();
    const rejectedNow = rejected !== undefined && `Bearer ${current.accessToken}` === rejected;
    if (!rejectedNow && !this.expiring(current)) return current; // another window refreshed meanwhile
    if (!current.refreshToken) this.needsReconnect('the sign-in has no refresh token (the offline_access scope was not granted)');

    const clientSecret = await this.options.clientSecret();
    if (!clientSecret) this.needsReconnect('the OAuth client secret is missing from secret storage');

    let tokens: TokenSet;
    try {
      tokens = await this.options.refresher.refresh(current.refreshToken!, clientSecret!);
    } catch (err) {
      if (!(err instanceof InvalidGrantError)) throw err;
      const latest = await this.read();
      if (latest.refreshToken !== current.refreshToken) {
        this.options.log.info('Refresh token for %s was rotated by another window; using its tokens.', this.options.host);
        if (!this.expiring(latest)) return latest;
        return this.refresh(undefined);
      }
      this.needsReconnect('Atlassian no longer accepts the refresh token (it was revoked, expired or reused)');
    }

    const next: OAuthCredential = {
      kind: 'oauth',
      accessToken: tokens.accessToken,
      // Atlassian always rotates; keep the old one only if a server ever answers without one.
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      expiresAt: tokens.expiresAt,
    };
    await this.options.secrets.store(this.options.secretKey, JSON.stringify(next));
    this.options.log.info('Refreshed the access token for %s; valid until %s.', this.options.host, new Date(next.expiresAt).toISOString());
    this.options.onRefreshed?.(tokens);
    return next;
  }

  private async read(): Promise<OAuthCredential> {
    const credential = parseStoredCredential(await this.options.secrets.get(this.options.secretKey));
    if (credential?.kind !== 'oauth') this.needsReconnect('the stored sign-in is missing or unreadable');
    return credential as OAuthCredential;
  }

  private expiring(credential: OAuthCredential): boolean {
    return credential.expiresAt - this.now() < this.marginMs;
  }

  private needsReconnect(reason: string): never {
    this.options.onNeedsReconnect?.(reason);
    throw new AtlassianError(`The connection to ${this.options.host} needs to be signed in again: ${reason}. Run "Connect Atlassian".`, {
      kind: 'needsReconnect',
      host: this.options.host,
    });
  }
}
