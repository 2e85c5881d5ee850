import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS } from '../../src/vscode/ids';
import type { CreateIssuePanel } from '../../src/vscode/createIssuePanel';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery } from './sandbox';

const CHANGE_RISK = 'customfield_10050';

interface Flavour {
  readonly name: 'Cloud' | 'Data Center';
  /** A project whose Stories require Change risk, and one that requires nothing extra. */
  readonly strict: string;
  readonly plain: string;
  connect(api: ExtensionApi): Promise<ConnectionInfo>;
  /** The issue as Jira holds it, read with the connection's own kind of credential. */
  read(key: string, fields: string): Promise<Record<string, unknown>>;
}

async function dataCenter(): Promise<{ url: string; personalAccessToken: string }> {
  return ((await discovery()) as unknown as { dataCenter: { url: string; personalAccessToken: string } }).dataCenter;
}

async function readIssue(url: string, authorization: string, key: string, fields: string) {
  const res = await fetch(`${url}/issue/${key}?fields=${fields}`, {
    headers: { Authorization: authorization, Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`GET ${key} answered ${res.status}`);
  return ((await res.json()) as { fields: Record<string, unknown> }).fields;
}

const FLAVOURS: readonly Flavour[] = [
  {
    name: 'Cloud',
    strict: 'OPS',
    plain: 'ENG',
    connect: connectWithApiToken,
    read: async (key, fields) => {
      const d = await discovery();
      const ada = d.users[0]!;
      const basic = `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`;
      return readIssue(`${d.sites[0]!.url}/rest/api/3`, basic, key, fields);
    },
  },
  {
    name: 'Data Center',
    strict: 'TOOLS',
    plain: 'LEGACY',
    connect: async (api) => {
      const dc = await dataCenter();
      const { info, credential } = await signInWithPersonalAccessToken({
        baseUrl: dc.url,
        token: dc.personalAccessToken,
      });
      await api.connections.add(info, credential);
      return info;
    },
    read: async (key, fields) => {
      const dc = await dataCenter();
      return readIssue(`${dc.url}/rest/api/2`, `Bearer ${dc.personalAccessToken}`, key, fields);
    },
  },
];

describe('creating Jira issues in a real VS Code, against the sandbox', function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The form the last command opened, once its projects, types and fields are loaded. */
  const form = async (): Promise<CreateIssuePanel> => {
    const panel = api.issueCreation.current;
    assert.ok(panel, 'a create form is open');
    await panel.loaded();
    assert.equal(panel.error, undefined, 'the form loaded');
    return panel;
  };
  const typeId = (panel: CreateIssuePanel, name: string) => {
    const type = panel.state.issueTypes.find((t) => t.name === name);
    assert.ok(type, `${name} is offered`);
    return type.id;
  };

  for (const flavour of FLAVOURS) {
    describe(flavour.name, () => {
      let connection: ConnectionInfo;
      /** The Story the first test creates (the next one puts a sub-task under it). */
      let story: string | undefined;
      before(async () => {
        connection = await flavour.connect(api);
      });
      after(async () => {
        await api.connections.remove(connection.id);
      });

      it(`creates a Story of ${flavour.strict} only once its required custom field is set; the refusal names the field`, async () => {
        await vscode.commands.executeCommand(COMMANDS.createIssue, { connectionId: connection.id });
        let panel = await form();
        assert.equal(panel.panel.viewType, 'atlassianMcpBridge.createIssue');
        assert.ok(panel.state.projects.some((p) => p.key === flavour.strict));
        await panel.select(flavour.strict, undefined);
        await panel.select(flavour.strict, typeId(panel, 'Story'));
        panel = await form();
        const risk = panel.state.fields.find((f) => f.id === CHANGE_RISK);
        assert.deepEqual(
          [risk?.required, risk?.kind, risk?.allowed?.map((a) => a.name)],
          [true, 'option', ['Low', 'Medium', 'High']],
        );

        const submission = {
          summary: `Rotate the deploy keys (${flavour.name})`,
          description: 'Rotate, then **verify**:\n\n- staging\n- production',
          values: { labels: 'keys' },
        };
        assert.equal(await panel.submit(submission), undefined, 'not created without Change risk');
        assert.deepEqual(panel.refusal?.fieldErrors, { [CHANGE_RISK]: 'Change risk is required.' });
        assert.equal(api.issueCreation.current, panel, 'the form stays open with what was typed');

        const key = await panel.submit({ ...submission, values: { ...submission.values, [CHANGE_RISK]: '10202' } });
        assert.match(key ?? '', new RegExp(`^${flavour.strict}-\\d+$`));
        story = key;
        assert.equal(api.issueCreation.current, undefined, 'the form closes once the issue exists');
        const fields = await flavour.read(key!, `summary,description,labels,${CHANGE_RISK}`);
        assert.equal(fields.summary, submission.summary);
        assert.equal((fields[CHANGE_RISK] as { value?: string }).value, 'High');
        assert.deepEqual(fields.labels, ['keys']);
        if (flavour.name === 'Cloud') assert.equal((fields.description as { type?: string }).type, 'doc');
        else assert.match(String(fields.description), /\*verify\*/);
      });

      it('Create Sub-task opens the form on the parent’s project with a sub-task type, and creates under it', async () => {
        assert.ok(story, 'the Story of the previous test');
        await vscode.commands.executeCommand(COMMANDS.createSubtask, { connectionId: connection.id, key: story });
        const panel = await form();
        assert.equal(panel.state.projectKey, flavour.strict);
        assert.equal(panel.state.parentKey, story);
        assert.ok(panel.state.issueTypes.length > 0 && panel.state.issueTypes.every((t) => t.subtask));
        assert.ok(!panel.state.fields.some((f) => f.id === 'parent'), 'the parent is not asked for');
        const key = await panel.submit({ summary: 'A sub-task from VS Code', description: '', values: {} });
        assert.ok(key, `created: ${JSON.stringify(panel.refusal?.fieldErrors ?? panel.refusal?.general)}`);
        const fields = await flavour.read(key, 'parent');
        assert.equal((fields.parent as { key?: string }).key, story);
      });

      it('a TODO comment offers "Create Jira Issue from TODO", prefills the form and gets the new key written back', async () => {
        const document = await vscode.workspace.openTextDocument({
          language: 'typescript',
          content: 'export function upload() {\n  // TODO: retry the upload when the network drops\n  send();\n}\n',
        });
        await vscode.window.showTextDocument(document);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          document.uri,
          new vscode.Range(1, 5, 1, 5),
        );
        const action = actions.find((a) => a.title === 'Create Jira Issue from TODO');
        assert.ok(action?.command, 'the code action is offered on the TODO line');
        const none = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          document.uri,
          new vscode.Range(2, 2, 2, 2),
        );
        assert.ok(!none.some((a) => a.title === action.title), 'and not on other lines');

        assert.equal(api.connections.list().length, 1, 'one connection, so the action asks for no site');
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
        let panel = await form();
        assert.equal(panel.state.prefill?.summary, 'retry the upload when the network drops');
        assert.match(panel.state.prefill?.description ?? '', /^TODO in `Untitled-\d+:2`:\n\n```typescript\n/);
        assert.match(panel.state.prefill?.description ?? '', /\/\/ TODO: retry the upload/);
        await panel.select(flavour.plain, undefined);
        await panel.select(flavour.plain, typeId(panel, 'Task'));
        panel = await form();
        const key = await panel.submit({
          summary: panel.state.prefill!.summary!,
          description: panel.state.prefill!.description!,
          values: {},
        });
        assert.ok(key, `created: ${JSON.stringify(panel.refusal?.fieldErrors ?? panel.refusal?.general)}`);
        assert.equal(document.lineAt(1).text, `  // TODO(${key}): retry the upload when the network drops`);
        const after = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          document.uri,
          new vscode.Range(1, 5, 1, 5),
        );
        assert.ok(!after.some((a) => a.title === action.title), 'a TODO with its issue is not offered again');
        const fields = await flavour.read(key, 'summary');
        assert.equal(fields.summary, 'retry the upload when the network drops');
      });
    });
  }
});
