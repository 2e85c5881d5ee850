// Two team-server replicas over one real PostgreSQL behind a round-robin proxy (each request to the
// other replica): a sign-in begun on one finishes on the other, and when the person's Atlassian
// token expires under concurrent calls spread over both, Atlassian sees exactly one refresh.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretRedactor } from '../../../src/core/redact';
import { parseTeamConfig } from '../../../src/team/config';
import { createJsonLogger } from '../../../src/team/ops/jsonLog';
import { createTeamServer, type TeamServer } from '../../../src/team/teamServer';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { startPostgres, type TestPostgres } from '../../harness/postgres';
import { USERS } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { CLIENT_REDIRECT, personSignsIn } from './teamFixture';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('Team server replicas sharing PostgreSQL', function () {
  this.timeout(60_000);
  let pg: TestPostgres;
  let sandbox: Sandbox;
  const servers: Server[] = [];
  const replicas: TeamServer[] = [];
  const served: number[] = [0, 0];
  let origin: string;

  before(async () => {
    pg = await startPostgres();
    sandbox = await startSandbox();
    const proxy = createServer();
    servers.push(proxy);
    origin = `http://127.0.0.1:${await listen(proxy)}`;
    sandbox.settings.redirectUris.push(`${origin}/oauth/callback`);
    const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
    const env = {
      TEAM_PUBLIC_URL: origin,
      ATLASSIAN_OAUTH_CLIENT_ID: oauthClient.clientId,
      ATLASSIAN_OAUTH_CLIENT_SECRET: oauthClient.clientSecret,
      ATLASSIAN_AUTH_BASE_URL: authBaseUrl,
      ATLASSIAN_API_BASE_URL: apiBaseUrl,
      ATLASSIAN_OAUTH_SCOPES: 'read:jira-work read:me offline_access',
      TEAM_DATABASE_URL: pg.connectionString,
      TEAM_VAULT_KEYS: KeyRing.generateLine('k1'),
    };
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const redactor = new SecretRedactor();
      const log = createJsonLogger(() => undefined, redactor);
      const team = await createTeamServer(parseTeamConfig(env), { log, redactor, now: () => sandbox.clock.now() });
      replicas.push(team);
      const server = createServer((req, res) => {
        served[i]!++;
        void (async () => {
          if (await team.handle(req, res)) return;
          const who = await team.authenticate(req);
          if (!who) return team.challenge(req, res);
          const fetchUpstream = team.upstreamFetch(who.personId);
          const me = await fetchUpstream(`${apiBaseUrl}/me`, {
            headers: { Authorization: `Bearer ${await team.vault.accessToken(who.personId)}` },
          });
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ replica: i, account: ((await me.json()) as { account_id: string }).account_id }));
        })().catch((err: unknown) => res.writeHead(500).end(String(err)));
      });
      servers.push(server);
      ports.push(await listen(server));
    }
    let next = 0;
    proxy.on('request', (req, res) => {
      const port = ports[next++ % ports.length]!;
      const upstream = request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.all(replicas.map((r) => r.close()));
    await sandbox.close();
    await pg.stop();
  });

  it('sign-in crosses replicas; concurrent calls on both through an expiry cause one Atlassian refresh', async () => {
    const registered = await fetch(`${origin}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT] }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${origin}/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: `${origin}/mcp`,
    }).toString();
    const person = USERS[4]!;
    const back = await personSignsIn({ sandbox, issuer: origin }, authorize.toString(), person);
    const tokenResponse = await fetch(`${origin}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: back.searchParams.get('code')!,
        code_verifier: verifier,
        redirect_uri: CLIENT_REDIRECT,
      }),
    });
    assert.equal(tokenResponse.status, 200);
    const first = (await tokenResponse.json()) as { refresh_token: string };

    const refreshesBefore = sandbox.log.count({ method: 'POST', path: '/auth/oauth/token' });
    // Later: Atlassian's token is inside the refresh margin, ours has expired; the client refreshes ours.
    sandbox.clock.advance(3600_000 - 30_000);
    const renewed = await fetch(`${origin}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: first.refresh_token,
      }),
    });
    assert.equal(renewed.status, 200);
    const { access_token: accessToken } = (await renewed.json()) as { access_token: string };

    const calls = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${origin}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` } }),
      ),
    );
    const bodies = (await Promise.all(calls.map((c) => c.json()))) as { replica: number; account: string }[];
    assert.deepEqual([...new Set(calls.map((c) => c.status))], [200]);
    assert.deepEqual([...new Set(bodies.map((b) => b.account))], [person.accountId], 'every call ran as the person');
    assert.deepEqual([...new Set(bodies.map((b) => b.replica))].sort(), [0, 1], 'both replicas served calls');
    assert.equal(
      sandbox.log.count({ method: 'POST', path: '/auth/oauth/token' }) - refreshesBefore,
      1,
      'one Atlassian refresh for the whole team server',
    );
    const metrics = await Promise.all(replicas.map((r) => r.metrics.exposition()));
    const refreshed = metrics.filter((m) => /amb_team_token_refreshes_total\{outcome="refreshed"\} 1/.test(m.body));
    assert.equal(refreshed.length, 1, 'exactly one replica refreshed');
  });
});
