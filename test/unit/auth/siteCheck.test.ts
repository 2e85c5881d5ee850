import assert from 'node:assert/strict';
import { parseSiteAddress, type SiteAddress } from '../../../src/auth/siteAddress';
import { checkSite } from '../../../src/auth/siteCheck';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';

function site(input: string): SiteAddress {
  const parsed = parseSiteAddress(input);
  assert.ok(parsed.ok);
  return parsed.site;
}

describe('checking the site before any secret is asked (against the sandbox)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('a Cloud site gives its cloud id (tenant_info), with no credentials sent', async () => {
    const acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!;
    const result = await checkSite(site(`${acme.url}/jira/software/projects/ACME/boards/1`), { expect: 'cloud' });
    assert.deepEqual(result, { ok: true, kind: 'cloud', cloudId: acme.cloudId });
    const calls = sandbox.log.entries().filter((e) => e.path.endsWith('/_edge/tenant_info'));
    assert.ok(calls.length > 0 && calls.every((e) => e.authKind === 'none'));
  });

  it('a Data Center server describes itself anonymously (serverInfo)', async () => {
    const result = await checkSite(site(sandbox.discovery.dataCenter.url), { expect: 'dataCenter' });
    assert.deepEqual(result, { ok: true, kind: 'dataCenter', title: 'Jira', version: '9.12.15' });
  });

  it('the wrong kind for the method says which method to use instead', async () => {
    const dcAsCloud = await checkSite(site(sandbox.discovery.dataCenter.url), { expect: 'cloud' });
    assert.ok(!dcAsCloud.ok && dcAsCloud.problem === 'wrongKind');
    assert.match(dcAsCloud.message, /Data Center — personal access token/);
    const acme = sandbox.discovery.sites[0]!;
    const cloudAsDc = await checkSite(site(acme.url), { expect: 'dataCenter' });
    assert.ok(!cloudAsDc.ok);
    assert.match(cloudAsDc.message, /Atlassian Cloud — API token/);
  });

  it('a site that does not exist is "not found", an unreachable host is named', async () => {
    const missing = await checkSite(site(`${sandbox.url}/sites/no-such-site`), { expect: 'cloud' });
    assert.ok(!missing.ok && missing.problem === 'notFound');
    assert.match(missing.message, /No Jira answers at http:\/\/127\.0\.0\.1:\d+\/sites\/no-such-site/);
    const closed = await freePort();
    const unreachable = await checkSite(site(`http://127.0.0.1:${closed}`), { expect: 'dataCenter' });
    assert.ok(!unreachable.ok && unreachable.problem === 'network');
    assert.match(unreachable.message, new RegExp(`Could not reach 127\\.0\\.0\\.1:${closed}.*ECONNREFUSED`));
  });

  it('an oversized or non-JSON answer is not taken for a site', async () => {
    const fake: typeof fetch = async () => new Response('x'.repeat(200_000), { status: 200 });
    const result = await checkSite(site('acme.atlassian.net'), { expect: 'cloud', fetch: fake });
    assert.ok(!result.ok && result.problem === 'notFound');
    assert.match(result.message, /no Atlassian Cloud site at acme\.atlassian\.net/);
  });
});
