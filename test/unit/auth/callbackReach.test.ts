import assert from 'node:assert/strict';
import { callbackReach } from '../../../src/auth/callbackReach';

const registered = 'http://127.0.0.1:27418/callback';

describe('whether the browser can reach the OAuth callback (remote windows)', () => {
  it('a local window: the browser shares the machine with the listener', () => {
    assert.deepEqual(callbackReach({ remoteName: undefined, registered, external: registered }), { kind: 'direct' });
  });

  it('a remote window whose forwarded address is exactly the registered one', () => {
    assert.deepEqual(
      callbackReach({ remoteName: 'ssh-remote', registered, external: 'http://127.0.0.1:27418/callback/' }),
      {
        kind: 'direct',
      },
    );
  });

  it('Remote-SSH forwarding to another local port, or to localhost: the port or host differs', () => {
    assert.deepEqual(
      callbackReach({ remoteName: 'ssh-remote', registered, external: 'http://127.0.0.1:51234/callback' }),
      {
        kind: 'mismatch',
        registered,
        reachableAs: 'http://127.0.0.1:51234/callback',
        why: 'port',
      },
    );
    const localhost = callbackReach({ remoteName: 'wsl', registered, external: 'http://localhost:27418/callback' });
    assert.equal(localhost.kind === 'mismatch' && localhost.why, 'host');
  });

  it('Codespaces and code-server: another scheme, host or path', () => {
    const codespaces = callbackReach({
      remoteName: 'codespaces',
      registered,
      external: 'https://fuzzy-space-27418.app.github.dev/callback',
    });
    assert.equal(codespaces.kind === 'mismatch' && codespaces.why, 'scheme');
    const codeServer = callbackReach({
      remoteName: '127.0.0.1:8080',
      registered,
      external: 'http://127.0.0.1:8080/proxy/27418/callback',
    });
    assert.equal(codeServer.kind === 'mismatch' && codeServer.why, 'port');
    const samePortProxy = callbackReach({
      remoteName: 'x',
      registered,
      external: 'http://127.0.0.1:27418/proxy/27418/callback',
    });
    assert.equal(samePortProxy.kind === 'mismatch' && samePortProxy.why, 'path');
    assert.equal(
      samePortProxy.kind === 'mismatch' && samePortProxy.reachableAs,
      'http://127.0.0.1:27418/proxy/27418/callback',
    );
  });
});
