import assert from 'node:assert/strict';
import { parseSiteAddress } from '../../../src/auth/siteAddress';

function base(input: string): string {
  const result = parseSiteAddress(input);
  assert.ok(result.ok, `${input}: ${result.ok ? '' : result.error}`);
  return result.site.baseUrl;
}

function refused(input: string): string {
  const result = parseSiteAddress(input);
  assert.ok(!result.ok, `${input} was accepted as ${result.ok ? result.site.baseUrl : ''}`);
  return result.error;
}

describe('the site a person types', () => {
  it('turns a bare name, a host and a copied link into the Cloud site', () => {
    for (const input of [
      'acme',
      'ACME',
      ' acme.atlassian.net ',
      'acme.atlassian.net/',
      'https://acme.atlassian.net',
      'https://acme.atlassian.net/jira/software/projects/ACME/boards/1?selectedIssue=ACME-1#x',
      'https://acme.atlassian.net/wiki/spaces/ENG/pages/123',
      'https://acme.atlassian.net/browse/ACME-12',
    ])
      assert.equal(base(input), 'https://acme.atlassian.net', input);
    const site = parseSiteAddress('my-team-2.atlassian.net');
    assert.ok(site.ok && site.site.atlassianCloudHost && site.site.host === 'my-team-2.atlassian.net');
  });

  it('keeps a Data Center context path and drops the page a link pointed at', () => {
    assert.equal(base('jira.example.com'), 'https://jira.example.com');
    assert.equal(base('https://jira.example.com/jira'), 'https://jira.example.com/jira');
    assert.equal(base('https://jira.example.com/jira/browse/ABC-1'), 'https://jira.example.com/jira');
    assert.equal(base('https://jira.example.com/secure/Dashboard.jspa'), 'https://jira.example.com');
    assert.equal(base('https://jira.example.com:8443/jira/'), 'https://jira.example.com:8443/jira');
    const dc = parseSiteAddress('https://jira.example.com');
    assert.ok(dc.ok && !dc.site.atlassianCloudHost);
  });

  it('accepts plain http only on this machine (the sandbox)', () => {
    assert.equal(base('http://127.0.0.1:3000/sites/acme/'), 'http://127.0.0.1:3000/sites/acme');
    assert.equal(base('http://localhost:8080/dc'), 'http://localhost:8080/dc');
    assert.match(refused('http://jira.example.com'), /https/);
  });

  it('refuses hostile and broken input with a reason, never a crash', () => {
    assert.match(refused(''), /Enter your site/);
    assert.match(refused('   '), /Enter your site/);
    assert.match(refused('javascript:alert(1)'), /not a site address|https/);
    assert.match(refused('file:///etc/passwd'), /https/);
    assert.match(refused('ftp://acme.atlassian.net'), /https/);
    assert.match(refused('https://user:secret@acme.atlassian.net'), /user name and password/);
    assert.match(refused('acme .atlassian.net'), /spaces/);
    assert.match(refused('acme\n.atlassian.net'), /spaces/);
    assert.match(refused('acme\u0000'), /spaces/);
    assert.match(refused(`${'a'.repeat(3000)}.atlassian.net`), /too long/);
    assert.match(refused('https://[::1'), /not a site address/);
    assert.match(refused('-acme-'), /not a site address/);
    const long = refused(`https://${'x'.repeat(200)} y`);
    assert.ok(long.length < 200);
  });

  it('never lets a look-alike host pass for Atlassian Cloud', () => {
    for (const input of [
      'https://acme.atlassian.net.evil.example',
      'https://evilatlassian.net',
      'https://atlassian.net@evil.example',
    ]) {
      const result = parseSiteAddress(input);
      assert.ok(!result.ok || !result.site.atlassianCloudHost, input);
    }
  });
});
