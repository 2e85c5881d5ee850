import assert from 'node:assert/strict';
import type { AtlassianError } from '../../../src/atlassian/errors';
import { AtlassianHttpClient, type Credentials } from '../../../src/atlassian/http';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';

describe('AtlassianHttpClient against the sandbox', () => {
  let sandbox: Sandbox;
  let waits: number[];
  let client: AtlassianHttpClient;

  beforeEach(async () => {
    sandbox = await startSandbox();
    waits = [];
    const user = sandbox.discovery.users[0]!;
    const credentials: Credentials = {
      authorization: async () => `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
    };
    const acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!;
    client = new AtlassianHttpClient(acme.url, credentials, {
      // Waiting is recorded, not slept: the retry policy is what is under test.
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
  });

  afterEach(() => sandbox.close());

  const hits = (path: string) => sandbox.log.entries().filter((e) => e.path.endsWith(path)).length;

  it('honours Retry-After on 429 (never earlier) and succeeds after the storm', async () => {
    sandbox.faults.add({ kind: 'rateLimit', path: '**/rest/api/3/myself', retryAfterSeconds: 7, times: 2 });
    const me = await client.request<{ emailAddress: string }>({ path: '/rest/api/3/myself' });
    assert.equal(me.emailAddress, 'ada@example.com');
    assert.equal(waits.length, 2);
    assert.ok(
      waits.every((w) => w >= 7000 && w <= 7000 * 1.3),
      `waits ${waits.join(',')}`,
    );
  });

  it('gives up after a bounded number of retries with a message that names the host and the reason', async () => {
    sandbox.faults.add({
      kind: 'rateLimit',
      path: '**/rest/api/3/myself',
      retryAfterSeconds: 1,
      reason: 'jira-burst-based',
    });
    await assert.rejects(
      client.request({ path: '/rest/api/3/myself' }),
      (err: AtlassianError) =>
        err.kind === 'rateLimited' &&
        err.rateLimitReason === 'jira-burst-based' &&
        err.message.includes('127.0.0.1') &&
        err.retryAfterSeconds === 1,
    );
    assert.equal(waits.length, 4);
    assert.equal(hits('/rest/api/3/myself'), 5);
  });

  it('fails at once on an hourly-quota Retry-After instead of hanging', async () => {
    sandbox.faults.add({
      kind: 'rateLimit',
      path: '**/rest/api/3/myself',
      retryAfterSeconds: 3600,
      reason: 'jira-quota-tenant-based',
    });
    await assert.rejects(client.request({ path: '/rest/api/3/myself' }), /Try again in 3600 s/);
    assert.equal(waits.length, 0);
  });

  it('answers a 401 for a missing OAuth scope at once: a refresh cannot add the scope', async () => {
    const { access_token: token } = sandbox.tokens.issue({ scopes: ['read:jira-user', 'offline_access'] });
    let renewals = 0;
    const credentials: Credentials = {
      authorization: async () => `Bearer ${token}`,
      renew: async () => (renewals++, true),
    };
    const { apiBaseUrl, sites } = sandbox.discovery;
    const oauth = new AtlassianHttpClient(`${apiBaseUrl}/ex/jira/${sites[0]!.cloudId}`, credentials);
    await assert.rejects(
      oauth.request({ path: '/rest/api/3/search/jql', query: { jql: 'project = ENG' }, scopes: ['read:jira-work'] }),
      (err: AtlassianError) =>
        err.kind === 'scope' && /This call needs the OAuth scope read:jira-work\./.test(err.message),
    );
    assert.equal(renewals, 0);
    assert.equal(hits('/rest/api/3/search/jql'), 1);
  });

  it('never retries a POST (a create must not run twice)', async () => {
    sandbox.faults.add({ kind: 'error', status: 503, path: '**/rest/api/3/issue' });
    await assert.rejects(
      client.request({ method: 'POST', path: '/rest/api/3/issue', body: { fields: {} } }),
      (err: AtlassianError) => err.kind === 'server' && err.status === 503,
    );
    assert.equal(hits('/rest/api/3/issue'), 1);
    assert.equal(waits.length, 0);
  });

  it('retries idempotent calls through dropped connections, with jittered backoff', async () => {
    sandbox.faults.add({ kind: 'drop', path: '**/rest/api/3/myself', times: 2 });
    await client.request({ path: '/rest/api/3/myself' });
    assert.deepEqual(waits, [1000, 2000]);
  });

  it('turns the retired search API into a clear "retired" error, never an empty result', async () => {
    await assert.rejects(
      client.request({ path: '/rest/api/3/search', query: { jql: 'project = ENG' } }),
      (err: AtlassianError) => err.kind === 'gone' && /retired/.test(err.message) && /search\/jql/.test(err.message),
    );
  });

  it('says what was not found', async () => {
    await assert.rejects(
      client.request({ path: '/rest/api/3/issue/ENG-999999' }),
      (err: AtlassianError) => err.kind === 'notFound' && /Issue does not exist/.test(err.message),
    );
  });

  it('names the host when it cannot be reached', async () => {
    const port = await freePort();
    const offline = new AtlassianHttpClient(
      `http://127.0.0.1:${port}`,
      { authorization: async () => 'Bearer x' },
      { retry: { maxRetries: 0 } },
    );
    await assert.rejects(
      offline.request({ path: '/rest/api/3/myself' }),
      (err: AtlassianError) =>
        err.kind === 'network' && err.message.includes(`127.0.0.1:${port}`) && /ECONNREFUSED/.test(err.message),
    );
  });

  it('times out a slow answer', async () => {
    sandbox.faults.add({ kind: 'delay', ms: 2000, path: '**/rest/api/3/myself' });
    const user = sandbox.discovery.users[0]!;
    const slow = new AtlassianHttpClient(
      sandbox.discovery.sites[0]!.url,
      { authorization: async () => `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}` },
      { timeoutMs: 200, retry: { maxRetries: 0 } },
    );
    await assert.rejects(
      slow.request({ path: '/rest/api/3/myself' }),
      (err: AtlassianError) => err.kind === 'timeout' && /did not answer within 200 ms/.test(err.message),
    );
  });

  it('refuses to send credentials to another origin', async () => {
    await assert.rejects(client.request({ path: 'http://127.0.0.2:1/steal' }), /Refusing to send credentials/);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      client.request({ path: '/rest/api/3/myself', signal: controller.signal }),
      (err: AtlassianError) => err.kind === 'cancelled',
    );
  });
});
