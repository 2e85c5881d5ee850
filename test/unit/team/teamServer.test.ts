// The team server's composition from its settings: config parsing, then one instance on SQLite against
// the sandbox serving health, readiness, metrics and OAuth discovery, refreshing a person's token, and
// writing JSON logs that never carry a token.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretRedactor } from '../../../src/core/redact';
import { parseTeamConfig, TeamConfigError } from '../../../src/team/config';
import { createJsonLogger } from '../../../src/team/ops/jsonLog';
import { createTeamServer } from '../../../src/team/teamServer';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { startSandbox } from '../../sandbox/index';

const BASE_ENV = {
  TEAM_PUBLIC_URL: 'https://mcp.example.com',
  ATLASSIAN_OAUTH_CLIENT_ID: 'client-id',
  ATLASSIAN_OAUTH_CLIENT_SECRET: 'client-secret',
  TEAM_VAULT_KEYS: KeyRing.generateLine('k1'),
};

describe('Team server configuration', () => {
  it('defaults to SQLite and Atlassian Cloud; PostgreSQL when a database URL is given; secrets from files', () => {
    const config = parseTeamConfig(BASE_ENV);
    assert.equal(config.publicUrl, 'https://mcp.example.com');
    assert.deepEqual(config.database, { kind: 'sqlite', file: 'team-vault.db' });
    assert.equal(config.atlassian.authBaseUrl, 'https://auth.atlassian.com');
    assert.ok(config.atlassian.scopes.includes('offline_access'));
    assert.equal(config.upstreamConcurrency, 16);

    const dir = mkdtempSync(join(tmpdir(), 'amb-cfg-'));
    try {
      writeFileSync(join(dir, 'secret'), 'from-file\n');
      writeFileSync(join(dir, 'db'), 'postgresql://team@db:5432/team\n');
      const fromFiles = parseTeamConfig({
        ...BASE_ENV,
        ATLASSIAN_OAUTH_CLIENT_SECRET: undefined,
        ATLASSIAN_OAUTH_CLIENT_SECRET_FILE: join(dir, 'secret'),
        TEAM_DATABASE_URL_FILE: join(dir, 'db'),
      });
      assert.equal(fromFiles.atlassian.clientSecret, 'from-file');
      assert.deepEqual(fromFiles.database, { kind: 'postgres', url: 'postgresql://team@db:5432/team' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what would break sign-in: no public URL, plain http off loopback, a path, scopes without offline_access or read:me', () => {
    assert.throws(() => parseTeamConfig({ ...BASE_ENV, TEAM_PUBLIC_URL: undefined }), /TEAM_PUBLIC_URL is required/);
    assert.throws(() => parseTeamConfig({ ...BASE_ENV, TEAM_PUBLIC_URL: 'http://mcp.example.com' }), /https/);
    assert.throws(() => parseTeamConfig({ ...BASE_ENV, TEAM_PUBLIC_URL: 'https://mcp.example.com/x' }), /origin only/);
    assert.throws(
      () => parseTeamConfig({ ...BASE_ENV, ATLASSIAN_OAUTH_SCOPES: 'read:jira-work read:me' }),
      /offline_access/,
    );
    assert.throws(() => parseTeamConfig({ ...BASE_ENV, TEAM_VAULT_KEYS: undefined }), TeamConfigError);
    assert.equal(
      parseTeamConfig({ ...BASE_ENV, TEAM_PUBLIC_URL: 'http://127.0.0.1:8080' }).publicUrl,
      'http://127.0.0.1:8080',
    );
  });
});

describe('Team server composition (SQLite, against the sandbox)', function () {
  this.timeout(30_000);

  it('serves health, readiness, metrics and discovery; refreshes a person; logs JSON with no token', async () => {
    const sandbox = await startSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'amb-team-'));
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    const log = createJsonLogger((line) => lines.push(line), redactor, { minLevel: 'debug' });
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
    const team = await createTeamServer(
      parseTeamConfig({
        ...BASE_ENV,
        TEAM_PUBLIC_URL: origin,
        ATLASSIAN_OAUTH_CLIENT_ID: oauthClient.clientId,
        ATLASSIAN_OAUTH_CLIENT_SECRET: oauthClient.clientSecret,
        ATLASSIAN_AUTH_BASE_URL: authBaseUrl,
        ATLASSIAN_API_BASE_URL: apiBaseUrl,
        TEAM_SQLITE_FILE: join(dir, 'vault.db'),
      }),
      { log, redactor, now: () => sandbox.clock.now() },
    );
    http.on('request', (req, res) => {
      void team.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    try {
      assert.equal((await fetch(`${origin}/healthz`)).status, 200);
      assert.equal((await fetch(`${origin}/readyz`)).status, 200);
      const metadata = (await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json()) as {
        resource: string;
      };
      assert.equal(metadata.resource, `${origin}/mcp`);
      assert.equal((await fetch(`${origin}/elsewhere`)).status, 404, 'other paths are left to the caller');

      const issued = sandbox.tokens.issue({ scopes: ['read:me', 'read:jira-work', 'offline_access'] });
      const person = 'ada';
      await team.vault.save(person, {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: sandbox.clock.now() + issued.expires_in * 1000,
        scopes: ['read:me'],
      });
      sandbox.clock.advance(3600_000);
      const fresh = await team.vault.accessToken(person);
      const me = await team.upstreamFetch(person)(`${apiBaseUrl}/me`, {
        headers: { Authorization: `Bearer ${fresh}` },
      });
      assert.equal(me.status, 200);
      log.info('refreshed with %s and %s', fresh, issued.refresh_token);

      const metrics = await (await fetch(`${origin}/metrics`)).text();
      assert.match(metrics, /amb_team_token_refreshes_total\{outcome="refreshed"\} 1/);
      assert.match(metrics, /amb_team_upstream_responses_total\{status="200"\} 1/);
      for (const line of lines) JSON.parse(line);
      const everything = lines.join('') + metrics;
      for (const token of [issued.access_token, issued.refresh_token!, fresh]) assert.ok(!everything.includes(token));

      team.drain();
      assert.equal((await fetch(`${origin}/readyz`)).status, 503);
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await team.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
