import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import {
  authorizeParams,
  authorizeUrl,
  basic,
  bearer,
  openConsent,
  refreshGrant,
  signIn,
  tokenRequest,
} from './platform-support';

describe('sandbox faults, request log and control endpoints', () => {
  let sandbox: Sandbox;
  const ada = USERS[0]!;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  function acmeUrl(): string {
    return sandbox.discovery.sites[0]!.url;
  }

  function myself(): Promise<Response> {
    return fetch(`${acmeUrl()}/rest/api/3/myself`, { headers: basic(ada.email, ada.apiToken) });
  }

  async function status(res: Promise<Response>): Promise<number> {
    const done = await res;
    await done.arrayBuffer();
    return done.status;
  }

  describe('faults', () => {
    it('429 carries Retry-After, X-RateLimit-Reset, RateLimit-Reason and NearLimit, then clears after `times`', async () => {
      sandbox.faults.add({
        path: '/sites/acme/rest/api/3/myself',
        kind: 'rateLimit',
        retryAfterSeconds: 7,
        reason: 'jira-quota-tenant-based',
        nearLimit: true,
        times: 1,
      });
      const now = sandbox.clock.now();
      const res = await myself();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(res.headers.get('ratelimit-reason'), 'jira-quota-tenant-based');
      assert.equal(res.headers.get('x-ratelimit-nearlimit'), 'true');
      const reset = res.headers.get('x-ratelimit-reset') ?? '';
      assert.match(reset, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
      assert.ok(Math.abs(Date.parse(reset.replace('Z', ':00Z')) - (now + 7000)) < 61_000);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json; ?charset=utf-8$/i);
      assert.deepEqual(await res.json(), { errorMessages: ['Rate limit exceeded.'], errors: {} });
      assert.equal(await status(myself()), 200);
    });

    it('defaults to a burst 429 without NearLimit', async () => {
      sandbox.faults.add({ path: '/sites/*/rest/**', kind: 'rateLimit' });
      const res = await myself();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(res.headers.get('ratelimit-reason'), 'jira-burst-based');
      assert.equal(res.headers.get('x-ratelimit-nearlimit'), null);
      await res.arrayBuffer();
    });

    it('enforceRetryAfter answers early retries with the remaining wait, on the sandbox clock', async () => {
      sandbox.faults.add({
        path: '/sites/acme/**',
        kind: 'rateLimit',
        retryAfterSeconds: 10,
        enforceRetryAfter: true,
        times: 1,
      });
      assert.equal(await status(myself()), 429);
      sandbox.clock.advance(4_000);
      const early = await myself();
      assert.equal(early.status, 429);
      assert.equal(early.headers.get('retry-after'), '6');
      await early.arrayBuffer();
      sandbox.clock.advance(6_000);
      assert.equal(await status(myself()), 200);
    });

    it('matches on method and path glob; other routes are untouched', async () => {
      sandbox.faults.add({ method: 'POST', path: '/sites/*/rest/api/3/myself', kind: 'error', status: 500 });
      assert.equal(await status(myself()), 200);
      sandbox.faults.add({ method: 'get', path: '/sites/globex/**', kind: 'error', status: 500 });
      assert.equal(await status(myself()), 200);
      sandbox.faults.add({ path: /\/myself$/, kind: 'error', status: 502 });
      assert.equal(await status(myself()), 502);
    });

    it("5xx in the product's error shape, with an optional Retry-After; stays until cleared", async () => {
      sandbox.faults.add({ path: '/sites/acme/wiki/**', kind: 'error', status: 503, retryAfterSeconds: 2 });
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${acmeUrl()}/wiki/api/v2/spaces`, { headers: basic(ada.email, ada.apiToken) });
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('retry-after'), '2');
        const body = (await res.json()) as { errors: { status: number }[] };
        assert.equal(body.errors[0]?.status, 503);
      }
      sandbox.faults.clear();
      const res = await fetch(`${acmeUrl()}/wiki/api/v2/spaces`, { headers: basic(ada.email, ada.apiToken) });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    });

    it('faults apply before authentication, and to the token endpoint in OAuth shape', async () => {
      sandbox.faults.add({ method: 'POST', path: '/auth/oauth/token', kind: 'rateLimit', times: 1 });
      const res = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: 'x' });
      assert.equal(res.status, 429);
      assert.deepEqual(await res.json(), { error: 'too_many_requests', error_description: 'Rate limit exceeded.' });
    });

    it('delays a response by the given milliseconds', async () => {
      sandbox.faults.add({ path: '/sites/acme/rest/api/3/myself', kind: 'delay', ms: 300, times: 1 });
      const started = performance.now();
      assert.equal(await status(myself()), 200);
      assert.ok(performance.now() - started >= 290);
      const again = performance.now();
      assert.equal(await status(myself()), 200);
      assert.ok(performance.now() - again < 290);
    });

    it('a delay combines with a later fault', async () => {
      sandbox.faults.add({ path: '/sites/acme/**', kind: 'delay', ms: 100 });
      sandbox.faults.add({ path: '/sites/acme/**', kind: 'error', status: 504 });
      const started = performance.now();
      assert.equal(await status(myself()), 504);
      assert.ok(performance.now() - started >= 95);
    });

    it('drops the connection without a response', async () => {
      sandbox.faults.add({ path: '/sites/acme/rest/api/3/myself', kind: 'drop', times: 1 });
      await assert.rejects(myself(), TypeError);
      assert.equal(await status(myself()), 200);
      const entries = sandbox.log.entries({ path: '/sites/acme/rest/api/3/myself' });
      assert.deepEqual(
        entries.map((entry) => entry.status),
        [0, 200],
      );
    });

    it('lists and removes rules, counting hits', async () => {
      const id = sandbox.faults.add({ path: '/sites/acme/**', kind: 'error', status: 500, times: 3 });
      assert.equal(await status(myself()), 500);
      assert.deepEqual(
        sandbox.faults.list().map(({ id: ruleId, remaining, hits }) => ({ ruleId, remaining, hits })),
        [{ ruleId: id, remaining: 2, hits: 1 }],
      );
      sandbox.faults.remove(id);
      assert.deepEqual(sandbox.faults.list(), []);
      assert.equal(await status(myself()), 200);
    });

    it('rejects an invalid rule', () => {
      assert.throws(() => sandbox.faults.add({ path: '/x', kind: 'error', status: 404 }));
    });
  });

  describe('request log', () => {
    it('records method, path, credential kind, status and time for each request', async () => {
      sandbox.log.clear();
      const oauth = sandbox.tokens.issue();
      const { url: dcUrl, personalAccessToken } = sandbox.discovery.dataCenter;
      await status(myself());
      await status(
        fetch(`${sandbox.discovery.apiBaseUrl}/ex/jira/${sandbox.discovery.sites[0]!.cloudId}/rest/api/3/myself?x=1`, {
          headers: bearer(oauth.access_token),
        }),
      );
      await status(fetch(`${dcUrl}/rest/api/2/myself`, { headers: bearer(personalAccessToken) }));
      await status(fetch(`${acmeUrl()}/rest/api/3/myself`));
      sandbox.clock.advance(5_000);
      await status(fetch(`${sandbox.url}/.well-known/sandbox.json`));
      const entries = sandbox.log.entries();
      assert.deepEqual(
        entries.map(({ method, path, authKind, status: code }) => ({ method, path, authKind, status: code })),
        [
          { method: 'GET', path: '/sites/acme/rest/api/3/myself', authKind: 'basic', status: 200 },
          {
            method: 'GET',
            path: `/api/ex/jira/${sandbox.discovery.sites[0]!.cloudId}/rest/api/3/myself`,
            authKind: 'oauth',
            status: 200,
          },
          { method: 'GET', path: '/dc/rest/api/2/myself', authKind: 'pat', status: 200 },
          { method: 'GET', path: '/sites/acme/rest/api/3/myself', authKind: 'none', status: 401 },
          { method: 'GET', path: '/.well-known/sandbox.json', authKind: 'none', status: 200 },
        ],
      );
      assert.ok(entries[1]!.url.endsWith('/myself?x=1'));
      assert.ok(entries[4]!.at - entries[3]!.at >= 5_000);
      assert.equal(sandbox.log.count({ status: 200 }), 4);
      assert.equal(sandbox.log.count({ authKind: 'pat' }), 1);
      assert.equal(sandbox.log.count({ path: /\/myself$/ }), 4);
      sandbox.log.clear();
      assert.deepEqual(sandbox.log.entries(), []);
    });
  });

  describe('control endpoints', () => {
    async function control(path: string, body?: unknown): Promise<Response> {
      return fetch(`${sandbox.url}/__sandbox${path}`, {
        method: body === undefined && path === '/log' ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? (path === '/log' ? undefined : '{}') : JSON.stringify(body),
      });
    }

    function rawGet(path: string, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: sandbox.port, path, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    }

    it('accept only a loopback Host header for this port', async () => {
      assert.equal(await rawGet('/__sandbox/log', `127.0.0.1:${sandbox.port}`), 200);
      assert.equal(await rawGet('/__sandbox/log', `localhost:${sandbox.port}`), 200);
      assert.equal(await rawGet('/__sandbox/log', 'evil.example.com'), 403);
      assert.equal(await rawGet('/__sandbox/log', `localhost:${sandbox.port + 1}`), 403);
    });

    it('read and clear the log, which does not record control calls', async () => {
      await status(myself());
      const res = await control('/log');
      const { entries } = (await res.json()) as { entries: { path: string; status: number; authKind: string }[] };
      assert.deepEqual(
        entries.map((entry) => [entry.path, entry.status, entry.authKind]),
        [['/sites/acme/rest/api/3/myself', 200, 'basic']],
      );
      assert.equal(await status(control('/log/clear')), 204);
      assert.deepEqual(sandbox.log.entries(), []);
    });

    it('add and clear faults from JSON', async () => {
      const res = await control('/faults', {
        path: '/sites/acme/**',
        kind: 'rateLimit',
        retryAfterSeconds: 3,
        times: 1,
      });
      assert.equal(res.status, 201);
      assert.equal(typeof ((await res.json()) as { id: number }).id, 'number');
      const limited = await myself();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '3');
      await limited.arrayBuffer();
      await status(control('/faults', { path: '/sites/acme/**', kind: 'drop' }));
      assert.equal(await status(control('/faults/clear')), 204);
      assert.equal(await status(myself()), 200);
    });

    it('reject an invalid fault rule', async () => {
      assert.equal(await status(control('/faults', { path: '/x', kind: 'explode' })), 400);
      assert.equal(await status(control('/faults', { kind: 'drop' })), 400);
    });

    it('force every access token to expire', async () => {
      const tokens = await signIn(sandbox);
      assert.equal(await status(control('/tokens/expire')), 204);
      const res = await fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) });
      assert.equal(res.status, 401);
      await res.arrayBuffer();
      assert.equal(await status(tokenRequest(sandbox, refreshGrant(sandbox, tokens.refresh_token!))), 200);
    });

    it('revoke every refresh family (and access tokens on request)', async () => {
      const tokens = await signIn(sandbox);
      assert.equal(await status(control('/tokens/revoke')), 204);
      assert.equal(await status(tokenRequest(sandbox, refreshGrant(sandbox, tokens.refresh_token!))), 403);
      assert.equal(
        await status(fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) })),
        200,
      );
      await status(control('/tokens/revoke', { accessTokens: true }));
      assert.equal(
        await status(fetch(`${sandbox.discovery.apiBaseUrl}/me`, { headers: bearer(tokens.access_token) })),
        401,
      );
    });

    it('change settings at runtime', async () => {
      const res = await control('/settings', { accessTokenTtlSeconds: 30, redirectUris: ['http://127.0.0.1:5555/cb'] });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { accessTokenTtlSeconds: number }).accessTokenTtlSeconds, 30);
      const discovery = (await (await fetch(`${sandbox.url}/.well-known/sandbox.json`)).json()) as Sandbox['discovery'];
      assert.deepEqual(discovery.oauthClient.redirectUris, ['http://127.0.0.1:5555/cb']);
      assert.ok(await openConsent(sandbox, { redirect_uri: 'http://127.0.0.1:5555/cb' }));
      const old = await fetch(authorizeUrl(sandbox, authorizeParams(sandbox)), { redirect: 'manual' });
      assert.equal(old.status, 400);
      await old.arrayBuffer();
      assert.equal(await status(control('/settings', { accessTokenTtlSeconds: -1 })), 400);
      assert.equal(await status(control('/settings', { bogus: 1 })), 400);
      assert.equal(sandbox.tokens.issue().expires_in, 30);
    });

    it('advance the clock', async () => {
      const before = sandbox.clock.now();
      const res = await control('/clock/advance', { ms: 3600_000 });
      const { now } = (await res.json()) as { now: number };
      assert.ok(now - before >= 3600_000);
      assert.equal(await status(control('/clock/advance', { ms: -5 })), 400);
    });

    it('unknown control paths are 404', async () => {
      assert.equal(await status(control('/nope')), 404);
    });
  });
});
