// Where the team server keeps what must survive a restart and be shared by replicas: the sealed
// Atlassian tokens (one row per person) and the authorization server's short-lived state (clients,
// pending sign-ins, codes, refresh tokens). One interface; SQLite (one replica) and PostgreSQL
// (several) implement it.
import type { SealedValue } from './keyRing';

export interface VaultRow extends SealedValue {
  readonly personId: string;
  /** Bumped on every write; lets lazy re-encryption skip a row someone changed meanwhile. */
  readonly version: number;
}

/** Handed to the holder of a person's refresh lock: the row as read under the lock, and ways to change it. */
export interface LockedRow {
  readonly row: VaultRow | undefined;
  write(value: SealedValue): Promise<void>;
  remove(): Promise<void>;
}

export interface VaultStore {
  read(personId: string): Promise<VaultRow | undefined>;
  write(personId: string, value: SealedValue): Promise<void>;
  /** Writes only if the row still has `version`; false when it changed or vanished. */
  replaceIf(personId: string, version: number, value: SealedValue): Promise<boolean>;
  remove(personId: string): Promise<void>;
  /**
   * Runs `fn` holding the person's lock across every replica sharing the database (PostgreSQL advisory
   * lock in a transaction; SQLite `BEGIN IMMEDIATE`). Writes through `LockedRow` are committed before
   * this resolves.
   */
  withLock<T>(personId: string, fn: (locked: LockedRow) => Promise<T>): Promise<T>;
  /** Rows sealed with a key other than `keyId`, at most `limit` (for re-encryption). */
  rowsNotSealedWith(keyId: string, limit: number): Promise<VaultRow[]>;

  putState(kind: string, id: string, personId: string | undefined, value: string, expiresAt: number): Promise<void>;
  getState(kind: string, id: string, now: number): Promise<string | undefined>;
  /** Reads and deletes in one step, so a code or refresh token is spent exactly once across replicas. */
  takeState(kind: string, id: string, now: number): Promise<string | undefined>;
  removePersonState(personId: string): Promise<number>;
  removeExpiredState(now: number): Promise<number>;

  /** Throws when the database cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
