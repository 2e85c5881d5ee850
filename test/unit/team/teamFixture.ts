// A team server's auth core on 127.0.0.1 for tests: the sandbox as Atlassian (its redirect list
// extended with our callback), a SQLite vault, the authorization server, a client ID metadata
// document at /client.json, and a protected resource the test supplies. Plus the person's part of
// signing in, done with plain HTTP the way a browser would.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtlassianOAuthClient } from '../../../src/auth/oauthClient';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import type { AccessClaims } from '../../../src/team/auth/accessTokens';
import { TeamAuthorizationServer } from '../../../src/team/auth/authorizationServer';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { openSqliteStore } from '../../../src/team/vault/sqliteStore';
import type { VaultStore } from '../../../src/team/vault/store';
import { TokenVault } from '../../../src/team/vault/tokenVault';
import type { SandboxUser } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';

export const ATLASSIAN_SCOPES = ['read:jira-work', 'read:me', 'offline_access'];
/** The redirect URI test clients register (a loopback one, as VS Code's). */
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/callback';

export interface TeamFixture {
  readonly sandbox: Sandbox;
  readonly issuer: string;
  /** `${issuer}/mcp`, the protected resource. */
  readonly resource: string;
  readonly store: VaultStore;
  readonly vault: TokenVault;
  readonly keys: KeyRing;
  readonly as: TeamAuthorizationServer;
  close(): Promise<void>;
}

export type ProtectedHandler = (
  fixture: TeamFixture,
  who: AccessClaims,
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<void>;

export async function startTeamFixture(onProtected: ProtectedHandler): Promise<TeamFixture> {
  const silent = createLogger(() => undefined, new SecretRedactor());
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'amb-team-'));
  const store = await openSqliteStore(join(dir, 'team.db'));
  const keys = KeyRing.parse(KeyRing.generateLine('k1'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = `${issuer}/mcp`;
  sandbox.settings.redirectUris.push(`${issuer}/oauth/callback`);
  const { authBaseUrl, apiBaseUrl, oauthClient } = sandbox.discovery;
  const now = () => sandbox.clock.now();
  const refresher = new AtlassianOAuthClient(
    { authBaseUrl, apiBaseUrl },
    { clientId: oauthClient.clientId, redirectUri: `${issuer}/oauth/callback`, scopes: ATLASSIAN_SCOPES },
    { now },
  );
  const vault = new TokenVault({ store, keys, refresher, clientSecret: oauthClient.clientSecret, log: silent, now });
  const as = new TeamAuthorizationServer({
    issuer,
    resource,
    store,
    vault,
    keys,
    atlassian: {
      endpoints: { authBaseUrl, apiBaseUrl },
      clientId: oauthClient.clientId,
      clientSecret: oauthClient.clientSecret,
      scopes: ATLASSIAN_SCOPES,
    },
    log: silent,
    now,
    allowLoopbackClientMetadata: true,
  });
  const fixture: TeamFixture = {
    sandbox,
    issuer,
    resource,
    store,
    vault,
    keys,
    as,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.on('request', (req, res) => {
    void (async () => {
      if (await as.handle(req, res)) return;
      if (req.url === '/client.json') {
        const document = {
          client_id: `${issuer}/client.json`,
          client_name: 'CIMD client',
          redirect_uris: [CLIENT_REDIRECT],
        };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(document));
        return;
      }
      const who = await as.authenticate(req);
      if (!who) return as.challenge(req, res);
      await onProtected(fixture, who, req, res);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  return fixture;
}

/** Follows /authorize to Atlassian, consents as `user`, then on our consent page picks sites and decides; returns where the client is sent back. */
export async function personSignsIn(
  { sandbox, issuer }: Pick<TeamFixture, 'sandbox' | 'issuer'>,
  authorize: string,
  user: SandboxUser,
  pickSite: (ids: string[]) => string[] = (ids) => [ids[0]!],
  decision: 'allow' | 'deny' = 'allow',
): Promise<URL> {
  const toAtlassian = await fetch(authorize, { redirect: 'manual' });
  assert.equal(toAtlassian.status, 302, await toAtlassian.clone().text());
  const atlassianUrl = toAtlassian.headers.get('location')!;
  assert.ok(atlassianUrl.startsWith(sandbox.discovery.authBaseUrl), atlassianUrl);
  assert.equal(new URL(atlassianUrl).searchParams.has('resource'), false, 'resource is not forwarded to Atlassian');
  const consentPage = await (await fetch(atlassianUrl)).text();
  const consent = /name="consent" value="([^"]+)"/.exec(consentPage)![1]!;
  const back = await fetch(`${sandbox.discovery.authBaseUrl}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ consent, account_id: user.accountId, decision: 'accept' }),
  });
  const callback = back.headers.get('location')!;
  assert.ok(callback.startsWith(`${issuer}/oauth/callback`), callback);
  const choicePage = await fetch(callback, { redirect: 'manual' });
  assert.equal(choicePage.status, 200, `our consent page: ${await choicePage.clone().text()}`);
  const html = await choicePage.text();
  assert.ok(html.includes(escapedRedirect(authorize)), 'the consent page names where the grant goes');
  // Browsers hold the redirect after the submit to form-action as well: the client's origin must be in it.
  const formAction = /form-action ([^;]+)/.exec(choicePage.headers.get('content-security-policy') ?? '')?.[1];
  const redirectTo = new URL(new URL(authorize).searchParams.get('redirect_uri')!);
  assert.deepEqual(formAction?.split(' '), ["'self'", redirectTo.origin]);
  const choice = /name="choice" value="([^"]+)"/.exec(html)![1]!;
  const ids = [...html.matchAll(/name="site" value="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(ids.length, 2);
  const form = new URLSearchParams({ choice, decision });
  for (const id of pickSite(ids)) form.append('site', id);
  const done = await fetch(`${issuer}/oauth/sites`, { method: 'POST', redirect: 'manual', body: form });
  assert.equal(done.status, 302, await done.clone().text());
  return new URL(done.headers.get('location')!);
}

function escapedRedirect(authorize: string): string {
  return new URL(authorize).searchParams.get('redirect_uri')!.replace(/&/g, '&amp;');
}
