// Keeps one OAuth connection's access token valid, safely with Atlassian's rotating refresh tokens:
// - refreshes ahead of expiry and once after a 401;
// - one refresh at a time per connection, however many callers are waiting (single-flight);
// - re-reads the secret before refreshing, so a token another window already rotated is used
//   instead of spending the old refresh token again;
// - persists the rotated refresh token before anyone uses the new access token;
// - on invalid_grant, re-reads once more (another window may have won the race) and only then
//   reports "needs reconnect".
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
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
  /** How long to let competing lease writes land (tests shorten it). */
  readonly leaseSettleMs?: number;
}

/** How long a window may hold the refresh lease (a refresh takes well under this). */
const LEASE_MS = 15_000;
/** Time for a competing window's lease write to reach the shared secret storage. */
const LEASE_SETTLE_MS = 150;
const LEASE_POLL_MS = 100;

interface Lease {
  readonly owner: string;
  readonly until: number;
}

function parseLease(text: string | undefined): Lease | undefined {
  try {
    const value = text ? (JSON.parse(text) as Partial<Lease>) : undefined;
    return typeof value?.owner === 'string' && typeof value.until === 'number'
      ? { owner: value.owner, until: value.until }
      : undefined;
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OAuthSession implements Credentials {
  private inflight: Promise<OAuthCredential> | undefined;
  /** Identifies this window's session in the shared refresh lease. */
  private readonly owner = randomUUID();
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

  /**
   * Only one window refreshes a grant at a time. Two windows spending the same refresh token both
   * get new tokens inside Atlassian's leeway, but the one stored last may be the rotated-out one,
   * which kills the grant at the next refresh. So a window takes a lease in the shared secret
   * storage first (write, let other windows' writes land, read back), and the others wait for the
   * new tokens instead of refreshing.
   */
  private async refresh(rejected: string | undefined): Promise<OAuthCredential> {
    const before = await this.read();
    if (!this.needsRefresh(before, rejected)) return before; // another window refreshed meanwhile
    if (!(await this.acquireLease())) {
      const updated = await this.waitForOtherWindow(before);
      if (updated && !this.needsRefresh(updated, rejected)) return updated;
    }
    try {
      return await this.refreshHoldingLease(rejected);
    } finally {
      await this.options.secrets.delete(this.leaseKey);
    }
  }

  private needsRefresh(credential: OAuthCredential, rejected: string | undefined): boolean {
    return (rejected !== undefined && `Bearer ${credential.accessToken}` === rejected) || this.expiring(credential);
  }

  private get leaseKey(): string {
    return `${this.options.secretKey}/refresh-lease`;
  }

  private async acquireLease(): Promise<boolean> {
    const held = parseLease(await this.options.secrets.get(this.leaseKey));
    if (held && held.owner !== this.owner && held.until > Date.now()) return false;
    await this.options.secrets.store(
      this.leaseKey,
      JSON.stringify({ owner: this.owner, until: Date.now() + LEASE_MS }),
    );
    // Secret storage is last-writer-wins across windows; give a competing write time to land.
    await delay(this.options.leaseSettleMs ?? LEASE_SETTLE_MS);
    return parseLease(await this.options.secrets.get(this.leaseKey))?.owner === this.owner;
  }

  /** The credential once another window's refresh stored it; undefined when its lease lapsed first. */
  private async waitForOtherWindow(before: OAuthCredential): Promise<OAuthCredential | undefined> {
    const deadline = Date.now() + LEASE_MS;
    while (Date.now() < deadline) {
      await delay(LEASE_POLL_MS);
      const now = await this.read();
      if (now.accessToken !== before.accessToken) return now;
      const held = parseLease(await this.options.secrets.get(this.leaseKey));
      if (!held || held.until <= Date.now()) return undefined;
    }
    return undefined;
  }

  private async refreshHoldingLease(rejected: string | undefined): Promise<OAuthCredential> {
    const current = await this.read();
    if (!this.needsRefresh(current, rejected)) return current;
    if (!current.refreshToken)
      this.needsReconnect(
        l10n.t({
          message: 'the sign-in has no refresh token (the offline_access scope was not granted)',
          comment: [
            'Why an Atlassian connection must be signed in again: a lowercase clause shown after a colon or in parentheses',
          ],
        }),
      );

    const clientSecret = await this.options.clientSecret();
    if (!clientSecret)
      this.needsReconnect(
        l10n.t({
          message: 'the OAuth client secret is missing from secret storage',
          comment: [
            'Why an Atlassian connection must be signed in again: a lowercase clause shown after a colon or in parentheses',
          ],
        }),
      );

    let tokens: TokenSet;
    try {
      tokens = await this.options.refresher.refresh(current.refreshToken, clientSecret);
    } catch (err) {
      if (!(err instanceof InvalidGrantError)) throw err;
      const latest = await this.read();
      if (latest.refreshToken !== current.refreshToken) {
        this.options.log.info(
          'Refresh token for %s was rotated by another window; using its tokens.',
          this.options.host,
        );
        if (!this.expiring(latest)) return latest;
        return this.refreshHoldingLease(undefined);
      }
      this.needsReconnect(
        l10n.t({
          message: 'Atlassian no longer accepts the refresh token (it was revoked, expired or reused)',
          comment: [
            'Why an Atlassian connection must be signed in again: a lowercase clause shown after a colon or in parentheses',
          ],
        }),
      );
    }

    const next: OAuthCredential = {
      kind: 'oauth',
      accessToken: tokens.accessToken,
      // Atlassian always rotates; keep the old one only if a server ever answers without one.
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      expiresAt: tokens.expiresAt,
    };
    await this.options.secrets.store(this.options.secretKey, JSON.stringify(next));
    this.options.log.info(
      'Refreshed the access token for %s; valid until %s.',
      this.options.host,
      new Date(next.expiresAt).toISOString(),
    );
    this.options.onRefreshed?.(tokens);
    return next;
  }

  private async read(): Promise<OAuthCredential> {
    const credential = parseStoredCredential(await this.options.secrets.get(this.options.secretKey));
    if (credential?.kind !== 'oauth')
      this.needsReconnect(
        l10n.t({
          message: 'the stored sign-in is missing or unreadable',
          comment: [
            'Why an Atlassian connection must be signed in again: a lowercase clause shown after a colon or in parentheses',
          ],
        }),
      );
    return credential;
  }

  private expiring(credential: OAuthCredential): boolean {
    return credential.expiresAt - this.now() < this.marginMs;
  }

  private needsReconnect(reason: string): never {
    this.options.onNeedsReconnect?.(reason);
    throw new AtlassianError(
      l10n.t(
        'The connection to {0} needs to be signed in again: {1}. Run "Connect Atlassian".',
        this.options.host,
        reason,
      ),
      {
        kind: 'needsReconnect',
        host: this.options.host,
      },
    );
  }
}
