import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS, MCP_PROVIDER_ID, VIEWS } from '../../src/vscode/ids';
import { EXTENSION_ID, extensionApi } from './extensionApi';
import { waitFor } from './waitFor';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    mcpServerDefinitionProviders: { id: string }[];
  };
}

describe('extension in a real VS Code', () => {
  let extension: vscode.Extension<ExtensionApi>;
  let api: ExtensionApi;

  before(async () => {
    const found = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed`);
    extension = found;
    api = await extensionApi();
  });

  it('activates and reports itself', () => {
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.mcpDefinitionRequests, 'function');
  });

  it('registers every command the manifest declares, and declares every command it registers', async () => {
    const manifest = extension.packageJSON as Manifest;
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    const viewIds = Object.values(VIEWS);
    // VS Code itself adds `<viewId>.focus`, `.open`, … for every view; those are not ours to declare.
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('atlassianMcpBridge.') && !viewIds.some((v) => c.startsWith(`${v}.`)))
      .sort();
    assert.deepEqual(registered, declared);
    assert.ok(declared.includes(COMMANDS.connect));
  });

  it('registers the MCP provider under the id the manifest declares, and VS Code calls it', async () => {
    const manifest = extension.packageJSON as Manifest;
    assert.deepEqual(
      manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id),
      [MCP_PROVIDER_ID],
    );
    // VS Code asks an extension's providers for definitions right after registration, but only
    // when the id matches the manifest; a mismatch is silent, so this is the real proof.
    await waitFor(() => api.mcpDefinitionRequests() > 0, 'VS Code to ask the provider for MCP servers');
  });

  it('runs on a Node that can run the bridge (>= 22)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.ok(major >= 22, `extension host runs Node ${process.versions.node}`);
  });
});
