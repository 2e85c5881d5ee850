// The real MCP SDK client (v1, the 2025-era flow: discovery from the 401, Dynamic Client Registration,
// PKCE, resource indicator) signs in to the team server's authorization server and calls a tool that
// reaches Atlassian with the signed-in person's own token; when our access token expires, the SDK
// refreshes it and the call goes on.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { USERS } from '../../sandbox/data/users';
import { CLIENT_REDIRECT, personSignsIn, startTeamFixture, type TeamFixture } from './teamFixture';

/** What an MCP host keeps for one server: its registration, tokens and the pending PKCE verifier. */
class MemoryOAuthProvider implements OAuthClientProvider {
  information: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;

  get redirectUrl(): string {
    return CLIENT_REDIRECT;
  }
  get clientMetadata() {
    return {
      client_name: 'SDK test host',
      redirect_uris: [CLIENT_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
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
}

describe('Team authorization server with the MCP SDK client', function () {
  this.timeout(30_000);
  let fixture: TeamFixture;

  beforeEach(async () => {
    fixture = await startTeamFixture(async (f, who, req, res) => {
      const mcp = new McpServer({ name: 'team-test', version: '0.0.0' });
      mcp.registerTool('whoami', { description: 'The Atlassian account the call runs as.' }, async () => {
        const me = await fetch(`${f.sandbox.discovery.apiBaseUrl}/me`, {
          headers: { Authorization: `Bearer ${await f.vault.accessToken(who.personId)}` },
        });
        const profile = (await me.json()) as { account_id: string };
        return { content: [{ type: 'text', text: profile.account_id }] };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    });
  });

  afterEach(() => fixture.close());

  async function connect(provider: MemoryOAuthProvider) {
    const client = new Client({ name: 'sdk-test', version: '0.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(fixture.resource), { authProvider: provider });
    await client.connect(transport);
    return client;
  }

  it('discovers, registers, signs the person in, calls a tool as them, and refreshes after expiry', async () => {
    const provider = new MemoryOAuthProvider();
    const first = new StreamableHTTPClientTransport(new URL(fixture.resource), { authProvider: provider });
    await assert.rejects(new Client({ name: 'sdk-test', version: '0.0.0' }).connect(first), UnauthorizedError);
    assert.ok(provider.information?.client_id, 'registered through DCR');
    const authorizationUrl = provider.authorizationUrl!;
    assert.equal(authorizationUrl.origin, fixture.issuer);
    assert.equal(authorizationUrl.searchParams.get('resource'), fixture.resource);

    const person = USERS[3]!;
    const back = await personSignsIn(fixture, authorizationUrl.toString(), person);
    await first.finishAuth(back.searchParams.get('code')!);
    assert.equal(decodeJwt(provider.saved!.access_token).aud, fixture.resource, 'the token is bound to the resource');

    const client = await connect(provider);
    const result = (await client.callTool({ name: 'whoami' })) as { content: { text: string }[] };
    assert.equal(result.content[0]!.text, person.accountId);
    await client.close();

    const spent = provider.saved!.refresh_token;
    fixture.sandbox.clock.advance(11 * 60_000); // our 10-minute access token has expired
    const again = await connect(provider);
    const later = (await again.callTool({ name: 'whoami' })) as { content: { text: string }[] };
    assert.equal(later.content[0]!.text, person.accountId);
    assert.notEqual(provider.saved!.refresh_token, spent, 'the SDK refreshed and got a rotated refresh token');
    await again.close();
  });
});
