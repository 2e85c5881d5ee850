// The team server's authorization server driven end to end with plain HTTP: an MCP client registers
// (DCR) or names itself by a metadata document, the person signs in to the sandbox's Atlassian
// through the team's 3LO app and picks a site, the client gets audience-bound tokens and calls the
// protected resource, which reaches Atlassian with that person's own token.

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KeyRing } from '../../../src/team/vault/keyRing';
import { USERS } from '../../sandbox/data/users';
import type { Sandbox } from '../../sandbox/index';
import { CLIENT_REDIRECT, personSignsIn, startTeamFixture, type TeamFixture } from './teamFixture';

describe('Team authorization server (MCP authorization in front of Atlassian 3LO)', function () {
  this.timeout(30_000);
  let fixture: TeamFixture;
  let sandbox: Sandbox;
  let issuer: string;
  let resource: string;
  let keys: KeyRing;

  beforeEach(async () => {
    fixture = await startTeamFixture(async (f, who, _req, res) => {
      // The protected resource calls Atlassian with the person's own token from the vault.
      const me = await fetch(`${f.sandbox.discovery.apiBaseUrl}/me`, {
        headers: { Authorization: `Bearer ${await f.vault.accessToken(who.personId)}` },
      });
      const profile = (await me.json()) as { account_id: string };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ personId: who.personId, sites: who.sites, atlassianAccount: profile.account_id }));
    });
    ({ sandbox, issuer, resource, keys } = fixture);
  });

  afterEach(() => fixture.close());

  async function register(redirectUris = [CLIENT_REDIRECT]): Promise<string> {
    const response = await fetch(`${issuer}/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'Test client', redirect_uris: redirectUris }),
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { client_id: string }).client_id;
  }

  function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): string {
    const url = new URL(`${issuer}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'client-state',
      scope: 'mcp',
      resource,
      ...extra,
    }).toString();
    return url.toString();
  }

  /** The person's part (Atlassian consent as `user`, then the site choice); returns the client's redirect. */
  const signIn = (authorize: string, user = USERS[0]!, pickSite?: (ids: string[]) => string[]) =>
    personSignsIn(fixture, authorize, user, pickSite);

  async function token(params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(params) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function exchange(clientId: string, code: string, verifier: string) {
    return token({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      code_verifier: verifier,
      redirect_uri: CLIENT_REDIRECT,
      resource,
    });
  }

  const callMcp = (accessToken?: string) =>
    fetch(resource, { method: 'POST', headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {} });

  it('discovery: 401 names the resource metadata, which names the authorization server and its metadata', async () => {
    const unauthorized = await callMcp();
    assert.equal(unauthorized.status, 401);
    const challenge = unauthorized.headers.get('www-authenticate')!;
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1]!;
    assert.equal(metadataUrl, `${issuer}/.well-known/oauth-protected-resource/mcp`);
    const prm = (await (await fetch(metadataUrl)).json()) as { resource: string; authorization_servers: string[] };
    assert.equal(prm.resource, resource);
    assert.deepEqual(prm.authorization_servers, [issuer]);
    const asm = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(asm.issuer, issuer);
    assert.deepEqual(asm.code_challenge_methods_supported, ['S256']);
    assert.equal(asm.client_id_metadata_document_supported, true);
    assert.equal(asm.registration_endpoint, `${issuer}/register`);
  });

  it('the authorization response puts `code` after another parameter (VS Code for the Web looks for `[?&]code=`)', async () => {
    // VS Code's dynamic auth provider reads the code with /[?&]code=/ from a query that has no leading
    // `?` (microsoft/vscode#312105): in code-server a response starting with `code=` signs nobody in.
    const clientId = await register();
    const back = await signIn(authorizeUrl(clientId, pkce().challenge));
    assert.match(back.search.slice(1), /&code=/);
    assert.doesNotMatch(back.search.slice(1), /^code=/);
  });

  it("DCR client: sign-in, site choice, tokens bound to the resource, calls carry the person's own Atlassian identity, rotation", async () => {
    const clientId = await register();
    const { verifier, challenge } = pkce();
    // Any loopback port is accepted for a registered loopback redirect (RFC 8252 §7.3): use the registered one here.
    const redirectBack = await signIn(authorizeUrl(clientId, challenge), USERS[1]);
    assert.equal(redirectBack.origin + redirectBack.pathname, CLIENT_REDIRECT);
    assert.equal(redirectBack.searchParams.get('state'), 'client-state');
    assert.equal(redirectBack.searchParams.get('iss'), issuer);
    const tokens = await exchange(clientId, redirectBack.searchParams.get('code')!, verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.expires_in, 600);

    const call = await callMcp(String(tokens.body.access_token));
    assert.equal(call.status, 200);
    const who = (await call.json()) as { personId: string; atlassianAccount: string; sites: string[] };
    assert.equal(who.personId, USERS[1]!.accountId);
    assert.equal(who.atlassianAccount, USERS[1]!.accountId, "the upstream call used Grace's own token");
    assert.equal(who.sites.length, 1);

    // The code is single-use.
    assert.equal(
      (await exchange(clientId, redirectBack.searchParams.get('code')!, verifier)).body.error,
      'invalid_grant',
    );

    // Refresh rotates; the spent refresh token presented again revokes the family.
    const rotated = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(tokens.body.refresh_token),
    });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.refresh_token, tokens.body.refresh_token);
    const reuse = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(tokens.body.refresh_token),
    });
    assert.equal(reuse.body.error, 'invalid_grant');
    const afterReuse = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(rotated.body.refresh_token),
    });
    assert.equal(afterReuse.body.error, 'invalid_grant', 'the whole family is revoked');

    // Nothing MCP-specific reached Atlassian; the team app's secret did (the sandbox refuses exchanges without it).
    for (const entry of sandbox.log.entries({ path: /^\/auth\// })) assert.doesNotMatch(entry.url, /resource=/);
    assert.equal(sandbox.log.count({ method: 'POST', path: '/auth/oauth/token', status: 200 }), 1);
  });

  it('a client ID metadata document client signs in with a different loopback port; two people keep their own identities', async () => {
    const clientId = `${issuer}/client.json`;
    const people = [USERS[0]!, USERS[2]!];
    const identities: string[] = [];
    for (const person of people) {
      const { verifier, challenge } = pkce();
      const otherPort = 'http://127.0.0.1:51999/callback';
      const back = await signIn(authorizeUrl(clientId, challenge, { redirect_uri: otherPort }), person, (ids) => ids);
      assert.equal(back.origin, 'http://127.0.0.1:51999');
      const tokens = await token({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: back.searchParams.get('code')!,
        code_verifier: verifier,
        redirect_uri: otherPort,
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const who = (await (await callMcp(String(tokens.body.access_token))).json()) as {
        atlassianAccount: string;
        sites: string[];
      };
      assert.equal(who.sites.length, 2);
      identities.push(who.atlassianAccount);
    }
    assert.deepEqual(
      identities,
      people.map((p) => p.accountId),
    );
  });

  it('refuses: unknown redirect, no PKCE or plain PKCE, wrong verifier, other resource; forged, expired and wrong-audience tokens get 401', async () => {
    const clientId = await register();
    const { challenge } = pkce();
    const badRedirect = await fetch(
      authorizeUrl(clientId, challenge, { redirect_uri: 'http://127.0.0.1:33418/other' }),
      { redirect: 'manual' },
    );
    assert.equal(badRedirect.status, 400, 'an unregistered redirect is never followed');
    const noPkce = await fetch(authorizeUrl(clientId, challenge, { code_challenge_method: 'plain' }), {
      redirect: 'manual',
    });
    assert.equal(new URL(noPkce.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const otherResource = await fetch(
      authorizeUrl(clientId, challenge, { resource: 'https://elsewhere.example/mcp' }),
      { redirect: 'manual' },
    );
    assert.equal(new URL(otherResource.headers.get('location')!).searchParams.get('error'), 'invalid_target');
    // code-server's port proxy collapses `//` in the query: the same resource, read as a URL.
    const proxied = await fetch(authorizeUrl(clientId, challenge, { resource: resource.replace('://', ':/') }), {
      redirect: 'manual',
    });
    assert.ok(proxied.headers.get('location')!.startsWith(sandbox.discovery.authBaseUrl), 'on to Atlassian');
    assert.equal(
      (
        await fetch(`${issuer}/register`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ redirect_uris: ['http://evil.example/cb'] }),
        })
      ).status,
      400,
    );

    const back = await signIn(authorizeUrl(clientId, challenge));
    const wrong = await exchange(clientId, back.searchParams.get('code')!, pkce().verifier);
    assert.equal(wrong.body.error, 'invalid_grant');

    const again = pkce();
    const good = await exchange(
      clientId,
      (await signIn(authorizeUrl(clientId, again.challenge))).searchParams.get('code')!,
      again.verifier,
    );
    const accessToken = String(good.body.access_token);
    assert.equal((await callMcp(accessToken)).status, 200);

    assert.equal((await callMcp('not-a-token')).status, 401);
    const tampered = accessToken.slice(0, -4) + (accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.equal((await callMcp(tampered)).status, 401);
    const wrongAudience = await new SignJWT({ client_id: clientId, scope: 'mcp', sites: [] })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('https://other-server.example/mcp')
      .setSubject(USERS[0]!.accountId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(keys.derive('k1', 'amb-team-access-token'));
    const rejected = await callMcp(wrongAudience);
    assert.equal(rejected.status, 401);
    assert.match(rejected.headers.get('www-authenticate')!, /error="invalid_token"/);
    sandbox.clock.advance(601_000);
    assert.equal((await callMcp(accessToken)).status, 401, 'expired after 10 minutes');
  });

  it("when Atlassian revokes the grant, the person's sessions end: access and refresh tokens stop working", async () => {
    const clientId = await register();
    const { verifier, challenge } = pkce();
    const tokens = await exchange(
      clientId,
      (await signIn(authorizeUrl(clientId, challenge))).searchParams.get('code')!,
      verifier,
    );
    sandbox.tokens.revokeAll({ accessTokens: true });
    // Later: the Atlassian token is inside the vault's refresh margin; the client refreshes ours first.
    sandbox.clock.advance(3600_000 - 60_000);
    const renewed = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(tokens.body.refresh_token),
    });
    assert.equal(renewed.status, 200);
    const ourToken = String(renewed.body.access_token);
    const failing = await callMcp(ourToken);
    assert.equal(failing.status, 500);
    assert.match(await failing.text(), /Sign in again to the team server: Atlassian no longer accepts/);
    assert.equal((await callMcp(ourToken)).status, 401, 'the person is signed out everywhere');
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(renewed.body.refresh_token),
    });
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  it('our own consent names the client and its redirect; Deny sends access_denied back and issues no code', async () => {
    const clientId = await register();
    const { challenge } = pkce();
    const back = await personSignsIn(fixture, authorizeUrl(clientId, challenge), USERS[0]!, (ids) => [ids[0]!], 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(back.searchParams.get('state'), 'client-state');
  });
});
