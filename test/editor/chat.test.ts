// Issues and pages into chat, and the bridge from mcp.json, in a real VS Code (code-server) against
// the sandbox: the read-only documents chat attaches, the chat command's arguments, the hover links;
// an mcp.json entry with no secret whose bridge lists tools with the extension's credentials.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import type { ExtensionApi } from '../../src/extension';
import { CHANNEL_FILE_ENV } from '../../src/credentials/protocol';
import { MCP_JSON_SERVER_NAME, type BridgeEntry } from '../../src/mcp/mcpJson';
import { COMMANDS } from '../../src/vscode/ids';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery, jiraIssue, knownSecrets } from './sandbox';

describe('issues into chat in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let connection: ConnectionInfo;

  before(async () => {
    api = await extensionApi();
    connection = await connectWithApiToken(api);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.connections.remove(connection.id);
  });

  it('Add Issue to Chat from a tree row attaches a read-only Markdown document of the issue', async () => {
    await vscode.commands.executeCommand(COMMANDS.addIssueToChat, {
      kind: 'issue',
      connectionId: connection.id,
      issue: { key: 'ENG-1' },
    });
    const request = api.chatContext.lastChatRequest();
    assert.ok(request, 'the chat was opened');
    const uri = request.attachFiles[0]!;
    assert.equal(uri.scheme, 'atlassian-issue');
    assert.equal(uri.path, `/${new URL(connection.siteUrl).host}/ENG-1.md`);
    assert.equal(request.query, undefined);

    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    const summary = String((await jiraIssue('ENG-1', 'summary')).summary);
    assert.ok(text.startsWith(`# ENG-1: ${summary}\n`), text.slice(0, 200));
    assert.match(text, /^## Description$/m);
    const info = await vscode.workspace.fs.stat(uri);
    assert.equal(info.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('x'))),
      /NoPermissions|read-?only/i,
    );
  });

  it('Ask Agent About Issue… prefills the prompt and attaches the issue', async () => {
    // A prompt in the argument (a keybinding's args) skips the prompt picker, which the UI test drives.
    await vscode.commands.executeCommand(COMMANDS.askAgentAboutIssue, {
      connectionId: connection.id,
      key: 'ENG-2',
      prompt: 'What blocks ENG-2?',
    });
    const request = api.chatContext.lastChatRequest();
    assert.equal(request?.query, 'What blocks ENG-2?');
    assert.equal(request.isPartialQuery, true);
    assert.equal(request.mode, 'agent');
    assert.equal(request.attachFiles[0]!.path, `/${new URL(connection.siteUrl).host}/ENG-2.md`);
  });

  it('a missing issue is "not found", a site nobody is signed in to is explained', async () => {
    const host = new URL(connection.siteUrl).host;
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.parse(`atlassian-issue:/${host}/ENG-999999.md`))),
      /EntryNotFound|FileNotFound|not found|nonexistent/i,
    );
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse('atlassian-issue:/nobody.example/ENG-1.md'))),
      /No connection is signed in to nobody\.example/,
    );
  });

  it('hovers over an issue key offer Add to Chat and Ask Agent', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'See ENG-1.\n' });
    await vscode.window.showTextDocument(document);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(0, 6),
    );
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.ok(text.includes(`command:${COMMANDS.addIssueToChat}`), text);
    assert.ok(text.includes(`command:${COMMANDS.askAgentAboutIssue}`), text);
  });

  it('Add Confluence Page to Chat… takes a page URL and attaches the page', async () => {
    const host = new URL(connection.siteUrl).host;
    const id = await firstPageId();
    await vscode.commands.executeCommand(
      COMMANDS.addPageToChat,
      `${connection.siteUrl}/wiki/spaces/X/pages/${id}/Title`,
    );
    const request = api.chatContext.lastChatRequest();
    assert.equal(request?.attachFiles[0]!.scheme, 'atlassian-page');
    assert.equal(request.attachFiles[0]!.path, `/${host}/${id}.md`);
    const text = (await vscode.workspace.openTextDocument(request.attachFiles[0]!)).getText();
    assert.match(text, new RegExp(`^- Page id: ${id}$`, 'm'));
  });
});

describe('the bridge from mcp.json in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let connection: ConnectionInfo;
  const mcpJson = () => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'mcp.json');

  before(async () => {
    api = await extensionApi();
    connection = await connectWithApiToken(api);
  });
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.removeBridgeFromMcpJson, 'workspace');
    await api.connections.remove(connection.id);
  });

  it('writes an entry with no secret whose bridge lists tools and reads an issue with the extension’s credentials', async () => {
    await vscode.commands.executeCommand(COMMANDS.addBridgeToMcpJson, 'workspace');
    const text = await readFile(mcpJson(), 'utf8');
    for (const secret of await knownSecrets(api)) assert.ok(!text.includes(secret), 'mcp.json holds a secret');
    const entry = (parse(text) as { servers: Record<string, BridgeEntry> }).servers[MCP_JSON_SERVER_NAME]!;
    assert.ok(entry, text);
    const channelFile = entry.env[CHANNEL_FILE_ENV]!;
    assert.equal(channelFile, api.mcpJson.channelFile);
    await api.mcpJson.channelReady();
    if (process.platform !== 'win32') assert.equal((await stat(channelFile)).mode & 0o777, 0o600);
    const channel = JSON.parse(await readFile(channelFile, 'utf8')) as { secret: string };
    assert.ok(!text.includes(channel.secret), 'mcp.json does not hold the channel secret');

    // Started exactly as an editor would start it from the entry.
    const transport = new StdioClientTransport({
      command: entry.command,
      args: [...entry.args],
      env: { PATH: process.env.PATH ?? '', ...entry.env },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'mcp-json-editor-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.ok(
        tools.some((t) => t.name === 'jira_get_issue'),
        tools.map((t) => t.name).join(', '),
      );
      const result = (await client.callTool({ name: 'jira_get_issue', arguments: { issue_key: 'ENG-1' } })) as {
        isError?: boolean;
        content: { type: string; text?: string }[];
      };
      const body = result.content.map((c) => c.text ?? '').join('\n');
      assert.notEqual(result.isError, true, body);
      assert.ok(body.includes('ENG-1'), body.slice(0, 300));
      for (const secret of [...(await knownSecrets(api)), channel.secret])
        assert.ok(!body.includes(secret), 'a tool result holds a secret');
    } finally {
      await client.close();
    }
  });

  it('Remove Bridge from mcp.json takes the entry out again and the channel file with it', async () => {
    await vscode.commands.executeCommand(COMMANDS.removeBridgeFromMcpJson, 'workspace');
    const json = parse(await readFile(mcpJson(), 'utf8')) as { servers?: Record<string, unknown> };
    assert.equal(json.servers?.[MCP_JSON_SERVER_NAME], undefined);
    await assert.rejects(stat(api.mcpJson.channelFile));
  });
});

/** The id of a page the sandbox's first site holds, read as Ada with her API token. */
async function firstPageId(): Promise<string> {
  const d = await discovery();
  const ada = d.users[0]!;
  const res = await fetch(`${d.sites[0]!.url}/wiki/api/v2/pages?limit=1`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`,
      Accept: 'application/json',
    },
  });
  if (!res.ok) throw new Error(`GET /wiki/api/v2/pages answered ${res.status}`);
  return String(((await res.json()) as { results: { id: string }[] }).results[0]!.id);
}
