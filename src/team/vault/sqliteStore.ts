// The embedded store: one SQLite file, for a single replica with zero set-up. The driver is Node's
// built-in `node:sqlite` where it exists (Node 24: nothing to compile) and better-sqlite3 v12 on
// Node 20. Both are synchronous, so no transaction may stay open across an await (a refresh is an
// HTTP call): a person's refresh lock is a lease row taken inside `BEGIN IMMEDIATE` (so two processes
// sharing the file cannot both win it), held while the refresh runs, then released.
import { randomUUID } from 'node:crypto';
import type { SealedValue } from './keyRing';
import type { LockedRow, VaultRow, VaultStore } from './store';

const LEASE_MS = 30_000;
const LEASE_POLL_MS = 20;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS team_vault (
  person_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, sealed BLOB NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS team_locks (person_id TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS team_auth_state (
  kind TEXT NOT NULL, id TEXT NOT NULL, person_id TEXT, value TEXT NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS team_auth_state_person ON team_auth_state (person_id);`;

/** What this store uses of either driver (their APIs agree on it). */
interface SqlStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint };
}
interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

interface Row {
  person_id: string;
  key_id: string;
  /** Buffer from better-sqlite3, Uint8Array from node:sqlite. */
  sealed: Uint8Array;
  version: number;
}

const toRow = (row: Row): VaultRow => ({
  personId: row.person_id,
  keyId: row.key_id,
  sealed: Buffer.from(row.sealed),
  version: Number(row.version),
});
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opens (and creates) the store; the driver is loaded only here, when SQLite is the chosen store. */
export async function openSqliteStore(file: string): Promise<VaultStore> {
  const db = await openDatabase(file);
  db.exec('PRAGMA journal_mode = WAL');
  // Statements are all short; a brief wait covers another process's transaction.
  db.exec('PRAGMA busy_timeout = 2000');
  db.exec(SCHEMA);
  return new SqliteStore(db);
}

async function openDatabase(file: string): Promise<SqlDatabase> {
  const builtin = await import('node:sqlite').catch(() => undefined); // absent before Node 22.13
  if (builtin) return new builtin.DatabaseSync(file);
  // An optional dependency: its native build may have been skipped where node:sqlite is the driver.
  const driver = await import('better-sqlite3').catch((err: unknown) => {
    throw new Error('SQLite needs Node 22.13 or later (node:sqlite), or the better-sqlite3 package installed.', {
      cause: err,
    });
  });
  return new driver.default(file);
}

class SqliteStore implements VaultStore {
  /** This process's lock holders per person, so callers in one process queue here instead of polling. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(private readonly db: SqlDatabase) {}

  async read(personId: string): Promise<VaultRow | undefined> {
    const row = this.db
      .prepare('SELECT person_id, key_id, sealed, version FROM team_vault WHERE person_id = ?')
      .get(personId) as Row | undefined;
    return row && toRow(row);
  }

  async write(personId: string, value: SealedValue): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO team_vault (person_id, key_id, sealed, version) VALUES (?, ?, ?, 1)
         ON CONFLICT (person_id) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
         version = team_vault.version + 1`,
      )
      .run(personId, value.keyId, value.sealed);
  }

  async replaceIf(personId: string, version: number, value: SealedValue): Promise<boolean> {
    const result = this.db
      .prepare(
        'UPDATE team_vault SET key_id = ?, sealed = ?, version = version + 1 WHERE person_id = ? AND version = ?',
      )
      .run(value.keyId, value.sealed, personId, version);
    return Number(result.changes) === 1;
  }

  async remove(personId: string): Promise<void> {
    this.db.prepare('DELETE FROM team_vault WHERE person_id = ?').run(personId);
  }

  async withLock<T>(personId: string, fn: (locked: LockedRow) => Promise<T>): Promise<T> {
    const previous = this.local.get(personId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.withLease(personId, fn));
    this.local.set(personId, run);
    try {
      return await run;
    } finally {
      if (this.local.get(personId) === run) this.local.delete(personId);
    }
  }

  async rowsNotSealedWith(keyId: string, limit: number): Promise<VaultRow[]> {
    const rows = this.db
      .prepare('SELECT person_id, key_id, sealed, version FROM team_vault WHERE key_id <> ? LIMIT ?')
      .all(keyId, limit) as Row[];
    return rows.map(toRow);
  }

  async putState(kind: string, id: string, personId: string | undefined, value: string, expiresAt: number) {
    this.db
      .prepare('INSERT OR REPLACE INTO team_auth_state (kind, id, person_id, value, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(kind, id, personId ?? null, value, expiresAt);
  }

  async getState(kind: string, id: string, now: number): Promise<string | undefined> {
    const row = this.db
      .prepare('SELECT value FROM team_auth_state WHERE kind = ? AND id = ? AND expires_at > ?')
      .get(kind, id, now) as { value: string } | undefined;
    return row?.value;
  }

  async takeState(kind: string, id: string, now: number): Promise<string | undefined> {
    const row = this.db
      .prepare('DELETE FROM team_auth_state WHERE kind = ? AND id = ? RETURNING value, expires_at')
      .get(kind, id) as { value: string; expires_at: number } | undefined;
    return row && row.expires_at > now ? row.value : undefined;
  }

  async removePersonState(personId: string): Promise<number> {
    return Number(this.db.prepare('DELETE FROM team_auth_state WHERE person_id = ?').run(personId).changes);
  }

  async removeExpiredState(now: number): Promise<number> {
    return Number(this.db.prepare('DELETE FROM team_auth_state WHERE expires_at <= ?').run(now).changes);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private async withLease<T>(personId: string, fn: (locked: LockedRow) => Promise<T>): Promise<T> {
    const owner = randomUUID();
    while (!this.tryLease(personId, owner)) await delay(LEASE_POLL_MS);
    try {
      return await fn({
        row: await this.read(personId),
        write: (value) => this.write(personId, value),
        remove: () => this.remove(personId),
      });
    } finally {
      this.db.prepare('DELETE FROM team_locks WHERE person_id = ? AND owner = ?').run(personId, owner);
    }
  }

  /** One short write transaction: take the lease when it is free or its holder's time ran out. */
  private tryLease(personId: string, owner: string): boolean {
    const now = Date.now();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const held = this.db.prepare('SELECT until FROM team_locks WHERE person_id = ?').get(personId) as
        { until: number } | undefined;
      const free = !held || held.until <= now;
      if (free)
        this.db
          .prepare('INSERT OR REPLACE INTO team_locks (person_id, owner, until) VALUES (?, ?, ?)')
          .run(personId, owner, now + LEASE_MS);
      this.db.exec('COMMIT');
      return free;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
