// The token vault against the sandbox's rotating refresh tokens, on both stores: SQLite (a file) and
// a real PostgreSQL started from Debian's binaries. Several vault instances over one database stand
// in for replicas, each with its own connection(s).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AtlassianOAuthClient } from '../../../src/auth/oauthClient';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { openPostgresStore } from '../../../src/team/vault/postgresStore';
import { openSqliteStore } from '../../../src/team/vault/sqliteStore';
import type { VaultStore } from '../../../src/team/vault/store';
import { SignInAgainError, TokenVault, type RefreshOutcome } from '../../../src/team/vault/tokenVault';
import { startPostgres, type TestPostgres } from '../../harness/postgres';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';

const SCOPES = ['read:jira-work', 'read:me', 'offline_access'];
const silent = createLogger(() => undefined, new SecretRedactor());
const REPLICAS = 3;
const CALLERS_PER_REPLICA = 12;
const EXPIRIES = 4;

interface Backend {
  /** A new store over the same database, as another replica would open it. */
  open(): Promise<VaultStore>;
  /** Every byte the database keeps on disk (files) or returns for raw rows. */
  rawBytes(): Promise<Buffer>;
  dispose(): Promise<void>;
}

function allFiles(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) parts.push(allFiles(path));
    else parts.push(readFileSync(path));
  }
  return Buffer.concat(parts);
}

const backends: [string, () => Promise<Backend>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'amb-vault-'));
      const file = join(dir, 'vault.db');
      return {
        open: () => openSqliteStore(file),
        rawBytes: async () => allFiles(dir),
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const server: TestPostgres = await startPostgres();
      const stores: VaultStore[] = [];
      return {
        open: async () => {
          const store = await openPostgresStore({ connectionString: server.connectionString, max: 4 });
          stores.push(store);
          return store;
        },
        rawBytes: async () => {
          const client = new pg.Client({ connectionString: server.connectionString });
          await client.connect();
          const rows = await client.query('SELECT t::text AS row FROM team_vault t');
          await client.query('CHECKPOINT');
          await client.end();
          // The rows as text, and every file of the cluster (tables, WAL) once flushed.
          return Buffer.concat([
            Buffer.from(rows.rows.map((r: { row: string }) => r.row).join('\n')),
            allFiles(server.dataDir),
          ]);
        },
        dispose: async () => {
          await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
          await server.stop();
        },
      };
    },
  ],
];

for (const [name, makeBackend] of backends) {
  describe(`TokenVault on ${name}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let backend: Backend;
    let oauth: AtlassianOAuthClient;
    let keys: KeyRing;

    before(async () => {
      backend = await makeBackend();
    });
    after(() => backend.dispose());

    beforeEach(async () => {
      // No reuse leeway: a second refresh with a rotated-out token revokes the grant at once.
      sandbox = await startSandbox({ refreshGraceSeconds: 0 });
      const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
      oauth = new AtlassianOAuthClient(
        { authBaseUrl, apiBaseUrl },
        { clientId: oauthClient.clientId, redirectUri: oauthClient.redirectUris[0]!, scopes: SCOPES },
        { now: () => sandbox.clock.now() },
      );
      keys = KeyRing.parse(KeyRing.generateLine('k1'));
    });
    afterEach(() => sandbox.close());

    const refreshes = () => sandbox.log.count({ method: 'POST', path: '/auth/oauth/token' });

    function vault(store: VaultStore, ring = keys, extra: Partial<ConstructorParameters<typeof TokenVault>[0]> = {}) {
      return new TokenVault({
        store,
        keys: ring,
        refresher: oauth,
        clientSecret: sandbox.discovery.oauthClient.clientSecret,
        log: silent,
        now: () => sandbox.clock.now(),
        ...extra,
      });
    }

    function issue(user = USERS[0]!) {
      const t = sandbox.tokens.issue({ user, scopes: SCOPES });
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: sandbox.clock.now() + t.expires_in * 1000,
        scopes: SCOPES,
      };
    }

    it(`${REPLICAS} replicas x ${CALLERS_PER_REPLICA} callers through ${EXPIRIES} expiries: one refresh per expiry, no invalid_grant, no plaintext at rest`, async () => {
      const stores = await Promise.all(Array.from({ length: REPLICAS }, () => backend.open()));
      const outcomes: RefreshOutcome[] = [];
      const replicas = stores.map((store) => vault(store, keys, { onRefresh: (o) => outcomes.push(o) }));
      const person = `ada-${name}`;
      const first = issue();
      await replicas[0]!.save(person, first);
      const seen = new Set<string>([first.accessToken, first.refreshToken!]);

      for (let round = 1; round <= EXPIRIES; round++) {
        sandbox.clock.advance(3600_000 + 1000);
        const tokens = await Promise.all(
          replicas.flatMap((replica) => Array.from({ length: CALLERS_PER_REPLICA }, () => replica.accessToken(person))),
        );
        assert.equal(new Set(tokens).size, 1, `round ${round}: every caller got the same fresh token`);
        assert.equal(refreshes(), round, `round ${round}: exactly one refresh reached Atlassian`);
        const me = await fetch(`${sandbox.discovery.apiBaseUrl}/me`, {
          headers: { Authorization: `Bearer ${tokens[0]}` },
        });
        assert.equal(me.status, 200, 'the refreshed token works upstream');
        seen.add(tokens[0]!);
      }
      assert.deepEqual(outcomes, Array(EXPIRIES).fill('refreshed'));
      assert.equal(sandbox.log.count({ path: '/auth/oauth/token', status: 403 }), 0, 'no invalid_grant');

      const raw = await backend.rawBytes();
      assert.ok(raw.length > 0);
      for (const token of seen) assert.equal(raw.includes(token), false, 'no token in plaintext at rest');
      await Promise.all(stores.map((s) => s.close()));
    });

    it('a revoked grant ends the person\'s sessions and says "sign in again", on every replica', async () => {
      const [a, b] = [await backend.open(), await backend.open()];
      const person = `grace-${name}`;
      const signedOut: string[] = [];
      const replicaA = vault(a, keys, { onSignedOut: (p) => void signedOut.push(p) });
      const replicaB = vault(b);
      const tokens = issue(USERS[1]);
      await replicaA.save(person, tokens);
      await a.putState('refresh', `rt-of-${person}`, person, '{}', sandbox.clock.now() + 3600_000);
      sandbox.tokens.revokeFamily(tokens.refreshToken!);
      sandbox.clock.advance(3600_000 + 1000);

      await assert.rejects(replicaA.accessToken(person), (err: unknown) => {
        assert.ok(err instanceof SignInAgainError);
        assert.match(err.message, /Sign in again.*no longer accepts/);
        return true;
      });
      assert.deepEqual(signedOut, [person]);
      assert.equal(await a.getState('refresh', `rt-of-${person}`, sandbox.clock.now()), undefined);
      await assert.rejects(replicaB.accessToken(person), /Sign in again.*not signed in/);
      assert.equal(refreshes(), 1, 'one failed refresh, not one per replica');
      await Promise.all([a.close(), b.close()]);
    });

    it('key rotation: a new key seals, old rows still open, re-sealed lazily and by reencryptAll', async () => {
      const store = await backend.open();
      for (const row of await store.rowsNotSealedWith('', 1000)) await store.remove(row.personId); // earlier tests' rows
      const oldLine = KeyRing.generateLine('old');
      const newLine = KeyRing.generateLine('new');
      const oldRing = KeyRing.parse(oldLine);
      const people = [`p1-${name}`, `p2-${name}`, `p3-${name}`];
      for (const person of people) await vault(store, oldRing).save(person, issue());
      const rotated = KeyRing.parse(`${newLine}\n${oldLine}`);
      const afterRotation = vault(store, rotated);

      await afterRotation.accessToken(people[0]!); // read: re-sealed lazily
      assert.equal((await store.read(people[0]!))?.keyId, 'new');
      assert.equal((await store.read(people[1]!))?.keyId, 'old');
      assert.ok((await afterRotation.reencryptAll()) >= 2);
      for (const person of people) assert.equal((await store.read(person))?.keyId, 'new');

      const newOnly = vault(store, KeyRing.parse(newLine));
      for (const person of people) assert.ok(await newOnly.accessToken(person));
      await assert.rejects(vault(store, oldRing).accessToken(people[0]!), /"new" is not loaded/);
      await store.close();
    });
  });
}

describe('KeyRing', () => {
  it('seals with the first key, binds the person, and refuses a malformed ring without echoing keys', () => {
    const ring = KeyRing.parse(`# comment\n${KeyRing.generateLine('a')}\n${KeyRing.generateLine('b')}`);
    const sealed = ring.seal('secret', 'person-1');
    assert.equal(sealed.keyId, 'a');
    assert.equal(ring.open(sealed, 'person-1'), 'secret');
    assert.throws(() => ring.open(sealed, 'person-2'), /unable to authenticate/i);
    assert.throws(() => KeyRing.parse('a:c2hvcnQ='), /must be 32 bytes/);
    assert.throws(
      () => KeyRing.parse('no-colon-here'),
      (err: Error) => !err.message.includes('no-colon-here'),
    );
    assert.throws(() => KeyRing.parse(''), /empty/);
  });
});
