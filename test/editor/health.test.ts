import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS } from '../../src/vscode/ids';
import type { HealthTreeNode } from '../../src/vscode/connectionView';
import { startRemoteMcpServer, type RemoteMcpServer } from '../support/remoteMcpServer';
import { closeDiagnosticsPreview, runDiagnosticsReport } from './diagnosticsReport';
import { EXTENSION_ID, extensionApi } from './extensionApi';
import { allItems, connectWithOAuth, control, discovery, itemText, knownSecrets } from './sandbox';

type Row = { node: HealthTreeNode; item: vscode.TreeItem };

describe('the Connection view, status bar and diagnostics in a real VS Code, against the sandbox', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let connection: ConnectionInfo;
  let remote: RemoteMcpServer;
  const config = () => vscode.workspace.getConfiguration('atlassianMcpBridge');

  const rows = (): Promise<Row[]> => allItems(api.connectionView.provider);
  const check = () => vscode.commands.executeCommand(COMMANDS.checkConnection);
  const label = (row: Row) => String(row.item.label);
  /** The row of `parent` kind/name and the rows directly below it. */
  const section = async (match: (row: Row) => boolean): Promise<{ row: Row; children: Row[] }> => {
    const all = await rows();
    const row = all.find(match);
    assert.ok(row, 'row present');
    const children = await Promise.all(
      (await api.connectionView.provider.getChildren(row.node)).map(async (node) => ({
        node,
        item: await api.connectionView.provider.getTreeItem(node),
      })),
    );
    return { row, children };
  };
  const site = () => section((r) => r.node.kind === 'connection');
  const remoteRow = (name: string) => section((r) => r.node.kind === 'remote' && label(r) === name);

  const assertNoSecrets = async () => {
    const secrets = await knownSecrets(api);
    assert.ok(secrets.length >= 8, `secrets to look for: ${secrets.length}`);
    const shown = [
      ...(await allItems(api.issuesView.provider, 2)).map((r) => itemText(r.item)),
      ...(await rows()).map((r) => itemText(r.item)),
      api.statusBarItem.text,
      api.statusBarItem.tooltip instanceof vscode.MarkdownString
        ? api.statusBarItem.tooltip.value.replace(/\\(.)/g, '$1')
        : String(api.statusBarItem.tooltip ?? ''),
    ].join('\n');
    for (const secret of secrets) assert.ok(!shown.includes(secret), `a secret is shown: ${secret.slice(0, 6)}…`);
    assert.ok(!/Bearer \S{12,}/.test(shown));
  };

  before(async () => {
    api = await extensionApi();
    connection = await connectWithOAuth(api);
    remote = await startRemoteMcpServer({
      bridgeScript: join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist/bridge.js'),
      apiBaseUrl: (await discovery()).apiBaseUrl,
    });
  });

  after(async () => {
    await control('faults/clear');
    await config().update('remoteServers', undefined, vscode.ConfigurationTarget.Global);
    await api.connections.remove(connection.id);
    await remote?.close();
  });

  it('connected: method, site, user, cloud id, scopes, expiry, last refresh, the Jira API with latency, and the bridge', async () => {
    await check();
    const { row, children } = await site();
    assert.equal(label(row), 'Acme Corp');
    // One summary line: the default mark, method, user, then Jira and Confluence, both checked.
    assert.match(
      String(row.item.description),
      /^★ default · OAuth · Ada Lovelace · connected · Jira \d+ ms · Confluence \d+ ms$/,
    );
    assert.equal(row.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'details collapsed');
    assert.equal(row.item.contextValue, 'health.connection.connected.default.cloudId');
    assert.deepEqual(children.map(label), [
      'Sign-in',
      'Site',
      'User',
      'Cloud ID',
      'Scopes',
      'Token expiry',
      'Last refresh',
      'Jira API',
      'Confluence API',
    ]);
    const value = (name: string) => String(children.find((c) => label(c) === name)!.item.description);
    assert.equal(value('Sign-in'), 'OAuth 2.0 (browser sign-in)');
    assert.equal(value('Cloud ID'), connection.cloudId);
    assert.match(value('Scopes'), /read:jira-work write:jira-work .*offline_access/);
    assert.match(value('Token expiry'), /^access token expires in \d+ min/);
    assert.match(value('Jira API'), /^reachable · \d+ ms \(GET \/rest\/api\/3\/myself/);
    assert.ok(
      (await rows()).some(
        (r) =>
          r.node.kind === 'bridge' &&
          /^(not started|running · \d+ tools) · serves Acme Corp \(default\)$/.test(String(r.item.description)),
      ),
    );
    assert.equal(api.statusBarItem.text, '$(check) Atlassian');
    assert.equal(
      api.statusBarItem.command && (api.statusBarItem.command as vscode.Command).command,
      'atlassianMcpBridge.connection.focus',
    );
  });

  it('remote servers redirecting: a followed redirect, and a refused one (missing trailing slash) with what to do', async () => {
    await config().update(
      'remoteServers',
      [
        { label: 'Moved', url: `${remote.origin}/old`, connection: connection.id },
        { label: 'No slash', url: `${remote.origin}/mcp`, connection: connection.id },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await check();
    const moved = await remoteRow('Moved');
    assert.match(String(moved.row.item.description), /^works, but redirects · \d+ tools$/);
    assert.match(
      String(moved.children.find((c) => label(c) === 'Redirect')!.item.description),
      /^308 .*\/old → .*\/mcp\/ \(followed\)$/,
    );
    assert.match(
      String(moved.children.find((c) => label(c) === 'MCP initialize')!.item.description),
      /^atlassian-mcp-bridge /,
    );

    const slash = await remoteRow('No slash');
    assert.equal(slash.row.item.description, 'redirect refused');
    const [action] = slash.children;
    assert.equal(label(action!), 'Open Settings');
    assert.equal(action!.item.command?.command, 'workbench.action.openSettings');
    assert.match(String(action!.item.description), /Change the "url" of "No slash"/);
    assert.match(
      String(slash.children.find((c) => label(c) === 'Redirect')!.item.description),
      /^301 .*\/mcp → .*\/mcp\/ \(refused\)$/,
    );
    assert.match((slash.row.item.tooltip as vscode.MarkdownString).value, /with the trailing slash/);
    await assertNoSecrets();
  });

  it('the diagnostics report for the misconfigured remote URL: explained in plain words, with what to do, and no secret', async () => {
    const report = await runDiagnosticsReport();
    assert.match(report, /### 1\. ❌ Remote MCP server "No slash": redirect refused/);
    assert.match(
      report,
      /\*\*What happened:\*\* The server redirects http:\/\/127\.0\.0\.1:\d+\/mcp to http:\/\/127\.0\.0\.1:\d+\/mcp\/ with 301, which would turn this POST into a GET and lose the MCP message; set the server's URL to http:\/\/127\.0\.0\.1:\d+\/mcp\/ \(with the trailing slash\)\./,
    );
    assert.match(
      report,
      /\*\*What to do:\*\* Change the "url" of "No slash" in the "atlassianMcpBridge\.remoteServers" setting/,
    );
    assert.match(report, /### Acme Corp \(connected · Jira \d+ ms · Confluence/);
    assert.match(report, /## Remote MCP servers\n\n### Moved \(works, but redirects/);
    for (const secret of await knownSecrets(api))
      assert.ok(!report.includes(secret), `the report leaks ${secret.slice(0, 6)}…`);
    assert.ok(!report.includes('/r/') || /\/r\/\[redacted\]/.test(report), 'no forwarding route secret');
    await closeDiagnosticsPreview();
  });

  it('rate limited: shown with Retry and the wait, and in the status bar', async () => {
    await control('faults', { kind: 'rateLimit', path: '**/myself', retryAfterSeconds: 30 });
    await check();
    const { row, children } = await site();
    assert.match(String(row.item.description), /^★ default · OAuth · Ada Lovelace · rate limited · retry in \d+ s$/);
    assert.match(label(children[0]!), /^Retry \(after \d+ s\)$/);
    assert.equal(children[0]!.item.command?.command, COMMANDS.checkConnection);
    assert.match((row.item.tooltip as vscode.MarkdownString).value, /Wait 30 s, then retry/);
    assert.equal(api.statusBarItem.text, '$(watch) Atlassian: rate limited');
    await control('faults/clear');
    await check();
    assert.equal(api.statusBarItem.text, '$(check) Atlassian');
  });

  it('needs reconnect after the refresh token is revoked: the Reconnect row, and the status bar; nothing secret anywhere', async () => {
    await control('tokens/revoke', { accessTokens: true });
    await check();
    const { row, children } = await site();
    assert.equal(row.item.description, '★ default · OAuth · Ada Lovelace · needs reconnect');
    assert.equal(label(children[0]!), 'Reconnect');
    // Reconnect signs this connection in again: its method, no question which.
    assert.equal(children[0]!.item.command?.command, COMMANDS.reconnect);
    assert.deepEqual(children[0]!.item.command?.arguments, [connection.id]);
    assert.match((row.item.tooltip as vscode.MarkdownString).value, /no longer accepts the refresh token/);
    assert.equal(api.statusBarItem.text, '$(warning) Atlassian: reconnect');
    await assertNoSecrets();
  });
});
