import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMANDS, CONTEXT_KEYS, MCP_PROVIDER_ID, VIEWS } from '../../src/vscode/ids';

const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));

describe('package.json manifest', () => {
  it('names the product and the engine the card asks for', () => {
    assert.equal(manifest.name, 'atlassian-mcp-bridge');
    assert.equal(manifest.displayName, 'Atlassian MCP Bridge');
    assert.equal(manifest.engines.vscode, '^1.101.0');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('declares exactly the commands, views and MCP provider the code uses', () => {
    assert.deepEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort(), Object.values(COMMANDS).sort());
    assert.deepEqual(manifest.contributes.views.atlassianMcpBridge.map((v: { id: string }) => v.id).sort(), Object.values(VIEWS).sort());
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id), [MCP_PROVIDER_ID]);
  });

  it('gives both views a signed-out welcome with a Connect Atlassian button', () => {
    for (const view of Object.values(VIEWS)) {
      const welcome = manifest.contributes.viewsWelcome.find((w: { view: string }) => w.view === view);
      assert.ok(welcome, `welcome for ${view}`);
      assert.match(welcome.contents, new RegExp(`\\[Connect Atlassian\\]\\(command:${COMMANDS.connect.replace('.', '\\.')}\\)`));
      assert.equal(welcome.when, `!${CONTEXT_KEYS.connected}`);
    }
  });

  it('finds "Connect Atlassian" by that title in the palette', () => {
    const connect = manifest.contributes.commands.find((c: { command: string }) => c.command === COMMANDS.connect);
    assert.equal(connect.title, 'Connect Atlassian');
  });

  it('points at icons that exist', () => {
    for (const container of manifest.contributes.viewsContainers.activitybar) {
      assert.ok(existsSync(resolve(ROOT, container.icon)), container.icon);
    }
  });
});
