import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { join } from 'node:path';
import { CHANNEL_FILE_ENV } from '../../../src/credentials/protocol';
import { bridgeEntry, MCP_JSON_SERVER_NAME, mcpJsonTargets } from '../../../src/mcp/mcpJson';
import { hasBridge, McpJsonError, readBridgeEntry, withBridge, withoutBridge } from '../../../src/mcp/mcpJsonEdit';

const entry = (flavour: 'servers' | 'mcpServers' = 'servers') =>
  bridgeEntry({
    nodePath: '/opt/editor/node',
    nodeFlags: ['--lite-mode'],
    bridgePath: '/home/ada/.vscode/extensions/x/dist/bridge.js',
    channelFile: '/home/ada/.config/Code/User/globalStorage/x/channel/channel.json',
    flavour,
  });

const EXISTING = `// Servers of this workspace
{
  "inputs": [{ "id": "token", "type": "promptString", "password": true }],
  "servers": {
    // the team's GitHub server
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },
  },
}
`;

describe('mcp.json: the bridge as an entry', () => {
  it('creates a file with only the entry when there was none', () => {
    const text = withBridge('', entry(), 'servers');
    const json = JSON.parse(text) as { servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.servers), [MCP_JSON_SERVER_NAME]);
    assert.deepEqual(json.servers[MCP_JSON_SERVER_NAME], {
      type: 'stdio',
      command: '/opt/editor/node',
      args: ['--lite-mode', '/home/ada/.vscode/extensions/x/dist/bridge.js'],
      env: {
        ELECTRON_RUN_AS_NODE: '1',
        [CHANNEL_FILE_ENV]: '/home/ada/.config/Code/User/globalStorage/x/channel/channel.json',
      },
    });
  });

  it('keeps other servers, inputs and comments, and adding twice changes nothing more', () => {
    const once = withBridge(EXISTING, entry(), 'servers');
    assert.ok(once.startsWith('// Servers of this workspace\n'));
    assert.ok(once.includes("// the team's GitHub server"));
    const json = parse(once) as { inputs: unknown[]; servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.servers), ['github', MCP_JSON_SERVER_NAME]);
    assert.equal(json.inputs.length, 1);
    assert.equal(withBridge(once, entry(), 'servers'), once);
    assert.deepEqual(readBridgeEntry(once, 'servers'), entry());
  });

  it('replaces an outdated entry (a new extension version moved bridge.js)', () => {
    const old = withBridge(EXISTING, { ...entry(), args: ['/old/bridge.js'] }, 'servers');
    const updated = withBridge(old, entry(), 'servers');
    assert.deepEqual(readBridgeEntry(updated, 'servers')?.args, entry().args);
    assert.equal((updated.match(new RegExp(MCP_JSON_SERVER_NAME, 'g')) ?? []).length, 1);
  });

  it('removes only its own entry, keeping comments; a file without it is left as it is', () => {
    const added = withBridge(EXISTING, entry(), 'servers');
    const { text, removed } = withoutBridge(added, 'servers');
    assert.equal(removed, true);
    assert.equal(hasBridge(text, 'servers'), false);
    assert.ok(text.includes("// the team's GitHub server"));
    assert.deepEqual(Object.keys((parse(text) as { servers: object }).servers), ['github']);
    assert.deepEqual(withoutBridge(EXISTING, 'servers'), { text: EXISTING, removed: false });
    assert.deepEqual(withoutBridge('', 'servers'), { text: '', removed: false });
  });

  it('writes the mcpServers shape (Kiro, Cursor) without a type', () => {
    const text = withBridge(
      '{ "mcpServers": { "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] } } }',
      entry('mcpServers'),
      'mcpServers',
    );
    const json = JSON.parse(text) as { mcpServers: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(json.mcpServers), ['fetch', MCP_JSON_SERVER_NAME]);
    assert.equal(json.mcpServers[MCP_JSON_SERVER_NAME]!.type, undefined);
  });

  it('refuses to edit a file that is not JSON with comments, or whose top level is not an object', () => {
    assert.throws(() => withBridge('{ "servers": { ', entry(), 'servers'), McpJsonError);
    assert.throws(() => withBridge('[]', entry(), 'servers'), /top level is not an object/);
    assert.throws(() => withoutBridge('{ "servers": { "atlassian-mcp-bridge": ', 'servers'), McpJsonError);
  });

  it('holds no secret: only a command, its arguments and the channel file path', () => {
    const text = withBridge(EXISTING, entry(), 'servers');
    const ours = readBridgeEntry(text, 'servers')!;
    assert.deepEqual(Object.keys(ours).sort(), ['args', 'command', 'env', 'type']);
    assert.deepEqual(Object.keys(ours.env).sort(), [CHANNEL_FILE_ENV, 'ELECTRON_RUN_AS_NODE'].sort());
    // None of the environment names that carry credentials (the bridge's own or mcp-atlassian's).
    assert.doesNotMatch(text, /ATLASSIAN_OAUTH|_API_TOKEN|_PERSONAL_TOKEN|_PASSWORD|CHANNEL_SECRET|Bearer |Basic /);
  });

  it('knows where VS Code, Kiro and Cursor keep mcp.json', () => {
    const base = { workspaceFolder: '/ws', userDir: '/u/.config/Code/User', home: '/u' };
    assert.deepEqual(mcpJsonTargets({ ...base, appName: 'Visual Studio Code' }), [
      { scope: 'workspace', path: join('/ws', '.vscode', 'mcp.json'), flavour: 'servers' },
      { scope: 'user', path: join('/u/.config/Code/User', 'mcp.json'), flavour: 'servers' },
    ]);
    assert.deepEqual(mcpJsonTargets({ ...base, appName: 'Kiro' }), [
      { scope: 'workspace', path: join('/ws', '.kiro', 'settings', 'mcp.json'), flavour: 'mcpServers' },
      { scope: 'user', path: join('/u', '.kiro', 'settings', 'mcp.json'), flavour: 'mcpServers' },
    ]);
    assert.deepEqual(
      mcpJsonTargets({ ...base, appName: 'Cursor', workspaceFolder: undefined }).map((t) => t.path),
      [join('/u', '.cursor', 'mcp.json')],
    );
  });
});
