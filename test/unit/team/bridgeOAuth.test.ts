// The real bridge process as the team server (`--auth oauth`), the sandbox as Atlassian, the MCP SDK
// v2 client with its OAuth provider in both eras: a 2026-07-28 client that names itself by a client
// ID metadata document (https) and a 2025-11-25 client that registers dynamically. Two people sign in
// through the real flow; each one's tool calls reach Atlassian with their own token (the sandbox's
// request log names the account behind every call) and only the sites they allowed. Forged, expired
// and wrong-audience tokens get 401; an administrator's sign-out ends a person's sessions; SIGTERM
// mid-call lets the call finish; the vault and the logs hold no plaintext Atlassian token.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/client';
import { SignJWT } from 'jose';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { USERS, type SandboxUser } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';
import { parseAuditLog } from '../../../src/core/auditLog';
import { bridgeBundle } from '../bridge/harness';
import { SecretScanner } from '../hardening/secretScan';
import { startTeamBridge, type TeamBridge } from './teamBridge';
import { CLIENT_REDIRECT, personSignsIn } from './teamFixture';

type Era = '2026-07-28' | '2025-11-25';

/** What an MCP host keeps for one server; with `metadataUrl` it identifies itself by that document. */
class HostProvider implements OAuthClientProvider {
  information: Awaited<ReturnType<OAuthClientProvider['clientInformation']>>;
  saved: Awaited<ReturnType<OAuthClientProvider['tokens']>>;
  verifier = '';
  authorizationUrl: URL | undefined;
  discovery: Awaited<ReturnType<NonNullable<OAuthClientProvider['discoveryState']>>>;
  constructor(readonly clientMetadataUrl?: string) {}
  get redirectUrl() {
    return CLIENT_REDIRECT;
  }
  get clientMetadata() {
    return {
      client_name: 'SDK v2 host',
      redirect_uris: [CLIENT_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: NonNullable<HostProvider['information']>) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: NonNullable<HostProvider['saved']>) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: NonNullable<HostProvider['discovery']>) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

function newClient(era: Era): Client {
  return new Client(
    { name: `team-test-${era}`, version: '1.0.0' },
    era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
}

async function callText(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
  };
  return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
}

describe('Team server in the bridge process (--auth oauth) with the SDK v2 client', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let bridge: TeamBridge;
  let metadataServer: Server;
  let metadataUrl: string;
  let certFile: string;
  let auditLog: string;
  const clients: Client[] = [];
  const run = promisify(execFile);

  before(async () => {
    sandbox = await startSandbox();
    // The 2026-07-28 client's metadata document, on https as the spec requires (a throw-away CA the bridge trusts).
    const { key, cert } = selfSignedCertificate('IP:127.0.0.1', '127.0.0.1');
    metadataServer = createHttpsServer({ key, cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ client_id: metadataUrl, client_name: 'SDK v2 host (CIMD)', redirect_uris: [CLIENT_REDIRECT] }),
      );
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    metadataUrl = `https://127.0.0.1:${(metadataServer.address() as AddressInfo).port}/mcp-client.json`;
    certFile = join(await bridgeBundle(), '..', 'cimd-ca.pem');
    writeFileSync(certFile, cert);
    auditLog = join(certFile, '..', 'team-audit.jsonl');
    bridge = await startTeamBridge(sandbox, {
      extraEnv: { NODE_EXTRA_CA_CERTS: certFile, ATLASSIAN_AUDIT_LOG: auditLog },
    });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await bridge?.stop();
    metadataServer?.close();
    await sandbox?.close();
  });

  const siteA = () => sandbox.discovery.sites[0]!.cloudId;
  const siteB = () => sandbox.discovery.sites[1]!.cloudId;

  /** The person signs in through the client's own OAuth flow; resolves to a connected client. */
  async function signIn(era: Era, person: SandboxUser, provider: HostProvider, allow: string): Promise<Client> {
    const first = new StreamableHTTPClientTransport(new URL(bridge.url), { authProvider: provider });
    await assert.rejects(newClient(era).connect(first), UnauthorizedError);
    const authorizationUrl = provider.authorizationUrl!;
    assert.equal(authorizationUrl.origin, bridge.origin, 'the bridge is the authorization server');
    assert.equal(authorizationUrl.searchParams.get('resource'), bridge.url);
    const back = await personSignsIn({ sandbox, issuer: bridge.origin }, authorizationUrl.toString(), person, (ids) =>
      ids.filter((id) => id === allow),
    );
    assert.equal(back.searchParams.get('iss'), bridge.origin, 'RFC 9207: the issuer comes back with the code');
    await first.finishAuth(back.searchParams);
    const client = newClient(era);
    await client.connect(new StreamableHTTPClientTransport(new URL(bridge.url), { authProvider: provider }));
    clients.push(client);
    return client;
  }

  const mcpPost = (token: string) =>
    fetch(bridge.url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });

  const myselfCalls = (person: SandboxUser) =>
    sandbox.log.entries({ path: /\/ex\/jira\/[^/]+\/rest\/api\/3\/myself$/, accountId: person.accountId });

  let ada: { person: SandboxUser; provider: HostProvider; client: Client };
  let grace: { person: SandboxUser; provider: HostProvider; client: Client };

  it('a request without a token gets the sign-in challenge; probes and metadata answer', async () => {
    const bare = await fetch(bridge.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(bare.status, 401);
    assert.equal(
      bare.headers.get('www-authenticate'),
      `Bearer resource_metadata="${bridge.origin}/.well-known/oauth-protected-resource/mcp", scope="mcp"`,
    );
    assert.equal((await fetch(`${bridge.origin}/healthz`)).status, 200);
    assert.equal((await fetch(`${bridge.origin}/readyz`)).status, 200);
    const as = (await (await fetch(`${bridge.origin}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(as.issuer, bridge.origin);
    assert.equal(as.client_id_metadata_document_supported, true);
    const withHost = (path: string, host: string) =>
      new Promise<number>((resolve, reject) =>
        request(`${bridge.origin}${path}`, { headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
          .on('error', reject)
          .end(),
      );
    assert.equal(
      await withHost('/.well-known/oauth-authorization-server', 'evil.example'),
      403,
      'the Host check stays in front of the OAuth routes',
    );
    assert.equal(await withHost('/readyz', '10.1.2.3:8000'), 200, "probes answer a kubelet's Host (the pod IP)");
  });

  it('2026-07-28 (metadata document) and 2025-11-25 (DCR): two people, each call with their own token and allowed site', async () => {
    const adaProvider = new HostProvider(metadataUrl);
    const adaClient = await signIn('2026-07-28', USERS[0]!, adaProvider, siteA());
    assert.equal(adaProvider.information?.client_id, metadataUrl, 'identified by its metadata document, no DCR');
    ada = { person: USERS[0]!, provider: adaProvider, client: adaClient };

    const graceProvider = new HostProvider();
    const graceClient = await signIn('2025-11-25', USERS[1]!, graceProvider, siteB());
    assert.ok(graceProvider.information?.client_id && graceProvider.information.client_id !== metadataUrl, 'DCR');
    grace = { person: USERS[1]!, provider: graceProvider, client: graceClient };

    // Interleaved calls of both people: each answer and each upstream request is the caller's own.
    const calls = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? ada : grace)).map(async (who) => ({
        who,
        result: await callText(who.client, 'jira_get_user_profile', { user_identifier: 'me' }),
      })),
    );
    for (const { who, result } of calls) {
      assert.equal(result.isError, false, result.text);
      assert.equal((JSON.parse(result.text) as { account_id: string }).account_id, who.person.accountId);
    }
    const adaUpstream = myselfCalls(ada.person);
    const graceUpstream = myselfCalls(grace.person);
    assert.equal(adaUpstream.length, 3, 'three of Ada’s calls reached Atlassian with her token');
    assert.equal(graceUpstream.length, 3, 'three of Grace’s calls reached Atlassian with hers');
    assert.ok(
      adaUpstream.every((e) => e.path.includes(siteA())) && graceUpstream.every((e) => e.path.includes(siteB())),
    );

    // Only the sites each person allowed.
    const adaSites = await callText(ada.client, 'atlassian_list_sites', {});
    assert.ok(adaSites.text.includes(siteA()) && !adaSites.text.includes(siteB()), adaSites.text);
    const elsewhere = await callText(ada.client, 'jira_get_user_profile', { user_identifier: 'me', site: siteB() });
    assert.equal(elsewhere.isError, true, 'a site Ada did not allow is not reachable');
    assert.equal(myselfCalls(ada.person).length, 3);

    const metrics = await (await fetch(`${bridge.origin}/metrics`)).text();
    assert.match(metrics, /amb_team_tool_calls_total\{tool="jira_get_user_profile",outcome="ok"\} 6/);
    assert.match(metrics, /amb_team_active_users 2/);
    assert.ok(!metrics.includes(ada.person.accountId), 'no label names a person');

    // Each person's writes are recorded under their account id, with no token (docs/audit-log.md).
    await callText(ada.client, 'jira_add_comment', { issue_key: 'ENG-1', body: 'Audited' });
    await callText(grace.client, 'jira_add_comment', { issue_key: 'ENG-1', body: 'Audited' });
    const text = readFileSync(auditLog, 'utf8');
    assert.deepEqual(
      parseAuditLog(text).map((e) => [e.tool, e.person]),
      [
        ['jira_add_comment', ada.person.accountId],
        ['jira_add_comment', grace.person.accountId],
      ],
    );
    const scanner = new SecretScanner();
    scanner.scan(auditLog, text);
    assert.equal(scanner.findings.length, 0, scanner.report());
  });

  it('forged, expired and wrong-audience tokens get 401', async () => {
    const good = String(ada.provider.saved!.access_token);
    assert.equal((await mcpPost(good)).status, 200);
    const keys = KeyRing.parse(bridge.env.TEAM_VAULT_KEYS!);
    const sign = (key: Uint8Array, audience: string, expires: number | string) =>
      new SignJWT({ client_id: metadataUrl, scope: 'mcp', sites: [siteA()] })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
        .setIssuer(bridge.origin)
        .setAudience(audience)
        .setSubject(ada.person.accountId)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 1200)
        .setExpirationTime(expires)
        .sign(key);
    const ourKey = keys.derive('k1', 'amb-team-access-token');
    const forged = await sign(
      KeyRing.parse(KeyRing.generateLine('k1')).derive('k1', 'amb-team-access-token'),
      bridge.url,
      '5m',
    );
    const expired = await sign(ourKey, bridge.url, Math.floor(Date.now() / 1000) - 60);
    const otherAudience = await sign(ourKey, 'https://other.example/mcp', '5m');
    for (const [what, token] of Object.entries({ forged, expired, otherAudience, garbage: 'not-a-token' })) {
      const answer = await mcpPost(token);
      assert.equal(answer.status, 401, what);
      assert.match(answer.headers.get('www-authenticate')!, /error="invalid_token"/, what);
    }
    assert.equal(
      (await sign(ourKey, bridge.url, '5m').then(mcpPost)).status,
      200,
      'the same claims, properly signed, pass',
    );
  });

  it("an administrator's sign-out ends that person's sessions at once; the other person carries on", async () => {
    const { stdout } = await run(process.execPath, [await bridgeBundle(), 'team', 'signout', grace.person.accountId], {
      env: { ...process.env, ...bridge.env },
    });
    assert.match(stdout, /^Signed out 712020:/);
    assert.equal((await mcpPost(String(grace.provider.saved!.access_token))).status, 401);
    assert.equal((await mcpPost(String(ada.provider.saved!.access_token))).status, 200);
  });

  it('SIGTERM mid-call: /readyz 503, new calls 503, the call in flight finishes as its person, then exit 0', async () => {
    sandbox.faults.add({ kind: 'delay', ms: 1500, path: /\/rest\/api\/3\/myself$/, times: 1 });
    const before = myselfCalls(ada.person).length;
    const inFlight = callText(ada.client, 'jira_get_user_profile', { user_identifier: 'me' });
    // The call is in flight once the sandbox holds it (the delay fault has hit).
    while (!sandbox.faults.list().some((f) => f.hits > 0)) await new Promise((r) => setImmediate(r));
    bridge.child.kill('SIGTERM');
    await bridge.waitForLog(/^SIGTERM: finishing requests in flight/);
    assert.equal((await fetch(`${bridge.origin}/readyz`)).status, 503, 'the load balancer stops sending');
    const late = await mcpPost(String(ada.provider.saved!.access_token));
    assert.equal(late.status, 503, 'a request arriving now is refused, to be retried on another replica');
    assert.equal(late.headers.get('retry-after'), '1');
    const result = await inFlight;
    assert.equal(result.isError, false, result.text);
    assert.equal((JSON.parse(result.text) as { account_id: string }).account_id, ada.person.accountId);
    assert.equal(myselfCalls(ada.person).length, before + 1);
    assert.equal(await bridge.exited, 0);
    await assert.rejects(fetch(`${bridge.origin}/healthz`), 'no longer listening');
  });

  it('the vault and the logs hold no plaintext Atlassian token; key rotation re-seals the rows', async () => {
    for (const file of readdirSync(bridge.dir)) {
      const bytes = readFileSync(join(bridge.dir, file)).toString('latin1');
      assert.ok(!/sbx_(at|rt)_/.test(bytes), `${file} holds no Atlassian token`);
    }
    assert.ok(!/sbx_(at|rt)_/.test(bridge.stdout() + bridge.stderr()), 'no token in the logs');
    const rotated = `${KeyRing.generateLine('k2')}\n${bridge.env.TEAM_VAULT_KEYS}`;
    const { stdout } = await run(process.execPath, [await bridgeBundle(), 'team', 'reencrypt'], {
      env: { ...process.env, ...bridge.env, TEAM_VAULT_KEYS: rotated },
    });
    assert.equal(stdout.trim(), 'Re-sealed 1 row(s) with the current vault key.');
  });
});

describe('Team server settings and loading (--auth oauth)', function () {
  this.timeout(60_000);
  const bridgeIn = async (dir: string, args: string[], env: Record<string, string> = {}, input = '') =>
    spawnSync(process.execPath, [join(dir, 'bridge.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      input,
    });

  it('stdio never loads dist/team.js: without it the bridge serves, and only --auth oauth says it is missing', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'amb-no-team-'));
    copyFileSync(await bridgeBundle(), join(alone, 'bridge.js'));
    copyFileSync(join(dirname(await bridgeBundle()), 'bridge-server.js'), join(alone, 'bridge-server.js'));
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const stdio = await bridgeIn(alone, [], {}, `${JSON.stringify(initialize)}\n`);
    assert.match(stdio.stdout, /"protocolVersion":"2025-11-25"/, stdio.stderr);
    const oauth = await bridgeIn(alone, ['--transport', 'streamable-http', '--auth', 'oauth', '--port', '0']);
    assert.equal(oauth.status, 1);
    assert.match(oauth.stderr, /team\.js/);
  });

  it('refuses incomplete team settings with exit code 2 and a plain message', async () => {
    const dir = join(await bridgeBundle(), '..');
    const stdioOauth = await bridgeIn(dir, ['--auth', 'oauth']);
    assert.equal(stdioOauth.status, 2);
    assert.match(stdioOauth.stderr, /--auth oauth needs --transport streamable-http/);
    const noUrl = await bridgeIn(dir, ['--transport', 'streamable-http', '--auth', 'oauth', '--port', '0']);
    assert.equal(noUrl.status, 2);
    assert.match(noUrl.stderr, /TEAM_PUBLIC_URL is required with --auth oauth/);
    const usage = await bridgeIn(dir, ['team', 'signout']);
    assert.equal(usage.status, 2);
    assert.match(usage.stdout, /Usage: bridge team signout <Atlassian account id>/);
  });
});
