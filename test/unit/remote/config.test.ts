// Remote server settings are checked before anything is served: plain http only on loopback, no
// credentials or client-owned headers in settings, no header named twice in two casings.
import assert from 'node:assert/strict';
import { isLoopbackHostname, remoteConfigProblem, upstreamUrlProblem } from '../../../src/remote/config';
import type { RemoteServerConfig } from '../../../src/remote/config';

const remote = (overrides: Partial<RemoteServerConfig> = {}): RemoteServerConfig => ({
  id: 'self-hosted',
  label: 'Self-hosted mcp-atlassian',
  url: 'https://mcp.example.com/mcp/',
  connectionId: 'conn-1',
  ...overrides,
});

describe('remote MCP server configuration', () => {
  it('accepts https anywhere and plain http only on loopback', () => {
    for (const url of [
      'https://mcp.example.com/mcp/',
      'http://127.0.0.1:9000/mcp',
      'http://127.1.2.3/mcp',
      'http://localhost:8080/mcp/',
      'http://[::1]:3000/mcp',
    ]) {
      assert.equal(upstreamUrlProblem(url), undefined, url);
    }
  });

  it('refuses plain http to another machine, naming the https URL to use instead', () => {
    const problem = upstreamUrlProblem('http://mcp.example.com:8000/mcp/');
    assert.match(problem ?? '', /plain http to another machine/);
    assert.match(problem ?? '', /https:\/\/mcp\.example\.com:8000\/mcp\//);
    assert.match(upstreamUrlProblem('http://10.0.0.5/mcp') ?? '', /unencrypted/);
    // A name that merely starts like a loopback address is not one.
    assert.match(upstreamUrlProblem('http://127.0.0.1.evil.example/mcp') ?? '', /plain http/);
    assert.match(upstreamUrlProblem('http://localhost.evil.example/mcp') ?? '', /plain http/);
  });

  it('refuses other schemes, garbage and credentials in the URL', () => {
    assert.match(upstreamUrlProblem('ftp://mcp.example.com/') ?? '', /must start with https/);
    assert.match(upstreamUrlProblem('mcp.example.com/mcp') ?? '', /not a valid URL/);
    assert.match(upstreamUrlProblem('https://ada:secret@mcp.example.com/mcp') ?? '', /user name or password/);
  });

  it('knows loopback hostnames', () => {
    assert.ok(isLoopbackHostname('LOCALHOST'));
    assert.ok(isLoopbackHostname('127.0.0.1'));
    assert.ok(isLoopbackHostname('[::1]'));
    assert.ok(!isLoopbackHostname('128.0.0.1'));
    assert.ok(!isLoopbackHostname('0.0.0.0'));
  });

  it('accepts extra non-secret headers', () => {
    assert.equal(
      remoteConfigProblem(remote({ headers: { 'X-Custom': 'yes', 'X-Atlassian-Toolsets': 'jira_issues' } })),
      undefined,
    );
  });

  it('refuses headers the connection, the MCP client or HTTP own, in any casing', () => {
    for (const name of [
      'Authorization',
      'authorization',
      'X-ATLASSIAN-CLOUD-ID',
      'Accept',
      'content-type',
      'Mcp-Session-Id',
      'Host',
      'Cookie',
      'Transfer-Encoding',
      'Proxy-Foo',
    ]) {
      assert.match(remoteConfigProblem(remote({ headers: { [name]: 'x' } })) ?? '', /cannot be configured/, name);
    }
    assert.match(
      remoteConfigProblem(remote({ headers: { Authorization: 'Bearer abc' } })) ?? '',
      /connection supplies credentials/,
    );
  });

  it('refuses a header named twice in two casings, bad names and values with line breaks', () => {
    assert.match(remoteConfigProblem(remote({ headers: { 'X-Custom': 'a', 'x-custom': 'b' } })) ?? '', /set twice/);
    assert.match(remoteConfigProblem(remote({ headers: { 'X Custom': 'a' } })) ?? '', /not a valid header name/);
    assert.match(
      remoteConfigProblem(remote({ headers: { 'X-Custom': 'a\r\nAuthorization: Bearer stolen' } })) ?? '',
      /line breaks/,
    );
  });

  it('names the server and lists every problem at once', () => {
    const problem = remoteConfigProblem(remote({ id: ' ', connectionId: '', url: 'http://mcp.example.com/mcp' }));
    assert.match(problem ?? '', /^Remote MCP server "Self-hosted mcp-atlassian": /);
    assert.match(problem ?? '', /no id/);
    assert.match(problem ?? '', /no connection/);
    assert.match(problem ?? '', /plain http/);
  });
});
