import assert from 'node:assert/strict';
import { loadSandboxProfile } from '../../src/auth/sandboxProfile';
import { signInWithApiToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi } from './extensionApi';

describe('connections in the real SecretStorage and global state', () => {
  let api: ExtensionApi;

  before(async () => {
    api = await extensionApi();
  });

  it('stores a connection, reads its secret back through SecretStorage, and deletes it on disconnect', async () => {
    const sandboxUrl = process.env.AMB_SANDBOX_URL;
    assert.ok(sandboxUrl, 'the harness passes the sandbox URL');
    const profile = await loadSandboxProfile(`${sandboxUrl}/.well-known/sandbox.json`);
    const { info, credential } = await signInWithApiToken({
      siteUrl: profile.siteUrl!,
      email: profile.email!,
      apiToken: profile.apiToken!,
    });
    await api.connections.add(info, credential);
    try {
      const expected = `Basic ${Buffer.from(`${profile.email}:${profile.apiToken}`).toString('base64')}`;
      assert.equal(await api.connections.credentials(info.id).authorization(), expected);
      assert.ok(api.connections.list().some((c) => c.id === info.id));
      assert.ok(!JSON.stringify(api.connections.list()).includes(profile.apiToken!), 'no secret in global state');
    } finally {
      await api.connections.remove(info.id);
    }
    assert.equal(api.connections.get(info.id), undefined);
    assert.throws(() => api.connections.credentials(info.id), /Connect Atlassian/);
  });
});
