// The forwarding endpoint as activation holds it: nothing is created (no CA read, no listener, no
// dist/forwardingProxy.js loaded) until a remote MCP server first needs a route.
import assert from 'node:assert/strict';
import { LazyForwardingProxy } from '../../../src/remote/lazyForwardingProxy';
import type { ForwardingProxyOptions, RemoteCredentials } from '../../../src/remote/forwardingTypes';

const credentials: RemoteCredentials = {
  authorization: () => Promise.resolve({ status: 'needsReconnect', message: 'not in this test' }),
};

describe('LazyForwardingProxy', () => {
  it('creates the proxy on the first route asked for, reading its options then', async () => {
    let optionsRead = 0;
    const proxy = new LazyForwardingProxy(credentials, (): ForwardingProxyOptions => {
      optionsRead++;
      return {};
    });
    assert.equal(proxy.loaded, false);
    assert.equal(optionsRead, 0);
    try {
      const [route] = await proxy.configure([
        { id: 'r1', label: 'R1', url: 'https://mcp.example.com/v1/mcp', connectionId: 'c1' },
      ]);
      assert.ok(route && 'url' in route, JSON.stringify(route));
      assert.match(route.url, /^http:\/\/127\.0\.0\.1:\d+\/r\//);
      assert.equal(proxy.loaded, true);
      await proxy.configure([]);
      assert.equal(optionsRead, 1, 'one proxy for the extension’s lifetime');
    } finally {
      await proxy.close();
    }
  });

  it('closes without ever creating the proxy, and refuses routes afterwards', async () => {
    const proxy = new LazyForwardingProxy(credentials, () => ({}));
    await proxy.close();
    assert.equal(proxy.loaded, false);
    await assert.rejects(proxy.configure([]), /closed/);
  });
});
