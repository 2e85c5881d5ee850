import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import { basic, bearer, signIn } from './platform-support';

interface Resource {
  id: string;
  name: string;
  url: string;
  scopes: string[];
  avatarUrl: string;
}

const GATEWAY_401 = { code: 401, message: 'Unauthorized' };
const SCOPE_401 = { code: 401, message: 'Unauthorized; scope does not match' };
const JIRA_401_TEXT = 'Client must be authenticated to access this resource.';

describe('sandbox gateway and sites', () => {
  let sandbox: Sandbox;
  let ada: (typeof USERS)[number];

  before(async () => {
    sandbox = await startSandbox();
    ada = USERS[0]!;
  });
  after(async () => {
    await sandbox.close();
  });

  function acme() {
    return sandbox.discovery.sites.find((site) => site.name === 'acme')!;
  }

  async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, { headers });
  }

  describe('discovery', () => {
    it('describes the sandbox', async () => {
      const res = await get(`${sandbox.url}/.well-known/sandbox.json`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as Sandbox['discovery'];
      assert.deepEqual(body, sandbox.discovery);
      assert.equal(body.authBaseUrl, `${sandbox.url}/auth`);
      assert.equal(body.apiBaseUrl, `${sandbox.url}/api`);
      assert.deepEqual(
        body.sites.map((site) => site.name),
        ['acme', 'globex'],
      );
      for (const site of body.sites) {
        assert.equal(site.url, `${sandbox.url}/sites/${site.name}`);
        assert.match(site.cloudId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      assert.deepEqual(body.oauthClient.redirectUris, ['http://127.0.0.1:27418/callback']);
      assert.ok(body.oauthClient.clientId && body.oauthClient.clientSecret);
      assert.deepEqual(
        body.users.map((user) => user.email),
        USERS.map((user) => user.email),
      );
      assert.deepEqual(Object.keys(body.users[0]!).sort(), ['accountId', 'apiToken', 'displayName', 'email']);
      assert.equal(body.dataCenter.url, `${sandbox.url}/dc`);
      assert.ok(body.dataCenter.personalAccessToken);
    });

    it('cloudIds are deterministic across instances', async () => {
      const other = await startSandbox();
      try {
        assert.deepEqual(
          other.discovery.sites.map((site) => site.cloudId),
          sandbox.discovery.sites.map((site) => site.cloudId),
        );
      } finally {
        await other.close();
      }
    });

    it('binds 127.0.0.1 on the requested port', async () => {
      const probe = await startSandbox();
      const port = probe.port;
      await probe.close();
      const fixed = await startSandbox({ port });
      try {
        assert.equal(fixed.url, `http://127.0.0.1:${port}`);
        assert.equal((await get(`${fixed.url}/.well-known/sandbox.json`)).status, 200);
      } finally {
        await fixed.close();
      }
    });
  });

  describe('accessible-resources', () => {
    it("lists every site with Atlassian's shape, in no fixed order", async () => {
      const tokens = await signIn(sandbox);
      const orders = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await get(
          `${sandbox.discovery.apiBaseUrl}/oauth/token/accessible-resources`,
          bearer(tokens.access_token),
        );
        assert.equal(res.status, 200);
        const resources = (await res.json()) as Resource[];
        assert.ok(resources.length >= 2);
        assert.deepEqual(resources.map((r) => r.id).sort(), sandbox.discovery.sites.map((site) => site.cloudId).sort());
        for (const resource of resources) {
          assert.deepEqual(Object.keys(resource).sort(), ['avatarUrl', 'id', 'name', 'scopes', 'url']);
          assert.deepEqual(resource.scopes, ['read:jira-work', 'write:jira-work']);
        }
        assert.equal(resources.find((r) => r.id === acme().cloudId)?.name, 'Acme Corp');
        assert.equal(resources.find((r) => r.id === acme().cloudId)?.url, acme().url);
        orders.add(resources.map((r) => r.id).join());
      }
      assert.ok(orders.size > 1, 'order changes between calls');
    });

    it('serves the site avatars locally', async () => {
      const tokens = sandbox.tokens.issue();
      const [resource] = (await (
        await get(`${sandbox.discovery.apiBaseUrl}/oauth/token/accessible-resources`, bearer(tokens.access_token))
      ).json()) as Resource[];
      const avatar = await get(resource!.avatarUrl);
      assert.equal(avatar.status, 200);
      assert.match(avatar.headers.get('content-type') ?? '', /image\/svg\+xml/);
      assert.match(await avatar.text(), /<svg/);
    });

    it('is 401 with the gateway body without a valid token', async () => {
      for (const headers of [{}, bearer('sbx_at_nope'), basic(ada.email, ada.apiToken)]) {
        const res = await get(`${sandbox.discovery.apiBaseUrl}/oauth/token/accessible-resources`, headers);
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), GATEWAY_401);
      }
    });
  });

  describe('/me', () => {
    it('returns the flat identity profile with read:me', async () => {
      const tokens = await signIn(sandbox);
      const res = await get(`${sandbox.discovery.apiBaseUrl}/me`, bearer(tokens.access_token));
      assert.equal(res.status, 200);
      const me = (await res.json()) as Record<string, unknown>;
      assert.equal(me.account_id, ada.accountId);
      assert.equal(me.email, ada.email);
      assert.equal(me.name, ada.displayName);
      assert.equal(me.account_type, 'atlassian');
      assert.equal(me.account_status, 'active');
      assert.equal(me.email_verified, true);
      assert.equal(me.zoneinfo, ada.timeZone);
      for (const key of ['picture', 'nickname', 'locale', 'extended_profile']) assert.ok(key in me, key);
      assert.equal((await get(String(me.picture))).status, 200);
    });

    it('is 401 "scope does not match" without read:me', async () => {
      const tokens = await signIn(sandbox, { scope: 'read:jira-work' });
      const res = await get(`${sandbox.discovery.apiBaseUrl}/me`, bearer(tokens.access_token));
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), SCOPE_401);
    });

    it('is 401 once the token expires', async () => {
      const tokens = sandbox.tokens.issue({ scopes: ['read:me'] });
      sandbox.clock.advance(3600_000);
      const res = await get(`${sandbox.discovery.apiBaseUrl}/me`, bearer(tokens.access_token));
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), GATEWAY_401);
    });
  });

  describe('/ex/{product}/{cloudId} (OAuth bearer)', () => {
    it('reaches Jira on each site as the signed-in user', async () => {
      const tokens = sandbox.tokens.issue({ scopes: ['read:jira-user', 'read:jira-work'], user: USERS[1] });
      for (const site of sandbox.discovery.sites) {
        const res = await get(
          `${sandbox.discovery.apiBaseUrl}/ex/jira/${site.cloudId}/rest/api/3/myself`,
          bearer(tokens.access_token),
        );
        assert.equal(res.status, 200);
        const me = (await res.json()) as { accountId: string; self: string };
        assert.equal(me.accountId, USERS[1]!.accountId);
        assert.ok(me.self.startsWith(`${sandbox.discovery.apiBaseUrl}/ex/jira/${site.cloudId}/`), me.self);
      }
    });

    it('reaches Confluence under /wiki', async () => {
      const tokens = sandbox.tokens.issue();
      const res = await get(
        `${sandbox.discovery.apiBaseUrl}/ex/confluence/${acme().cloudId}/wiki/api/v2/spaces`,
        bearer(tokens.access_token),
      );
      assert.equal(res.status, 200);
      await res.json();
    });

    it('is 401 "scope does not match" when the product scope is missing', async () => {
      const tokens = sandbox.tokens.issue({ scopes: ['read:me'] });
      const res = await get(
        `${sandbox.discovery.apiBaseUrl}/ex/jira/${acme().cloudId}/rest/api/3/myself`,
        bearer(tokens.access_token),
      );
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), SCOPE_401);
    });

    it('is 401 with the gateway body for a missing, unknown or expired token', async () => {
      const tokens = sandbox.tokens.issue();
      sandbox.tokens.expireAccessToken(tokens.access_token);
      for (const headers of [
        {},
        bearer('sbx_at_unknown'),
        bearer(tokens.access_token),
        basic(ada.email, ada.apiToken),
      ]) {
        const res = await get(`${sandbox.discovery.apiBaseUrl}/ex/jira/${acme().cloudId}/rest/api/3/myself`, headers);
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), GATEWAY_401);
      }
    });

    it('is 404 for an unknown cloudId, and for the unpublished Data Center id', async () => {
      const tokens = sandbox.tokens.issue();
      const dcId = sandbox.sites.find((site) => site.flavour === 'datacenter')!.cloudId;
      for (const cloudId of ['00000000-0000-4000-8000-000000000000', dcId]) {
        const res = await get(
          `${sandbox.discovery.apiBaseUrl}/ex/jira/${cloudId}/rest/api/3/myself`,
          bearer(tokens.access_token),
        );
        assert.equal(res.status, 404);
        assert.deepEqual(await res.json(), { code: 404, message: 'Not Found' });
      }
    });
  });

  describe('site URLs (Basic email:apiToken)', () => {
    it("accepts each user's API token", async () => {
      for (const user of USERS) {
        const res = await get(`${acme().url}/rest/api/3/myself`, basic(user.email, user.apiToken));
        assert.equal(res.status, 200);
        const me = (await res.json()) as { accountId: string; self: string };
        assert.equal(me.accountId, user.accountId);
        assert.ok(me.self.startsWith(`${acme().url}/rest/`), me.self);
      }
    });

    it('serves Confluence under /wiki', async () => {
      const res = await get(`${acme().url}/wiki/api/v2/spaces`, basic(ada.email, ada.apiToken));
      assert.equal(res.status, 200);
      await res.json();
    });

    it("answers Jira's 401 for a wrong token, no credentials or an OAuth bearer", async () => {
      const oauth = sandbox.tokens.issue();
      const cases = [basic(ada.email, 'wrong'), basic(USERS[1]!.email, ada.apiToken), {}, bearer(oauth.access_token)];
      for (const headers of cases) {
        const res = await get(`${acme().url}/rest/api/3/myself`, headers);
        assert.equal(res.status, 401);
        assert.match(res.headers.get('www-authenticate') ?? '', /^OAuth realm=/);
        assert.equal(await res.text(), JIRA_401_TEXT);
      }
    });

    it('answers Confluence-shaped 401s under /wiki', async () => {
      const v2 = await get(`${acme().url}/wiki/api/v2/spaces`, basic(ada.email, 'wrong'));
      assert.equal(v2.status, 401);
      assert.deepEqual(await v2.json(), {
        errors: [{ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized', detail: 'Unauthorized' }],
      });
      const v1 = await get(`${acme().url}/wiki/rest/api/search?cql=type=page`);
      assert.equal(v1.status, 401);
      assert.equal(((await v1.json()) as { statusCode: number }).statusCode, 401);
    });

    it('tenant_info gives the cloudId without authentication', async () => {
      for (const site of sandbox.discovery.sites) {
        const res = await get(`${site.url}/_edge/tenant_info`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { cloudId: site.cloudId });
      }
    });

    it('browse links open a minimal HTML page', async () => {
      const res = await get(`${acme().url}/browse/ACME-12`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      const html = await res.text();
      assert.match(html, /data-issue-key="ACME-12"/);
      assert.match(html, /Acme Corp/);
    });

    it('an unknown site is 404', async () => {
      const res = await get(`${sandbox.url}/sites/initech/_edge/tenant_info`);
      assert.equal(res.status, 404);
      await res.text();
    });
  });

  describe('Data Center (PAT bearer)', () => {
    it('accepts the personal access token as Bearer', async () => {
      const { url, personalAccessToken } = sandbox.discovery.dataCenter;
      const res = await get(`${url}/rest/api/2/myself`, bearer(personalAccessToken));
      assert.equal(res.status, 200);
      const me = (await res.json()) as { self: string };
      assert.ok(me.self.startsWith(`${url}/rest/`), me.self);
    });

    it('rejects a wrong PAT, a PAT sent as Basic password, an OAuth token and no credentials', async () => {
      const { url, personalAccessToken } = sandbox.discovery.dataCenter;
      const oauth = sandbox.tokens.issue();
      for (const headers of [bearer('wrong'), basic(ada.email, personalAccessToken), bearer(oauth.access_token), {}]) {
        const res = await get(`${url}/rest/api/2/myself`, headers);
        assert.equal(res.status, 401);
        const body = (await res.json()) as { errorMessages: string[]; errors: object };
        assert.equal(body.errorMessages.length, 1);
        assert.deepEqual(body.errors, {});
      }
    });
  });
});
