import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { createFetch } from '../../../src/atlassian/transport';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';

/** A Jira-like https server whose certificate only our CA file vouches for. */
describe('createFetch: custom CA file and proxy', () => {
  const tls = selfSignedCertificate('DNS:jira.corp.test,IP:127.0.0.1', 'jira.corp.test');
  let jira: Server;
  let jiraPort: number;
  let proxy: Server;
  let proxyPort: number;
  let tunnels: string[];

  before(async () => {
    jira = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"deploymentType":"DataCenter"}');
    }).listen(0, '127.0.0.1');
    await once(jira, 'listening');
    jiraPort = (jira.address() as AddressInfo).port;
    // A CONNECT proxy that resolves every host to this machine: a request can only reach
    // jira.corp.test (which no DNS knows) by going through it.
    tunnels = [];
    proxy = createHttpServer();
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '');
      const port = Number((req.url ?? '').split(':')[1]);
      const upstream = connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  after(() => {
    jira.close();
    proxy.close();
  });

  it("keeps VS Code's own fetch when nothing is customised", () => {
    assert.equal(createFetch({}), globalThis.fetch);
  });

  it('trusts a server signed by the CA file, and only then', async () => {
    await assert.rejects(fetch(`https://127.0.0.1:${jiraPort}/`), /fetch failed/);
    const res = await createFetch({ caPem: tls.cert })(`https://127.0.0.1:${jiraPort}/rest/api/2/serverInfo`);
    assert.equal(((await res.json()) as { deploymentType: string }).deploymentType, 'DataCenter');
  });

  it('goes through the proxy (CONNECT), with the CA applied inside the tunnel', async () => {
    const res = await createFetch({ caPem: tls.cert, proxyUrl: `http://127.0.0.1:${proxyPort}` })(
      `https://jira.corp.test:${jiraPort}/rest/api/2/serverInfo`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(tunnels, [`jira.corp.test:${jiraPort}`]);
  });

  it('never sends loopback traffic (the sandbox, local servers) through the proxy', async () => {
    tunnels.length = 0;
    const res = await createFetch({ caPem: tls.cert, proxyUrl: `http://127.0.0.1:${proxyPort}` })(
      `https://127.0.0.1:${jiraPort}/`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(tunnels, []);
  });
});
