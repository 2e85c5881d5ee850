// The proxy against an https MCP server (a self-signed certificate made with openssl for this run):
// TLS works when the certificate is trusted, fails clearly when not, and a redirect from https to
// plain http — even to this very machine — is refused before anything is sent.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ForwardingProxy } from '../../../src/remote/forwardingProxy';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { connectClient, headerCount, INITIALIZE, raw, SandboxCredentials, startUpstream } from './upstream';
import type { Upstream } from './upstream';

const MCP_POST = { 'content-type': 'application/json', accept: 'text/event-stream, application/json' };

describe('forwarding proxy to an https MCP server', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let secure: Upstream;
  let plain: Upstream;
  let credentials: SandboxCredentials;
  let cert: string;
  const proxies: ForwardingProxy[] = [];

  const routeFor = async (proxy: ForwardingProxy, path: string): Promise<string> => {
    proxies.push(proxy);
    const [result] = await proxy.configure([
      { id: 'tls', label: 'TLS server', url: `${secure.origin}${path}`, connectionId: 'conn-acme' },
    ]);
    assert.ok(result && 'url' in result, JSON.stringify(result));
    return result.url;
  };

  before(async () => {
    const tls = selfSignedCertificate('IP:127.0.0.1', '127.0.0.1');
    cert = tls.cert;
    sandbox = await startSandbox();
    secure = await startUpstream({ mcp: { sandbox, path: '/mcp/' }, tls });
    plain = await startUpstream();
    const downgrade = (_req: IncomingMessage, res: ServerResponse) =>
      void res.writeHead(308, { location: `${plain.origin}/mcp/` }).end();
    secure.routes.set('/mcp', downgrade);
    credentials = new SandboxCredentials(sandbox, sandbox.discovery.sites[0]!.cloudId);
  });

  after(async () => {
    for (const proxy of proxies) await proxy.close();
    await secure?.close();
    await plain?.close();
    await sandbox?.close();
  });

  it('forwards an MCP session over TLS with a trusted certificate', async () => {
    const proxy = new ForwardingProxy(credentials, { ca: cert });
    const connected = await connectClient(await routeFor(proxy, '/mcp/'));
    try {
      const result = await connected.client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(result.content, [{ type: 'text', text: `Ada Lovelace on ${credentials.cloudId}` }]);
    } finally {
      await connected.close();
    }
    assert.ok(
      secure.requests.every(
        (r) => headerCount(r, 'authorization') === 1 && headerCount(r, 'x-atlassian-cloud-id') === 1,
      ),
    );
    const report = await proxy.probe('tls');
    assert.equal(report.secure, true);
    assert.equal(report.toolCount, 2);
  });

  it('refuses a redirect from https to plain http, sending nothing there', async () => {
    const route = await routeFor(new ForwardingProxy(credentials, { ca: cert }), '/mcp');
    for (const method of ['POST', 'GET']) {
      const response = await raw(route, {
        method,
        headers: MCP_POST,
        body: method === 'POST' ? INITIALIZE : undefined,
      });
      assert.equal(response.status, 502);
      const { error } = JSON.parse(response.text) as { error: { message: string; data: { reason: string } } };
      assert.equal(error.data.reason, 'redirectRefused');
      assert.ok(error.message.includes(`redirects to plain http (${plain.origin}/mcp/)`), error.message);
      assert.ok(error.message.includes(`${secure.origin}/mcp/`), 'suggests the https URL with the trailing slash');
    }
    assert.equal(plain.requests.length, 0);
  });

  it('fails clearly when the certificate is not trusted', async () => {
    const route = await routeFor(new ForwardingProxy(credentials), '/mcp/');
    const before = secure.requests.length;
    const response = await raw(route, { headers: MCP_POST, body: INITIALIZE });
    assert.equal(response.status, 502);
    const { error } = JSON.parse(response.text) as { error: { message: string } };
    assert.match(
      error.message,
      /^The TLS connection to https:\/\/127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    assert.equal(secure.requests.length, before, 'no request got through');
  });
});
