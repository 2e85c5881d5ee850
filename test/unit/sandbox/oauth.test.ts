import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import type { TokenResponse } from '../../sandbox/oauth';
import { USERS } from '../../sandbox/data/users';
import {
  REDIRECT_URI,
  authorizeParams,
  authorizeUrl,
  bearer,
  codeGrant,
  obtainCode,
  openConsent,
  refreshGrant,
  signIn,
  submitConsent,
  tokenRequest,
} from './platform-support';

const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' };

describe('sandbox OAuth 2.0 (3LO)', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  async function authorize(overrides: Record<string, string | undefined>): Promise<Response> {
    return fetch(authorizeUrl(sandbox, authorizeParams(sandbox, overrides)), { redirect: 'manual' });
  }

  /** Asserts the authorize call bounced back to the app with this error, and returns the params. */
  async function expectRedirectError(
    overrides: Record<string, string | undefined>,
    error: string,
  ): Promise<URLSearchParams> {
    const res = await authorize(overrides);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), error);
    assert.equal(location.searchParams.get('code'), null);
    return location.searchParams;
  }

  async function expectErrorPage(overrides: Record<string, string | undefined>, text: RegExp): Promise<void> {
    const res = await authorize(overrides);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null, 'never redirects');
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), text);
  }

  describe('GET /authorize', () => {
    it('shows a consent page that works without JavaScript', async () => {
      const res = await authorize({});
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<form method="post"/);
      assert.doesNotMatch(html, /<script/i);
      assert.match(html, /<button[^>]*name="decision" value="accept"[^>]*>Accept<\/button>/);
      assert.match(html, /<button[^>]*name="decision" value="deny"[^>]*>Deny<\/button>/);
      assert.match(html, /Atlassian MCP Bridge/);
      for (const scope of ['read:jira-work', 'write:jira-work', 'read:me', 'offline_access'])
        assert.ok(html.includes(scope), scope);
      for (const user of USERS) assert.ok(html.includes(user.displayName), user.displayName);
      assert.match(html, /<option value="[^"]+" selected>Ada Lovelace/);
    });

    it('shows an error page, never a redirect, for an unknown or missing client_id', async () => {
      await expectErrorPage({ client_id: 'someone-else' }, /Invalid client_id/);
      await expectErrorPage({ client_id: undefined }, /Invalid client_id/);
    });

    it('shows an error page, never a redirect, for a redirect_uri that is not registered exactly', async () => {
      for (const redirectUri of [
        'http://127.0.0.1:40000/callback',
        'http://localhost:27418/callback',
        'http://127.0.0.1:27418/callback/',
        'https://127.0.0.1:27418/callback',
        'http://127.0.0.1:27418/other',
        undefined,
      ]) {
        await expectErrorPage({ redirect_uri: redirectUri }, /redirect_uri is not registered for client/);
      }
    });

    it('accepts any registered redirect_uri', async () => {
      const other = await startSandbox({ redirectUris: ['http://127.0.0.1:9/a', 'http://localhost:7777/cb'] });
      try {
        const res = await fetch(
          authorizeUrl(other, authorizeParams(other, { redirect_uri: 'http://localhost:7777/cb' })),
        );
        assert.equal(res.status, 200);
        await res.text();
      } finally {
        await other.close();
      }
    });

    it('sends the other validation errors back to the registered redirect with the state', async () => {
      const noAudience = await expectRedirectError({ audience: undefined }, 'invalid_request');
      assert.equal(noAudience.get('state'), 'state-123');
      await expectRedirectError({ audience: 'api.example.com' }, 'invalid_request');
      await expectRedirectError({ response_type: 'token' }, 'unsupported_response_type');
      await expectRedirectError({ response_type: undefined }, 'unsupported_response_type');
      await expectRedirectError({ scope: undefined }, 'invalid_scope');
      await expectRedirectError({ scope: 'read:jira-work admin:everything' }, 'invalid_scope');
      await expectRedirectError({ code_challenge: 'abc', code_challenge_method: 'S512' }, 'invalid_request');
      const noState = await expectRedirectError({ state: undefined }, 'invalid_request');
      assert.equal(noState.get('state'), null);
    });

    it('accepts scopes separated by %20 or by +', async () => {
      const scope = 'read:jira-work read:me offline_access';
      for (const plus of [false, true]) {
        const url = authorizeUrl(sandbox, authorizeParams(sandbox, { scope }), plus);
        assert.equal(url.includes('+'), plus);
        const html = await (await fetch(url)).text();
        const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1] ?? '';
        const code = new URL(await submitConsent(sandbox, consent, 'accept')).searchParams.get('code') ?? '';
        const tokens = (await (await tokenRequest(sandbox, codeGrant(sandbox, code))).json()) as TokenResponse;
        assert.equal(tokens.scope, scope);
      }
    });
  });

  describe('consent form', () => {
    it('Accept redirects to the callback with a code and the state', async () => {
      const location = new URL(await submitConsent(sandbox, await openConsent(sandbox), 'accept'));
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.match(location.searchParams.get('code') ?? '', /^sbx_code_/);
      assert.equal(location.searchParams.get('state'), 'state-123');
    });

    it('Deny redirects with access_denied, Atlassian description and the state', async () => {
      const location = await submitConsent(sandbox, await openConsent(sandbox), 'deny');
      assert.equal(
        location,
        `${REDIRECT_URI}?error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=state-123`,
      );
    });

    it('refuses a consent form submitted twice', async () => {
      const consent = await openConsent(sandbox);
      await submitConsent(sandbox, consent, 'accept');
      const form = new URLSearchParams({ consent, decision: 'accept' });
      const res = await fetch(`${sandbox.discovery.authBaseUrl}/authorize`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
    });

    it('signs in as the user picked on the form', async () => {
      const grace = USERS[1]!;
      const tokens = await signIn(sandbox, {}, grace.accountId);
      const me = (await (
        await fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) })
      ).json()) as Record<string, unknown>;
      assert.equal(me.account_id, grace.accountId);
      assert.equal(me.email, grace.email);
    });
  });

  describe('POST /oauth/token (authorization_code)', () => {
    it("returns Atlassian's token response", async () => {
      const tokens = await signIn(sandbox);
      assert.deepEqual(Object.keys(tokens).sort(), [
        'access_token',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.equal(tokens.scope, 'read:jira-work write:jira-work read:me offline_access');
      assert.match(tokens.access_token, /^sbx_at_/);
      assert.match(tokens.refresh_token ?? '', /^sbx_rt_/);
    });

    it('gives no refresh token without offline_access', async () => {
      const tokens = await signIn(sandbox, { scope: 'read:jira-work read:me' });
      assert.equal(tokens.refresh_token, undefined);
      assert.equal('refresh_token' in tokens, false);
    });

    it('accepts a form-urlencoded body too', async () => {
      const code = await obtainCode(sandbox);
      const res = await tokenRequest(sandbox, codeGrant(sandbox, code), true);
      assert.equal(res.status, 200);
    });

    it('codes are single-use', async () => {
      const code = await obtainCode(sandbox);
      assert.equal((await tokenRequest(sandbox, codeGrant(sandbox, code))).status, 200);
      const again = await tokenRequest(sandbox, codeGrant(sandbox, code));
      assert.equal(again.status, 403);
      assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    });

    it('codes expire after authorizationCodeTtlSeconds', async () => {
      const code = await obtainCode(sandbox);
      sandbox.clock.advance(61_000);
      const res = await tokenRequest(sandbox, codeGrant(sandbox, code));
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    });

    it('a code is bound to its redirect_uri', async () => {
      const code = await obtainCode(sandbox);
      const res = await tokenRequest(
        sandbox,
        codeGrant(sandbox, code, { redirect_uri: 'http://127.0.0.1:27418/elsewhere' }),
      );
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
    });

    it('rejects an unknown code', async () => {
      const res = await tokenRequest(sandbox, codeGrant(sandbox, 'sbx_code_made-up'));
      assert.equal(res.status, 403);
    });

    it('a missing or wrong client_secret is 401 access_denied', async () => {
      for (const clientSecret of [undefined, 'wrong']) {
        const code = await obtainCode(sandbox);
        const res = await tokenRequest(sandbox, codeGrant(sandbox, code, { client_secret: clientSecret }));
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), { error: 'access_denied', error_description: 'Unauthorized' });
      }
    });

    it('a wrong client_id is 401 access_denied', async () => {
      const code = await obtainCode(sandbox);
      const res = await tokenRequest(sandbox, codeGrant(sandbox, code, { client_id: 'other-app' }));
      assert.equal(res.status, 401);
    });

    it('rejects an unsupported grant type', async () => {
      const res = await tokenRequest(sandbox, { grant_type: 'password', client_id: 'x' });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'unsupported_grant_type');
    });

    it('a malformed JSON body is an OAuth-shaped 400', async () => {
      const res = await fetch(`${sandbox.discovery.authBaseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"grant_type":',
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    });

    describe('PKCE (S256)', () => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };

      it('accepts the matching code_verifier', async () => {
        const code = await obtainCode(sandbox, pkce);
        assert.equal((await tokenRequest(sandbox, codeGrant(sandbox, code, { code_verifier: verifier }))).status, 200);
      });

      it('rejects a wrong or missing code_verifier', async () => {
        for (const codeVerifier of ['wrong-verifier-wrong-verifier-wrong-verifier-123', undefined]) {
          const code = await obtainCode(sandbox, pkce);
          const res = await tokenRequest(sandbox, codeGrant(sandbox, code, { code_verifier: codeVerifier }));
          assert.equal(res.status, 403);
          assert.deepEqual(await res.json(), {
            error: 'invalid_grant',
            error_description: 'Failed to verify code verifier',
          });
        }
      });

      it('still requires the client secret', async () => {
        const code = await obtainCode(sandbox, pkce);
        const res = await tokenRequest(
          sandbox,
          codeGrant(sandbox, code, { code_verifier: verifier, client_secret: undefined }),
        );
        assert.equal(res.status, 401);
      });
    });
  });

  describe('POST /oauth/token (refresh_token)', () => {
    async function refresh(token: string): Promise<Response> {
      return tokenRequest(sandbox, refreshGrant(sandbox, token));
    }

    async function refreshOk(token: string): Promise<TokenResponse> {
      const res = await refresh(token);
      assert.equal(res.status, 200);
      return (await res.json()) as TokenResponse;
    }

    async function expectInvalid(token: string): Promise<void> {
      const res = await refresh(token);
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), INVALID_REFRESH);
    }

    it('rotates: each refresh returns a new refresh token and a working access token', async () => {
      const first = await signIn(sandbox);
      const second = await refreshOk(first.refresh_token!);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.notEqual(second.access_token, first.access_token);
      assert.equal(second.scope, first.scope);
      assert.equal(second.token_type, 'Bearer');
      const me = await fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(second.access_token) });
      assert.equal(me.status, 200);
    });

    it('the previous refresh token keeps working inside the grace period', async () => {
      const first = await signIn(sandbox);
      await refreshOk(first.refresh_token!);
      sandbox.clock.advance(9 * 60_000);
      await refreshOk(first.refresh_token!);
    });

    it('reuse after the grace period revokes the whole family, newest token included', async () => {
      const first = await signIn(sandbox);
      const second = await refreshOk(first.refresh_token!);
      sandbox.clock.advance(10 * 60_000 + 1_000);
      await expectInvalid(first.refresh_token!);
      await expectInvalid(second.refresh_token!);
    });

    it('the newest token rotates on without ever reaching the grace limit', async () => {
      let tokens = await signIn(sandbox);
      for (let i = 0; i < 3; i++) {
        sandbox.clock.advance(30 * 60_000);
        tokens = await refreshOk(tokens.refresh_token!);
      }
    });

    it('honours a custom refreshGraceSeconds', async () => {
      const strict = await startSandbox({ refreshGraceSeconds: 3 });
      try {
        const first = await signIn(strict);
        assert.equal((await tokenRequest(strict, refreshGrant(strict, first.refresh_token!))).status, 200);
        strict.clock.advance(4_000);
        assert.equal((await tokenRequest(strict, refreshGrant(strict, first.refresh_token!))).status, 403);
      } finally {
        await strict.close();
      }
    });

    it('refresh tokens expire after 90 idle days', async () => {
      const first = await signIn(sandbox);
      sandbox.clock.advance(91 * 24 * 3600_000);
      await expectInvalid(first.refresh_token!);
    });

    it('refresh tokens expire 365 days after consent even when used', async () => {
      let tokens = await signIn(sandbox);
      for (let day = 0; day < 360; day += 60) {
        sandbox.clock.advance(60 * 24 * 3600_000);
        tokens = await refreshOk(tokens.refresh_token!);
      }
      sandbox.clock.advance(10 * 24 * 3600_000);
      await expectInvalid(tokens.refresh_token!);
    });

    it('rejects unknown tokens and a revoked family', async () => {
      await expectInvalid('sbx_rt_made-up');
      const first = await signIn(sandbox);
      const second = await refreshOk(first.refresh_token!);
      assert.equal(sandbox.tokens.revokeFamily(first.refresh_token!), true);
      await expectInvalid(second.refresh_token!);
    });

    it('still requires the client secret', async () => {
      const first = await signIn(sandbox);
      const res = await tokenRequest(sandbox, {
        ...refreshGrant(sandbox, first.refresh_token!),
        client_secret: undefined,
      });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: 'access_denied', error_description: 'Unauthorized' });
    });

    it('50 concurrent refreshes with one token all succeed inside the grace and are all logged', async () => {
      const first = await signIn(sandbox);
      sandbox.log.clear();
      const responses = await Promise.all(Array.from({ length: 50 }, () => refresh(first.refresh_token!)));
      assert.deepEqual(new Set(responses.map((res) => res.status)), new Set([200]));
      const refreshTokens = await Promise.all(
        responses.map(async (res) => ((await res.json()) as TokenResponse).refresh_token),
      );
      assert.equal(new Set(refreshTokens).size, 50);
      assert.equal(sandbox.log.count({ method: 'POST', path: '/auth/oauth/token' }), 50);
    });
  });

  describe('access tokens', () => {
    async function meStatus(token: string): Promise<number> {
      const res = await fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(token) });
      await res.arrayBuffer();
      return res.status;
    }

    it('expire after accessTokenTtlSeconds on the sandbox clock', async () => {
      const tokens = await signIn(sandbox);
      sandbox.clock.advance(3599_000);
      assert.equal(await meStatus(tokens.access_token), 200);
      sandbox.clock.advance(1_000);
      assert.equal(await meStatus(tokens.access_token), 401);
    });

    it('honour a custom accessTokenTtlSeconds', async () => {
      const short = await startSandbox({ accessTokenTtlSeconds: 60 });
      try {
        const tokens = await signIn(short);
        assert.equal(tokens.expires_in, 60);
        short.clock.advance(60_000);
        const res = await fetch(`${short.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) });
        assert.equal(res.status, 401);
      } finally {
        await short.close();
      }
    });

    it('can be force-expired, all or one', async () => {
      const a = await signIn(sandbox);
      const b = await signIn(sandbox);
      assert.equal(sandbox.tokens.expireAccessToken(a.access_token), true);
      assert.equal(await meStatus(a.access_token), 401);
      assert.equal(await meStatus(b.access_token), 200);
      sandbox.tokens.expireAccessTokens();
      assert.equal(await meStatus(b.access_token), 401);
    });

    it('revokeAll kills refresh families, and access tokens when asked', async () => {
      const tokens = await signIn(sandbox);
      sandbox.tokens.revokeAll();
      assert.equal(await meStatus(tokens.access_token), 200);
      assert.equal((await tokenRequest(sandbox, refreshGrant(sandbox, tokens.refresh_token!))).status, 403);
      sandbox.tokens.revokeAll({ accessTokens: true });
      assert.equal(await meStatus(tokens.access_token), 401);
    });

    it('can be minted directly for tests that are not about signing in', async () => {
      const tokens = sandbox.tokens.issue({ scopes: ['read:me', 'offline_access'], user: USERS[2] });
      assert.ok(tokens.refresh_token);
      const me = (await (
        await fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) })
      ).json()) as { email: string };
      assert.equal(me.email, USERS[2]!.email);
    });
  });
});
