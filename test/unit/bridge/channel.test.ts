// The credentials channel, both ends: the extension's 127.0.0.1 endpoint (secret, Host and Origin
// checks) and the bridge using it inside "VS Code" — several sites, 401 → refresh → retry, a
// sign-in that needs reconnecting, and a token that lacks a scope.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  startChannelServer,
  type AuthorizationResponse,
  type ChannelConnection,
  type ChannelServer,
  type CredentialBroker,
} from '../../../src/credentials/channelServer';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, connectStdio, type Connected } from './harness';

type Json = Record<string, unknown>;

/** A broker backed by the sandbox's token minting, as the extension's token store would be. */
class SandboxBroker implements CredentialBroker {
  readonly tokens = new Map<string, string>();
  readonly renewals: string[] = [];
  readonly needsReconnect = new Set<string>();
  readonly scopes = new Map<string, string[]>();
  defaultId: string | undefined;

  constructor(private readonly sandbox: Sandbox) {}

  connections(): ChannelConnection[] {
    const { apiBaseUrl, sites, dataCenter } = this.sandbox.discovery;
    return [
      ...sites.map((s) => ({
        id: `oauth-${s.name}`,
        name: s.name,
        url: s.url,
        cloudId: s.cloudId,
        flavour: 'cloud' as const,
        jiraBaseUrl: `${apiBaseUrl}/ex/jira/${s.cloudId}`,
        confluenceBaseUrl: `${apiBaseUrl}/ex/confluence/${s.cloudId}/wiki`,
        authScheme: 'oauth' as const,
        isDefault: this.defaultId === `oauth-${s.name}`,
      })),
      {
        id: 'dc',
        name: 'dc',
        url: dataCenter.url,
        flavour: 'datacenter' as const,
        jiraBaseUrl: dataCenter.url,
        authScheme: 'pat' as const,
      },
    ];
  }

  async authorization(id: string, rejected?: string): Promise<AuthorizationResponse | undefined> {
    if (!this.connections().some((c) => c.id === id)) return undefined;
    if (id === 'dc')
      return { status: 'ok', authorization: `Bearer ${this.sandbox.discovery.dataCenter.personalAccessToken}` };
    if (rejected) this.renewals.push(id);
    if (this.needsReconnect.has(id)) return { status: 'needsReconnect', message: `The sign-in for ${id} was revoked.` };
    let token = this.tokens.get(id);
    if (!token || rejected === `Bearer ${token}`) {
      token = this.sandbox.tokens.issue({ scopes: this.scopes.get(id) }).access_token;
      this.tokens.set(id, token);
    }
    return { status: 'ok', authorization: `Bearer ${token}`, expiresAt: Date.now() + 3_600_000 };
  }
}

function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Json) : {} }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('credentials channel (extension end)', () => {
  let sandbox: Sandbox;
  let broker: SandboxBroker;
  let channel: ChannelServer;
  before(async () => {
    sandbox = await startSandbox();
    broker = new SandboxBroker(sandbox);
    channel = await startChannelServer(broker);
  });
  after(async () => {
    await channel?.close();
    await sandbox?.close();
  });
  const auth = () => ({ Authorization: `Bearer ${channel.secret}` });

  it('listens on 127.0.0.1 and hands its address and secret to the bridge environment', () => {
    assert.match(channel.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(channel.env.ATLASSIAN_MCP_BRIDGE_CHANNEL_URL, channel.url);
    assert.equal(channel.env.ATLASSIAN_MCP_BRIDGE_CHANNEL_SECRET, channel.secret);
    assert.ok(channel.secret.length >= 40);
  });

  it('refuses callers without the secret, with a foreign Host, or from a web page', async () => {
    assert.equal((await raw(`${channel.url}/v1/connections`, {})).status, 401);
    assert.equal(
      (await raw(`${channel.url}/v1/connections`, { headers: { Authorization: `Bearer ${channel.secret}x` } })).status,
      401,
    );
    assert.equal(
      (
        await raw(`${channel.url}/v1/connections`, {
          headers: { ...auth(), Host: `evil.example:${new URL(channel.url).port}` },
        })
      ).status,
      403,
    );
    assert.equal(
      (await raw(`${channel.url}/v1/connections`, { headers: { ...auth(), Origin: 'https://evil.example' } })).status,
      403,
    );
  });

  it('lists connections and answers authorization requests', async () => {
    const list = await raw(`${channel.url}/v1/connections`, { headers: auth() });
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.body.connections as Json[]).map((c) => c.name),
      ['acme', 'globex', 'dc'],
    );
    const post = (body: unknown) =>
      raw(`${channel.url}/v1/authorization`, {
        method: 'POST',
        headers: { ...auth(), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ connectionId: 'oauth-acme' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'ok');
    assert.match(String(ok.body.authorization), /^Bearer /);
    assert.equal((await post({ connectionId: 'nope' })).status, 404);
    assert.equal((await post({ rejected: 1 })).status, 400);
    assert.equal((await raw(`${channel.url}/v1/authorization`, { headers: auth() })).status, 405);
    assert.equal((await raw(`${channel.url}/v1/other`, { headers: auth() })).status, 404);
  });
});

describe('bridge inside VS Code (credentials over the channel, several sites)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let broker: SandboxBroker;
  let channel: ChannelServer;
  let c: Connected;

  before(async () => {
    sandbox = await startSandbox();
    broker = new SandboxBroker(sandbox);
    channel = await startChannelServer(broker);
    c = await connectStdio({ ...channel.env });
  });
  after(async () => {
    await c?.close();
    await channel?.close();
    await sandbox?.close();
  });

  const keys = (r: { json: unknown }) => ((r.json as Json).issues as Json[]).map((i) => String(i.key));

  it('lists every connected site', async () => {
    const sites = (await call(c.client, 'atlassian_list_sites')).json as Json[];
    assert.deepEqual(
      sites.map((s) => [s.name, s.flavour]),
      [
        ['acme', 'cloud'],
        ['globex', 'cloud'],
        ['dc', 'datacenter'],
      ],
    );
    assert.equal(sites[2]!.confluence, false);
  });

  it('asks for `site` when several fit, and accepts a name, cloud id or URL', async () => {
    const ambiguous = await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1 });
    assert.equal(ambiguous.isError, true);
    assert.match(ambiguous.text, /Several Jira sites are connected; pass `site` with one of: acme, globex, dc/);
    assert.match(
      keys(
        await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1, site: 'globex' }),
      )[0]!,
      /^(WEB|MOB|SUP)-/,
    );
    const acme = sandbox.discovery.sites[0]!;
    assert.match(
      keys(
        await call(c.client, 'jira_search', {
          jql: 'created >= "2000-01-01" order by key',
          limit: 1,
          site: acme.cloudId,
        }),
      )[0]!,
      /^(ENG|OPS|DOC)-/,
    );
    assert.match(
      keys(
        await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1, site: acme.url }),
      )[0]!,
      /^(ENG|OPS|DOC)-/,
    );
    // Confluence exists on the Cloud sites only.
    const conf = await call(c.client, 'confluence_search', { query: 'release', site: 'dc' });
    assert.match(conf.text, /Invalid argument `site`: dc has no Confluence/);
  });

  it('uses the default connection when no `site` is given', async () => {
    broker.defaultId = 'oauth-globex';
    try {
      // The bridge re-reads connections when asked for a site it does not know; force that once.
      await call(c.client, 'atlassian_list_sites', { site: 'refresh-me' });
      await call(c.client, 'jira_search', { jql: 'x = 1', site: 'unknown-site' });
      assert.match(
        keys(await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1 }))[0]!,
        /^(WEB|MOB|SUP)-/,
      );
    } finally {
      broker.defaultId = undefined;
      await call(c.client, 'jira_search', { jql: 'x = 1', site: 'unknown-site' });
    }
  });

  it('Data Center: REST v2 with wiki markup in and Markdown out', async () => {
    const issue = (await call(c.client, 'jira_get_issue', { issue_key: 'LEGACY-1', site: 'dc' })).json as Json;
    assert.equal(issue.key, 'LEGACY-1');
    assert.ok(
      typeof issue.description === 'string' && !/\bh[1-6]\.\s/.test(issue.description),
      String(issue.description),
    );
    const created = await call(c.client, 'jira_create_issue', {
      site: 'dc',
      project_key: 'LEGACY',
      summary: 'From the bridge',
      issue_type: 'Task',
      description: '## Heading\n\n- **bold** item\n- `code`',
    });
    assert.equal(created.isError, false, created.text);
    const key = String((created.json as Json).key);
    const rawIssue = (
      await call(c.client, 'jira_get_issue', { issue_key: key, site: 'dc', raw: true, fields: 'description' })
    ).json as Json;
    assert.equal((rawIssue.fields as Json).description, 'h2. Heading\n\n* *bold* item\n* {{code}}');
    const view = (await call(c.client, 'jira_get_issue', { issue_key: key, site: 'dc' })).json as Json;
    assert.equal(view.description, '## Heading\n\n- **bold** item\n- `code`');
    assert.equal(sandbox.log.count({ path: /^\/dc\/rest\/api\/3\// }), 0);
  });

  it('after a 401 the bridge asks the channel for a fresh token once and retries', async () => {
    assert.equal(
      (await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1', site: 'acme', fields: 'summary' })).isError,
      false,
    );
    const before = broker.renewals.length;
    sandbox.tokens.expireAccessToken(broker.tokens.get('oauth-acme')!);
    const r = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1', site: 'acme', fields: 'summary' });
    assert.equal(r.isError, false, r.text);
    assert.deepEqual(broker.renewals.slice(before), ['oauth-acme']);
  });

  it('"needs reconnect" comes back as a clear tool error', async () => {
    broker.needsReconnect.add('oauth-globex');
    try {
      await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', site: 'globex', limit: 1 });
      sandbox.tokens.expireAccessToken(broker.tokens.get('oauth-globex')!);
      const r = await call(c.client, 'jira_search', {
        jql: 'created >= "2000-01-01" order by key',
        site: 'globex',
        limit: 1,
      });
      assert.equal(r.isError, true);
      assert.match(
        r.text,
        /The sign-in for oauth-globex was revoked\. Run "Connect Atlassian" in VS Code to sign in to globex again\./,
      );
    } finally {
      broker.needsReconnect.delete('oauth-globex');
    }
  });

  it('a token without a scope gets an error naming the scope', async () => {
    broker.scopes.set('oauth-acme', ['read:jira-work', 'read:jira-user']);
    sandbox.tokens.expireAccessToken(broker.tokens.get('oauth-acme')!);
    try {
      const r = await call(c.client, 'jira_create_issue', {
        site: 'acme',
        project_key: 'ENG',
        summary: 'x',
        issue_type: 'Task',
      });
      assert.equal(r.isError, true);
      assert.match(r.text, /lacks a permission \(OAuth scope\).*write:jira-work/);
    } finally {
      broker.scopes.delete('oauth-acme');
    }
  });

  it('never writes a token to its log', () => {
    for (const token of broker.tokens.values()) assert.ok(!c.stderr().includes(token));
    assert.ok(!c.stderr().includes(channel.secret));
  });
});
