// The shared store for several replicas: PostgreSQL through `pg`. A person's refresh lock is a
// transaction-scoped advisory lock, so it is released by COMMIT, ROLLBACK or a dropped connection
// (a replica killed mid-refresh cannot leave it held).
import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { SealedValue } from './keyRing';
import type { LockedRow, VaultRow, VaultStore } from './store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS team_vault (
  person_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, sealed BYTEA NOT NULL, version BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS team_auth_state (
  kind TEXT NOT NULL, id TEXT NOT NULL, person_id TEXT, value TEXT NOT NULL, expires_at BIGINT NOT NULL,
  PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS team_auth_state_person ON team_auth_state (person_id);`;

/** Distinguishes our advisory locks from any other application's on the same database. */
const LOCK_NAMESPACE = 'amb-team-vault:';

interface Row {
  person_id: string;
  key_id: string;
  sealed: Buffer;
  version: string;
}

const toRow = (row: Row): VaultRow => ({
  personId: row.person_id,
  keyId: row.key_id,
  sealed: row.sealed,
  version: Number(row.version),
});

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * Connects, creates the tables if needed; `pg` is loaded only when PostgreSQL is the chosen store.
 * `onIdleError` hears of idle connections the server dropped (a restart, a failover); the next query
 * reconnects or fails on its own.
 */
export async function openPostgresStore(
  config: PoolConfig,
  onIdleError: (err: Error) => void = () => undefined,
): Promise<VaultStore> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool(config);
  // Without a listener, a dropped idle connection is an uncaught 'error' that ends the process.
  pool.on('error', onIdleError);
  const client = await pool.connect();
  try {
    // Replicas starting together would race on CREATE TABLE IF NOT EXISTS; serialise them.
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`${LOCK_NAMESPACE}schema`]);
    await client.query(SCHEMA);
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`${LOCK_NAMESPACE}schema`]);
  } finally {
    client.release();
  }
  return new PostgresStore(pool);
}

class PostgresStore implements VaultStore {
  constructor(private readonly pool: Pool) {}

  read(personId: string): Promise<VaultRow | undefined> {
    return readRow(this.pool, personId);
  }

  write(personId: string, value: SealedValue): Promise<void> {
    return writeRow(this.pool, personId, value);
  }

  async replaceIf(personId: string, version: number, value: SealedValue): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE team_vault SET key_id = $1, sealed = $2, version = version + 1 WHERE person_id = $3 AND version = $4',
      [value.keyId, value.sealed, personId, version],
    );
    return result.rowCount === 1;
  }

  async remove(personId: string): Promise<void> {
    await this.pool.query('DELETE FROM team_vault WHERE person_id = $1', [personId]);
  }

  async withLock<T>(personId: string, fn: (locked: LockedRow) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [LOCK_NAMESPACE + personId]);
      const result = await fn({
        row: await readRow(client, personId),
        write: (value) => writeRow(client, personId, value),
        remove: async () => {
          await client.query('DELETE FROM team_vault WHERE person_id = $1', [personId]);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async rowsNotSealedWith(keyId: string, limit: number): Promise<VaultRow[]> {
    const result = await this.pool.query<Row>(
      'SELECT person_id, key_id, sealed, version FROM team_vault WHERE key_id <> $1 LIMIT $2',
      [keyId, limit],
    );
    return result.rows.map(toRow);
  }

  async putState(kind: string, id: string, personId: string | undefined, value: string, expiresAt: number) {
    await this.pool.query(
      `INSERT INTO team_auth_state (kind, id, person_id, value, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, id) DO UPDATE SET person_id = excluded.person_id, value = excluded.value,
       expires_at = excluded.expires_at`,
      [kind, id, personId ?? null, value, expiresAt],
    );
  }

  async getState(kind: string, id: string, now: number): Promise<string | undefined> {
    const result = await this.pool.query<{ value: string }>(
      'SELECT value FROM team_auth_state WHERE kind = $1 AND id = $2 AND expires_at > $3',
      [kind, id, now],
    );
    return result.rows[0]?.value;
  }

  async takeState(kind: string, id: string, now: number): Promise<string | undefined> {
    const result = await this.pool.query<{ value: string; expires_at: string }>(
      'DELETE FROM team_auth_state WHERE kind = $1 AND id = $2 RETURNING value, expires_at',
      [kind, id],
    );
    const row = result.rows[0];
    return row && Number(row.expires_at) > now ? row.value : undefined;
  }

  async removePersonState(personId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM team_auth_state WHERE person_id = $1', [personId])).rowCount ?? 0;
  }

  async removeExpiredState(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM team_auth_state WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

async function readRow(db: Queryable, personId: string): Promise<VaultRow | undefined> {
  const result = await db.query<Row>('SELECT person_id, key_id, sealed, version FROM team_vault WHERE person_id = $1', [
    personId,
  ]);
  return result.rows[0] && toRow(result.rows[0]);
}

async function writeRow(db: Queryable, personId: string, value: SealedValue): Promise<void> {
  await db.query(
    `INSERT INTO team_vault (person_id, key_id, sealed, version) VALUES ($1, $2, $3, 1)
     ON CONFLICT (person_id) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
     version = team_vault.version + 1`,
    [personId, value.keyId, value.sealed],
  );
}
