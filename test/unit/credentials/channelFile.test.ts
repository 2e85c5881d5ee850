// The channel file (address and secret of the credentials channel, for a bridge started from an
// mcp.json entry) and a bridge that finds VS Code through it alone, across a window reload.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChannelFileError,
  readChannelFile,
  removeChannelFile,
  writeChannelFile,
} from '../../../src/credentials/channelFile';
import { startChannelServer, type ChannelServer, type CredentialBroker } from '../../../src/credentials/channelServer';
import { CHANNEL_FILE_ENV } from '../../../src/credentials/protocol';
import { bridgeEntry } from '../../../src/mcp/mcpJson';
import { readBridgeEntry, withBridge } from '../../../src/mcp/mcpJsonEdit';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, connectStdio } from '../bridge/harness';

const SECRET = 'a'.repeat(43);

describe('the credentials channel file', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'amb-channel-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is written for the user alone (file 0600, directory 0700) and read back', async function () {
    if (process.platform === 'win32') this.skip();
    const path = join(dir, 'channel', 'channel.json');
    await writeChannelFile(path, { url: 'http://127.0.0.1:4321', secret: SECRET });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'channel'))).mode & 0o777, 0o700);
    assert.deepEqual(await readChannelFile(path), { url: 'http://127.0.0.1:4321', secret: SECRET });
  });

  it('is refused when others can read it, when it is a link, or when it points off the machine', async function () {
    if (process.platform === 'win32') this.skip();
    const path = join(dir, 'channel.json');
    await writeChannelFile(path, { url: 'http://127.0.0.1:4321', secret: SECRET });
    await chmod(path, 0o644);
    await assert.rejects(readChannelFile(path), /can be read by other users \(mode 644\)/);
    await chmod(path, 0o600);
    const link = join(dir, 'link.json');
    await symlink(path, link);
    await assert.rejects(readChannelFile(link), /not a regular file/);
    for (const body of [
      { url: 'http://evil.example:80', secret: SECRET },
      { url: 'http://127.0.0.1:4321', secret: 'short' },
      'not json',
    ]) {
      await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body), { mode: 0o600 });
      await assert.rejects(readChannelFile(path), ChannelFileError);
    }
    await assert.rejects(readChannelFile(join(dir, 'missing.json')), /does not exist: open VS Code/);
  });

  it('is removed only by the window whose secret it holds', async () => {
    const path = join(dir, 'channel.json');
    await writeChannelFile(path, { url: 'http://127.0.0.1:4321', secret: SECRET });
    await removeChannelFile(path, 'b'.repeat(43));
    assert.ok(await readFile(path));
    await removeChannelFile(path, SECRET);
    await assert.rejects(readFile(path));
  });
});

describe('a bridge started from an mcp.json entry finds VS Code through the channel file', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dir: string;
  const channels: ChannelServer[] = [];

  /**
   * The Data Center site with its personal access token, as the extension's token store would hand it
   * out; valid for less than the bridge's reuse margin, so every tool call asks the channel again.
   */
  const broker = (): CredentialBroker => ({
    connections: () => [
      {
        id: 'dc',
        name: 'dc',
        url: sandbox.discovery.dataCenter.url,
        flavour: 'datacenter',
        jiraBaseUrl: sandbox.discovery.dataCenter.url,
        authScheme: 'pat',
      },
    ],
    authorization: async (id) =>
      id === 'dc'
        ? {
            status: 'ok',
            authorization: `Bearer ${sandbox.discovery.dataCenter.personalAccessToken}`,
            expiresAt: Date.now() + 30_000,
          }
        : undefined,
  });

  before(async () => {
    sandbox = await startSandbox();
    dir = await mkdtemp(join(tmpdir(), 'amb-channel-bridge-'));
  });
  after(async () => {
    for (const c of channels) await c.close();
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists sites and searches with the extension’s credentials, and keeps working after a reload', async () => {
    const channelFile = join(dir, 'channel', 'channel.json');
    const first = await startChannelServer(broker());
    channels.push(first);
    await writeChannelFile(channelFile, { url: first.url, secret: first.secret });

    // Exactly the environment the mcp.json entry gives the bridge.
    const text = withBridge(
      '',
      bridgeEntry({
        nodePath: process.execPath,
        nodeFlags: [],
        bridgePath: 'bridge.js',
        channelFile,
        flavour: 'servers',
      }),
      'servers',
    );
    assert.ok(!text.includes(first.secret), 'mcp.json does not hold the channel secret');
    const env = { ...readBridgeEntry(text, 'servers')!.env };
    assert.deepEqual(Object.keys(env).sort(), [CHANNEL_FILE_ENV, 'ELECTRON_RUN_AS_NODE'].sort());
    const c = await connectStdio(env);
    try {
      const sites = (await call(c.client, 'atlassian_list_sites')).json as { name: string }[];
      assert.deepEqual(
        sites.map((s) => s.name),
        ['dc'],
      );
      const found = await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1 });
      assert.equal(found.isError, false, found.text);

      // The window reloads: its old channel closes, the new one writes the file again.
      await first.close();
      const second = await startChannelServer(broker());
      channels.push(second);
      await writeChannelFile(channelFile, { url: second.url, secret: second.secret });
      const again = await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1 });
      assert.equal(again.isError, false, again.text);

      // VS Code closed: the tool says how to get going again, and no secret shows.
      await removeChannelFile(channelFile, second.secret);
      await second.close();
      const closed = await call(c.client, 'jira_search', { jql: 'created >= "2000-01-01" order by key', limit: 1 });
      assert.equal(closed.isError, true);
      assert.match(closed.text, /channel file .* does not exist: open VS Code/);
      assert.ok(!closed.text.includes(second.secret) && !c.stderr().includes(second.secret));
    } finally {
      await c.close();
    }
  });
});
