import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_FILTER } from '../../src/issues/issueList';
import { COMMANDS } from '../../src/vscode/ids';
import type { IssuePanel } from '../../src/vscode/issueDetailPanel';
import type { IssueTreeNode } from '../../src/vscode/issuesTree';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery } from './sandbox';

type Node<K extends IssueTreeNode['kind']> = Extract<IssueTreeNode, { kind: K }>;

describe('the issue detail panel in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const connections: ConnectionInfo[] = [];

  /** The panel of an issue (the open command creates it before it returns) once its first load finished. */
  const loaded = async (connectionId: string, key: string): Promise<IssuePanel> => {
    const panel = api.issueDetails.panels.get(`${connectionId}\n${key}`);
    assert.ok(panel, `a panel for ${key}`);
    await panel.firstLoad;
    return panel;
  };
  const firstIssueRow = async (connection: ConnectionInfo): Promise<Node<'issue'>> => {
    const provider = api.issuesView.provider;
    const root = (await provider.getChildren()).find(
      (n) => n.kind === 'connection' && n.connection.id === connection.id,
    );
    const filter = (await provider.getChildren(root)).find(
      (n): n is Node<'filter'> => n.kind === 'filter' && n.filter.id === DEFAULT_FILTER.id,
    );
    const row = (await provider.getChildren(filter)).find((n): n is Node<'issue'> => n.kind === 'issue');
    assert.ok(row, 'an issue row');
    return row;
  };

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    for (const c of connections) await api.connections.remove(c.id);
  });

  it('Cloud: a My Issues row opens its issue in one panel, with fields, rendered description and comments', async () => {
    const connection = await connectWithApiToken(api);
    connections.push(connection);
    const row = await firstIssueRow(connection);
    const item = api.issuesView.provider.getTreeItem(row);
    assert.equal(item.command?.command, COMMANDS.openIssue, 'click and Enter open the issue');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const panel = await loaded(connection.id, row.issue.key);
    assert.equal(panel.error, undefined);
    const detail = panel.current!;
    assert.equal(detail.key, row.issue.key);
    assert.equal(detail.summary.summary, row.issue.summary);
    assert.equal(detail.assignee?.name, 'Ada Lovelace');
    assert.ok(detail.descriptionHtml.startsWith('<'), 'the description is rendered');
    assert.equal(panel.panel.title, `${detail.key} ${detail.summary.summary}`);
    assert.equal(panel.panel.viewType, 'atlassianMcpBridge.issue');

    // Opening it again (from the palette with a browse URL, here) reveals the same panel.
    await vscode.commands.executeCommand(COMMANDS.openIssueByKey, `${connection.siteUrl}/browse/${row.issue.key}`);
    assert.equal([...api.issueDetails.panels.values()].filter((p) => p.key === row.issue.key).length, 1);
    assert.equal(api.issueDetails.panels.get(`${connection.id}\n${row.issue.key}`), panel);
  });

  it('Cloud: an issue that does not exist shows what happened in the panel, not an empty page', async () => {
    const connection = connections[0]!;
    await vscode.commands.executeCommand(COMMANDS.openIssue, { connectionId: connection.id, key: 'ENG-999999' });
    const panel = await loaded(connection.id, 'ENG-999999');
    assert.equal(panel.current, undefined);
    assert.match(panel.error?.what ?? '', /not found|does not exist|404/i);
    assert.equal(panel.error?.reconnect, false);
  });

  it('a panel for a connection that no longer exists says so, and leaves no promise unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await vscode.commands.executeCommand(COMMANDS.openIssue, { connectionId: 'removed-meanwhile', key: 'ENG-1' });
      const panel = await loaded('removed-meanwhile', 'ENG-1');
      assert.equal(panel.current, undefined);
      assert.match(panel.error?.what ?? '', /no longer exists/);
      // Node reports a rejection nobody handled once the microtasks of its turn have run.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('Cloud: a JQL search shows its results in My Issues as an expanded filter, which can be removed', async () => {
    const connection = connections[0]!;
    await vscode.commands.executeCommand(COMMANDS.searchIssues, 'project = OPS AND assignee is EMPTY ORDER BY key ASC');
    const provider = api.issuesView.provider;
    const root = (await provider.getChildren()).find(
      (n) => n.kind === 'connection' && n.connection.id === connection.id,
    );
    const search = (await provider.getChildren(root)).find(
      (n): n is Node<'filter'> => n.kind === 'filter' && n.filter.id.startsWith('search:'),
    );
    assert.ok(search, 'the search is a filter row');
    const item = provider.getTreeItem(search);
    assert.equal(item.label, 'Search: project = OPS AND assignee is EMPTY ORDER BY key ASC');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(item.contextValue, 'filter.search');
    const rows = (await provider.getChildren(search)).filter((n): n is Node<'issue'> => n.kind === 'issue');
    assert.ok(rows.length > 0 && rows.every((r) => r.issue.key.startsWith('OPS-') && !r.issue.assignee));

    await vscode.commands.executeCommand(COMMANDS.removeIssueFilter, search);
    const after = (await provider.getChildren(root)).filter((n) => n.kind === 'filter');
    assert.ok(after.every((n) => n.kind === 'filter' && !n.filter.id.startsWith('search:')));
  });

  it('Data Center: opens an issue by its key and renders its wiki description', async () => {
    const d = (await discovery()) as unknown as { dataCenter: { url: string; personalAccessToken: string } };
    const { info, credential } = await signInWithPersonalAccessToken({
      baseUrl: d.dataCenter.url,
      token: d.dataCenter.personalAccessToken,
    });
    await api.connections.add(info, credential);
    connections.push(info);
    const row = await firstIssueRow(info);
    // Two connections now: a bare key would ask which site; the tree row names its connection.
    await vscode.commands.executeCommand(COMMANDS.openIssue, { connectionId: info.id, key: row.issue.key });
    const panel = await loaded(info.id, row.issue.key);
    assert.equal(panel.error, undefined);
    assert.equal(panel.current?.cloud, false);
    assert.equal(panel.current?.key, row.issue.key);
    assert.ok(panel.current!.descriptionHtml.length > 0);
  });
});
