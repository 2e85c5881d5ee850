import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS } from '../../src/vscode/ids';
import type { GitApi, GitRepository } from '../../src/vscode/git';
import type { StartWorkResult } from '../../src/vscode/startWork';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery } from './sandbox';
import { waitFor } from './waitFor';

/** What the tests need of the Git API beyond what Start Work types. */
type TestGitApi = GitApi & { openRepository(root: vscode.Uri): Promise<GitRepository | null> };

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A real repository with one commit on `main`, in the workspace, opened by VS Code's Git extension. */
async function gitRepository(): Promise<{ folder: string; repository: GitRepository }> {
  const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const folder = mkdtempSync(join(workspace, 'start-work-'));
  git(folder, 'init', '-q', '-b', 'main');
  git(folder, 'config', 'user.email', 'ada@example.com');
  git(folder, 'config', 'user.name', 'Ada');
  writeFileSync(join(folder, 'README.md'), '# Start Work\n');
  git(folder, 'add', '.');
  git(folder, 'commit', '-q', '-m', 'first');
  const exports = vscode.extensions.getExtension<{ getAPI(v: 1): TestGitApi }>('vscode.git')!;
  const api = (await exports.activate()).getAPI(1);
  const repository = await api.openRepository(vscode.Uri.file(folder));
  assert.ok(repository, `the Git extension opened ${folder}`);
  return { folder, repository };
}

/** Jira's own view of an issue, through the connection's REST API (not the extension's). */
async function readIssue(connection: ConnectionInfo, authorization: string, key: string) {
  const api = connection.flavour === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  const res = await fetch(`${connection.jiraBaseUrl}${api}/issue/${key}?fields=status,assignee`, {
    headers: { Authorization: authorization, Accept: 'application/json' },
  });
  assert.equal(res.status, 200);
  const fields = ((await res.json()) as { fields: Record<string, Record<string, unknown>> }).fields;
  const category = (fields.status!.statusCategory as { key: string }).key;
  return { category, assignee: (fields.assignee?.accountId ?? fields.assignee?.name) as string | undefined };
}

/** A to-do issue someone else (or no one) is assigned to: there is something to start. */
async function toDoIssue(connection: ConnectionInfo, authorization: string): Promise<string> {
  const jql = 'statusCategory = "To Do" AND (assignee is EMPTY OR assignee != currentUser()) ORDER BY key ASC';
  const res =
    connection.flavour === 'cloud'
      ? await fetch(`${connection.jiraBaseUrl}/rest/api/3/search/jql`, {
          method: 'POST',
          headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
          body: JSON.stringify({ jql, fields: ['summary'], maxResults: 1 }),
        })
      : await fetch(`${connection.jiraBaseUrl}/rest/api/2/search?jql=${encodeURIComponent(jql)}&maxResults=1`, {
          headers: { Authorization: authorization, Accept: 'application/json' },
        });
  assert.equal(res.status, 200);
  const key = ((await res.json()) as { issues: { key: string }[] }).issues[0]?.key;
  assert.ok(key, 'the sandbox has a to-do issue not assigned to me');
  return key;
}

describe('Start Work in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const connections: ConnectionInfo[] = [];

  before(async () => {
    api = await extensionApi();
  });
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.stopWork);
    for (const c of connections) await api.connections.remove(c.id);
  });

  it('Cloud: creates the branch in a real repository, moves the issue to In Progress, assigns it, and prefixes commits', async () => {
    const connection = await connectWithApiToken(api);
    connections.push(connection);
    const d = await discovery();
    const ada = d.users[0]!;
    const authorization = `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`;
    const key = await toDoIssue(connection, authorization);
    const { folder, repository } = await gitRepository();
    repository.inputBox.value = 'Speed up the login';

    const result = await vscode.commands.executeCommand<StartWorkResult | undefined>(COMMANDS.startWork, {
      connectionId: connection.id,
      key,
      steps: { branch: true, transition: true, assign: true },
      repository: folder,
    });
    assert.ok(result, 'Start Work ran');
    assert.deepEqual(
      result.outcomes.map((o) => [o.step.kind, o.error, o.detail]),
      [
        ['branch', undefined, 'created'],
        ['transition', undefined, undefined],
        ['assign', undefined, undefined],
      ],
    );
    const branch = git(folder, 'rev-parse', '--abbrev-ref', 'HEAD');
    assert.match(branch, new RegExp(`^${key}-[a-z0-9-]+$`), 'the default template: KEY-short-summary');
    const jira = await readIssue(connection, authorization, key);
    assert.equal(jira.category, 'indeterminate');
    assert.equal(jira.assignee, connection.user.accountId);

    assert.equal(api.startWork.active()?.key, key);
    assert.equal(api.startWork.active()?.branch, branch);
    assert.equal(api.startWork.statusBarItem.text, `$(tasklist) ${key}`);
    assert.equal(repository.inputBox.value, `${key} Speed up the login`);

    // Back on main, Start Work again checks the existing branch out; the prefix is not doubled.
    git(folder, 'checkout', '-q', 'main');
    await waitFor(() => repository.state.HEAD?.name === 'main', 'the Git extension to see main checked out');
    const again = await vscode.commands.executeCommand<StartWorkResult | undefined>(COMMANDS.startWork, {
      connectionId: connection.id,
      key,
      steps: { branch: true, transition: true, assign: true },
      repository: folder,
    });
    assert.deepEqual(
      again?.outcomes.map((o) => [o.step.kind, o.error, o.detail]),
      [['branch', undefined, 'checkedOut']],
      'already in progress and assigned: only the checkout is left to do',
    );
    assert.equal(git(folder, 'rev-parse', '--abbrev-ref', 'HEAD'), branch);
    assert.equal(repository.inputBox.value, `${key} Speed up the login`);

    // Starting another issue (no steps chosen) makes it the active one: its key replaces the first.
    const other = await toDoIssue(connection, authorization);
    await vscode.commands.executeCommand(COMMANDS.startWork, {
      connectionId: connection.id,
      key: other,
      steps: { branch: false, transition: false, assign: false },
    });
    assert.equal(api.startWork.active()?.key, other);
    assert.equal(repository.inputBox.value, `${other} Speed up the login`);

    await vscode.commands.executeCommand(COMMANDS.stopWork);
    assert.equal(api.startWork.active(), undefined);
    assert.equal(repository.inputBox.value, 'Speed up the login');
  });

  it('Data Center: moves the issue to In Progress and assigns it by user name', async () => {
    const d = (await discovery()) as unknown as { dataCenter: { url: string; personalAccessToken: string } };
    const { info, credential } = await signInWithPersonalAccessToken({
      baseUrl: d.dataCenter.url,
      token: d.dataCenter.personalAccessToken,
    });
    await api.connections.add(info, credential);
    connections.push(info);
    const authorization = `Bearer ${d.dataCenter.personalAccessToken}`;
    const key = await toDoIssue(info, authorization);

    const result = await vscode.commands.executeCommand<StartWorkResult | undefined>(COMMANDS.startWork, {
      connectionId: info.id,
      key,
      steps: { branch: false, transition: true, assign: true },
    });
    assert.deepEqual(
      result?.outcomes.map((o) => [o.step.kind, o.error]),
      [
        ['transition', undefined],
        ['assign', undefined],
      ],
    );
    const jira = await readIssue(info, authorization, key);
    assert.equal(jira.category, 'indeterminate');
    assert.ok(jira.assignee, 'assigned');
    assert.equal(api.startWork.active()?.key, key);
  });
});
