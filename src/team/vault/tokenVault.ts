// Each person's Atlassian tokens, sealed at rest, kept fresh with Atlassian's rotating refresh tokens:
// - one refresh per person at a time across every replica (the store's lock), and within a replica
//   callers share the one in flight;
// - under the lock the row is read again, so a token another replica just refreshed is used instead
//   of spending the rotated-out refresh token;
// - the rotated refresh token is committed before the new access token is handed to anyone;
// - `invalid_grant` (revoked, expired, reused) deletes the row and ends the person's sessions.
// Tokens never leave this class except as the access token for an upstream call.
import type { Logger } from '../../core/logger';
import type { SecretRedactor } from '../../core/redact';
import { InvalidGrantError, type TokenSet } from '../../auth/oauthClient';
import type { TokenRefresher } from '../../auth/oauthSession';
import type { KeyRing } from './keyRing';
import type { VaultRow, VaultStore } from './store';

export interface VaultTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

export type RefreshOutcome = 'refreshed' | 'invalid_grant' | 'error';

/** The person must sign in to the team server again; the message says why, in English (model-facing). */
export class SignInAgainError extends Error {
  constructor(readonly reason: string) {
    super(`Sign in again to the team server: ${reason}.`);
    this.name = 'SignInAgainError';
  }
}

export interface TokenVaultOptions {
  readonly store: VaultStore;
  readonly keys: KeyRing;
  readonly refresher: TokenRefresher;
  readonly clientSecret: string;
  readonly log: Logger;
  /** Told every token the vault holds, so log lines and errors never carry one. */
  readonly redactor?: SecretRedactor;
  readonly now?: () => number;
  /** Refresh when less than this is left (default 2 minutes). */
  readonly refreshMarginMs?: number;
  readonly onRefresh?: (outcome: RefreshOutcome) => void;
  /** The person's sessions are over (their grant was revoked or expired): end what the vault does not own. */
  readonly onSignedOut?: (personId: string, reason: string) => Promise<void> | void;
}

type LockedResult = { ok: true; tokens: VaultTokens } | { ok: false; reason: string };

export class TokenVault {
  private readonly inflight = new Map<string, Promise<VaultTokens>>();
  /** The generation before the current one: still redacted (its refresh token works during Atlassian's leeway). */
  private readonly previous = new Map<string, VaultTokens>();
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(private readonly options: TokenVaultOptions) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? 2 * 60_000;
  }

  /** Stores a person's tokens after they signed in (replacing any earlier grant's). */
  async save(personId: string, tokens: TokenSet | VaultTokens): Promise<void> {
    await this.options.store.write(personId, this.seal(personId, tokens));
    this.remember(tokens);
  }

  async has(personId: string): Promise<boolean> {
    return (await this.options.store.read(personId)) !== undefined;
  }

  /** An access token valid for at least the refresh margin. */
  async accessToken(personId: string): Promise<string> {
    const row = await this.options.store.read(personId);
    if (!row) throw new SignInAgainError('you are not signed in');
    const current = await this.openLazily(row);
    if (!this.expiring(current)) return current.accessToken;
    return (await this.refreshOnce(personId)).accessToken;
  }

  /** After Atlassian answered 401 to `rejected`: a different, fresh token (refreshing if nobody did yet). */
  async renew(personId: string, rejected: string): Promise<string> {
    return (await this.refreshOnce(personId, rejected)).accessToken;
  }

  /** Forgets the person's tokens and ends their sessions (sign-out, or an administrator's revocation). */
  async signOut(personId: string, reason = 'you signed out'): Promise<void> {
    await this.options.store.remove(personId);
    await this.endSessions(personId, reason);
  }

  /** Re-seals every row not sealed with the current key; returns how many it re-sealed. */
  async reencryptAll(batchSize = 100): Promise<number> {
    const { store, keys } = this.options;
    let total = 0;
    for (;;) {
      const rows = await store.rowsNotSealedWith(keys.currentKeyId, batchSize);
      if (rows.length === 0) return total;
      for (const row of rows) {
        const resealed = this.seal(row.personId, this.open(row));
        // A row written meanwhile was sealed with the current key already.
        if (await store.replaceIf(row.personId, row.version, resealed)) total++;
      }
    }
  }

  private refreshOnce(personId: string, rejected?: string): Promise<VaultTokens> {
    let flight = this.inflight.get(personId);
    if (!flight) {
      flight = this.refresh(personId, rejected).finally(() => this.inflight.delete(personId));
      this.inflight.set(personId, flight);
    }
    return flight;
  }

  private async refresh(personId: string, rejected: string | undefined): Promise<VaultTokens> {
    const result = await this.options.store.withLock<LockedResult>(personId, async (locked) => {
      if (!locked.row) return { ok: false, reason: 'you are not signed in' };
      const current = this.open(locked.row);
      const replaced = rejected !== undefined && current.accessToken !== rejected;
      if (!this.expiring(current) && (rejected === undefined || replaced)) return { ok: true, tokens: current };
      if (!current.refreshToken) {
        await locked.remove();
        return { ok: false, reason: 'the sign-in has no refresh token (offline_access was not granted)' };
      }
      let fresh: TokenSet;
      try {
        fresh = await this.options.refresher.refresh(current.refreshToken, this.options.clientSecret);
      } catch (err) {
        if (!(err instanceof InvalidGrantError)) {
          this.options.onRefresh?.('error');
          throw err;
        }
        this.options.onRefresh?.('invalid_grant');
        await locked.remove();
        return { ok: false, reason: 'Atlassian no longer accepts your sign-in (revoked, expired or reused)' };
      }
      const next: VaultTokens = {
        accessToken: fresh.accessToken,
        refreshToken: fresh.refreshToken ?? current.refreshToken,
        expiresAt: fresh.expiresAt,
        scopes: fresh.scopes,
      };
      await locked.write(this.seal(personId, next));
      this.options.onRefresh?.('refreshed');
      this.remember(next);
      this.forgetOlderThan(personId, current);
      return { ok: true, tokens: next };
    });
    if (result.ok) return result.tokens;
    this.options.log.warn('Signed out %s: %s.', personId, result.reason);
    await this.endSessions(personId, result.reason);
    throw new SignInAgainError(result.reason);
  }

  private async endSessions(personId: string, reason: string): Promise<void> {
    this.previous.delete(personId);
    await this.options.store.removePersonState(personId);
    await this.options.onSignedOut?.(personId, reason);
  }

  /** Opens a row; one sealed with an older key is re-sealed with the current key on the way. */
  private async openLazily(row: VaultRow): Promise<VaultTokens> {
    const tokens = this.open(row);
    if (row.keyId !== this.options.keys.currentKeyId) {
      await this.options.store.replaceIf(row.personId, row.version, this.seal(row.personId, tokens));
    }
    return tokens;
  }

  private open(row: VaultRow): VaultTokens {
    const tokens = JSON.parse(this.options.keys.open(row, row.personId)) as VaultTokens;
    this.remember(tokens);
    return tokens;
  }

  private seal(personId: string, tokens: VaultTokens) {
    const plain: VaultTokens = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
    };
    return this.options.keys.seal(JSON.stringify(plain), personId);
  }

  private remember(tokens: VaultTokens): void {
    this.options.redactor?.add(tokens.accessToken);
    this.options.redactor?.add(tokens.refreshToken);
  }

  /** The redactor would grow with every refresh; it drops tokens two generations old. */
  private forgetOlderThan(personId: string, current: VaultTokens): void {
    const older = this.previous.get(personId);
    if (older) {
      this.options.redactor?.forget(older.accessToken);
      this.options.redactor?.forget(older.refreshToken);
    }
    this.previous.set(personId, current);
  }

  private expiring(tokens: VaultTokens): boolean {
    return tokens.expiresAt - this.now() < this.marginMs;
  }
}
