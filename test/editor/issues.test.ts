import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_FILTER } from '../../src/issues/issueList';
import { COMMANDS } from '../../src/vscode/ids';
import type { IssueTreeNode } from '../../src/vscode/issuesTree';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, control, jiraIssue } from './sandbox';
import { waitFor } from './waitFor';

type Node<K extends IssueTreeNode['kind']> = Extract<IssueTreeNode, { kind: K }>;

describe('My Issues in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let connection: ConnectionInfo;
  const config = () => vscode.workspace.getConfiguration('atlassianMcpBridge');
  const provider = () => api.issuesView.provider;

  const filterNode = async (name: string): Promise<Node<'filter'>> => {
    const root = (await provider().getChildren()).find(
      (n): n is Node<'connection'> => n.kind === 'connection' && n.connection.id === connection.id,
    );
    assert.ok(root, 'the connection is a root row');
    const filter = (await provider().getChildren(root)).find(
      (n): n is Node<'filter'> => n.kind === 'filter' && n.filter.name === name,
    );
    assert.ok(filter, `filter "${name}"`);
    return filter;
  };
  const rows = async (name = DEFAULT_FILTER.name) => provider().getChildren(await filterNode(name));
  const issuesIn = (nodes: IssueTreeNode[]) => nodes.filter((n): n is Node<'issue'> => n.kind === 'issue');

  before(async () => {
    api = await extensionApi();
    connection = await connectWithApiToken(api);
  });

  after(async () => {
    await control('faults/clear');
    await config().update('issues.filters', undefined, vscode.ConfigurationTarget.Global);
    await config().update('issues.groupByStatus', undefined, vscode.ConfigurationTarget.Global);
    await api.connections.remove(connection.id);
  });

  it('shows the site, "Assigned to me", and pages all 334 issues in through "Load more", with a count badge', async () => {
    let children = await rows();
    assert.equal(issuesIn(children).length, 100);
    const more = children.at(-1)!;
    assert.equal(more.kind, 'loadMore');
    const moreItem = provider().getTreeItem(more);
    assert.equal(moreItem.label, 'Load more…');
    assert.equal(moreItem.description, '100 of 334 shown');
    assert.equal(moreItem.command?.command, COMMANDS.loadMoreIssues);
    assert.equal(provider().getTreeItem(await filterNode(DEFAULT_FILTER.name)).description, '100 of 334');

    while (children.at(-1)?.kind === 'loadMore') {
      const item = provider().getTreeItem(children.at(-1)!);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      children = await rows();
    }
    const issues = issuesIn(children);
    assert.equal(issues.length, 334);
    assert.equal(new Set(issues.map((n) => n.issue.key)).size, 334);
    assert.equal(provider().getTreeItem(await filterNode(DEFAULT_FILTER.name)).description, '334');
    assert.equal(api.issuesView.treeView.badge?.value, 334);
    assert.equal(api.issuesView.treeView.badge?.tooltip, '334 open issues assigned to you');

    const item = provider().getTreeItem(issues[0]!);
    const { issue } = issues[0]!;
    // The status comes before the summary so a narrow side bar keeps it readable.
    assert.equal(item.label, issue.key);
    assert.equal(item.description, `${issue.status.name} · ${issue.summary}`);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    assert.equal(item.contextValue, 'issue');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    for (const row of ['Status', 'Priority', 'Assignee', 'Updated'])
      assert.match(tooltip, new RegExp(`\\| ${row} \\| .+ \\|`));
    assert.match(tooltip, /\| Assignee \| Ada Lovelace \|/);
  });

  it('groups by status when toggled, keeping every issue', async () => {
    await vscode.commands.executeCommand(COMMANDS.toggleGroupByStatus);
    await waitFor(async () => (await rows())[0]?.kind === 'group', 'status groups');
    const groups = (await rows()).filter((n): n is Node<'group'> => n.kind === 'group');
    // Work in progress first; "N loaded" would show while pages were missing (all 334 are loaded here).
    assert.equal(groups[0]!.category, 'indeterminate');
    assert.equal(
      groups.reduce((sum, g) => sum + g.issues.length, 0),
      334,
    );
    assert.equal(provider().getTreeItem(groups[0]!).description, String(groups[0]!.issues.length));
    assert.equal(api.issuesView.treeView.description, 'by status');
    await vscode.commands.executeCommand(COMMANDS.toggleGroupByStatus);
    await waitFor(async () => (await rows())[0]?.kind === 'issue', 'a flat list again');
  });

  it('transitions an issue: the sandbox has the new status and the tree follows', async () => {
    const todo = issuesIn(await rows()).find((n) => n.issue.status.name === 'To Do')!;
    await vscode.commands.executeCommand(COMMANDS.transitionIssue, todo, 'In Progress');
    assert.equal(((await jiraIssue(todo.issue.key, 'status')).status as { name: string }).name, 'In Progress');
    const after = issuesIn(await rows()).find((n) => n.issue.key === todo.issue.key);
    assert.equal(after?.issue.status.name, 'In Progress');
  });

  it('comments in Markdown: the sandbox holds it as ADF', async () => {
    const [first] = issuesIn(await rows());
    const key = first!.issue.key;
    await vscode.commands.executeCommand(
      COMMANDS.commentOnIssue,
      { connectionId: connection.id, key },
      'Reviewed in **VS Code**, see `ci.yml`',
    );
    const comments = ((await jiraIssue(key, 'comment')).comment as { comments: { body: unknown }[] }).comments;
    const body = JSON.stringify(comments.at(-1)!.body);
    assert.match(body, /"type":"doc"/);
    assert.match(body, /"text":"VS Code","marks":\[\{"type":"strong"\}\]/);
    assert.match(body, /"text":"ci.yml","marks":\[\{"type":"code"\}\]/);
  });

  it('assigns an issue from a named filter to me', async () => {
    await config().update(
      'issues.filters',
      [
        {
          name: 'Unassigned in OPS',
          jql: 'project = OPS AND assignee is EMPTY AND statusCategory != Done ORDER BY key ASC',
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await waitFor(
      async () => (await provider().getChildren((await provider().getChildren())[0])).length === 2,
      'the named filter',
    );
    const [unassigned] = issuesIn(await rows('Unassigned in OPS'));
    assert.ok(unassigned);
    assert.equal(provider().getTreeItem(unassigned).contextValue, 'issue.assignable');
    await vscode.commands.executeCommand(COMMANDS.assignIssueToMe, unassigned);
    assert.equal(
      ((await jiraIssue(unassigned.issue.key, 'assignee')).assignee as { displayName: string }).displayName,
      'Ada Lovelace',
    );
    assert.ok(
      !issuesIn(await rows('Unassigned in OPS')).some((n) => n.issue.key === unassigned.issue.key),
      'the filter reloaded',
    );
  });

  it('copies the key and the link', async () => {
    const [first] = issuesIn(await rows());
    await vscode.commands.executeCommand(COMMANDS.copyIssueKey, first);
    assert.equal(await vscode.env.clipboard.readText(), first!.issue.key);
    await vscode.commands.executeCommand(COMMANDS.copyIssueLink, first);
    assert.equal(await vscode.env.clipboard.readText(), `${connection.siteUrl}/browse/${first!.issue.key}`);
  });

  it('a rate-limited refresh shows an error row with Retry (not an empty list); Retry recovers', async () => {
    await control('faults', { kind: 'rateLimit', path: '**/search/jql', retryAfterSeconds: 30 });
    await vscode.commands.executeCommand(COMMANDS.refreshIssues);
    const children = await rows();
    const error = children[0]!;
    assert.equal(error.kind, 'error');
    const item = provider().getTreeItem(error);
    assert.equal(item.label, 'Rate limited');
    assert.equal(item.description, 'wait 30 s, then click to retry · showing the last result');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Wait 30 s, then retry/);
    assert.equal(item.command?.command, COMMANDS.retryIssues);
    assert.equal(provider().getTreeItem(await filterNode(DEFAULT_FILTER.name)).description, 'rate limited');
    assert.equal(api.health.snapshot().overall, 'rateLimited', 'the status bar hears of it');
    assert.equal(api.statusBarItem.text, '$(watch) Atlassian: rate limited');

    await control('faults/clear');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const recovered = await rows();
    assert.equal(recovered[0]!.kind, 'issue');
    assert.ok(issuesIn(recovered).length >= 300, 'as many as were shown before');
    assert.equal(api.health.snapshot().overall, 'connected');
  });
});
