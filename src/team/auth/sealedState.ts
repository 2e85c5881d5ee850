// Short-lived authorization state kept in the shared store so any replica can continue a sign-in:
// values that hold secrets (a pending sign-in's PKCE verifier) are sealed with the vault key, and
// every lookup key that is itself a bearer secret (a code, a refresh token) is stored only as a hash.
import { createHash, randomBytes } from 'node:crypto';
import type { KeyRing } from '../vault/keyRing';
import type { VaultStore } from '../vault/store';

export const secretHash = (value: string) => createHash('sha256').update(value).digest('base64url');
/** 256 random bits, URL-safe: codes, refresh tokens, consent ids. */
export const opaque = () => randomBytes(32).toString('base64url');

export class SealedState {
  constructor(
    private readonly store: VaultStore,
    private readonly keys: KeyRing,
    private readonly now: () => number,
  ) {}

  async put(kind: string, id: string, personId: string | undefined, value: unknown, ttlMs: number): Promise<void> {
    const sealed = this.keys.seal(JSON.stringify(value), `${kind}:${id}`);
    const text = JSON.stringify({ keyId: sealed.keyId, sealed: sealed.sealed.toString('base64') });
    await this.store.putState(kind, secretHash(id), personId, text, this.now() + ttlMs);
  }

  /** The value, once: a second take (another replica, a replay) finds nothing. */
  async take<T>(kind: string, id: string): Promise<T | undefined> {
    const text = await this.store.takeState(kind, secretHash(id), this.now());
    if (!text) return undefined;
    const { keyId, sealed } = JSON.parse(text) as { keyId: string; sealed: string };
    return JSON.parse(this.keys.open({ keyId, sealed: Buffer.from(sealed, 'base64') }, `${kind}:${id}`)) as T;
  }
}
