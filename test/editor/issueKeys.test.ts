import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS } from '../../src/vscode/ids';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery, jiraIssue } from './sandbox';

describe('issue keys in editors in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let connection: ConnectionInfo;
  const others: ConnectionInfo[] = [];

  before(async () => {
    api = await extensionApi();
    connection = await connectWithApiToken(api);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.connections.remove(connection.id);
    for (const c of others) await api.connections.remove(c.id);
  });

  it('Cloud: keys of the site’s projects are links and hovers in a source file; other key-shaped words are not', async () => {
    const text = '// ENG-1 is the cause (not UTF-8, not NOPE-4); see OPS-2.\nconst x = 1;\n';
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: text });
    await vscode.window.showTextDocument(document);

    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      document.uri,
    );
    const ours = links.filter((l) => l.target?.scheme === 'command');
    assert.deepEqual(
      ours.map((l) => document.getText(l.range)),
      ['ENG-1', 'OPS-2'],
    );
    const target = ours[0]!.target!;
    assert.equal(target.path, COMMANDS.openIssue);
    assert.deepEqual(JSON.parse(decodeURIComponent(target.query)), [{ connectionId: connection.id, key: 'ENG-1' }]);

    const position = document.positionAt(text.indexOf('ENG-1') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      position,
    );
    const hover = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .find((v) => v.includes('ENG\\-1'));
    assert.ok(hover, 'a hover for ENG-1');
    const fields = await jiraIssue('ENG-1', 'summary,status');
    const status = (fields.status as { name: string }).name;
    assert.ok(hover.includes(status.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&')), `the status ${status} in ${hover}`);
    assert.ok(hover.includes(`command:${COMMANDS.openIssue}`), 'an Open link');
    assert.ok(hover.includes(`command:${COMMANDS.startWork}`), 'a Start Work link');

    const none = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      document.positionAt(text.indexOf('NOPE-4') + 1),
    );
    assert.ok(
      none.every((h) => h.contents.every((c) => !(typeof c === 'string' ? c : c.value).includes('NOPE'))),
      'an unknown project key has no hover',
    );
  });

  it('Data Center: a second site adds its own projects’ keys, each linked to its own connection', async () => {
    const d = (await discovery()) as unknown as { dataCenter: { url: string; personalAccessToken: string } };
    const { info, credential } = await signInWithPersonalAccessToken({
      baseUrl: d.dataCenter.url,
      token: d.dataCenter.personalAccessToken,
    });
    await api.connections.add(info, credential);
    others.push(info);
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: '# Notes\n\nLEGACY-1 blocks ENG-1.\n',
    });
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      document.uri,
    );
    const targets = links
      .filter((l) => l.target?.scheme === 'command')
      .map((l) => [document.getText(l.range), JSON.parse(decodeURIComponent(l.target!.query)) as unknown]);
    assert.deepEqual(targets, [
      ['LEGACY-1', [{ connectionId: info.id, key: 'LEGACY-1' }]],
      ['ENG-1', [{ connectionId: connection.id, key: 'ENG-1' }]],
    ]);
  });
});
