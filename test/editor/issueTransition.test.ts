import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../../src/auth/connections';
import { signInWithPersonalAccessToken } from '../../src/auth/signIn';
import type { ExtensionApi } from '../../src/extension';
import { COMMANDS } from '../../src/vscode/ids';
import { extensionApi } from './extensionApi';
import { connectWithApiToken, discovery } from './sandbox';

/** Jira's own view of an issue through the connection's REST API (not the extension's). */
async function readIssue(connection: ConnectionInfo, authorization: string, key: string) {
  const api = connection.flavour === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  const res = await fetch(`${connection.jiraBaseUrl}${api}/issue/${key}?fields=status,resolution`, {
    headers: { Authorization: authorization, Accept: 'application/json' },
  });
  assert.equal(res.status, 200);
  const fields = ((await res.json()) as { fields: { status: { name: string }; resolution: { name: string } | null } })
    .fields;
  return { status: fields.status.name, resolution: fields.resolution?.name };
}

/** Two issues in To Do, whose Won't Do transition asks for a resolution (the sandbox's workflow). */
async function toDoIssues(connection: ConnectionInfo, authorization: string): Promise<[string, string]> {
  const jql = 'status = "To Do" ORDER BY key DESC';
  const res =
    connection.flavour === 'cloud'
      ? await fetch(`${connection.jiraBaseUrl}/rest/api/3/search/jql`, {
          method: 'POST',
          headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
          body: JSON.stringify({ jql, fields: ['summary'], maxResults: 2 }),
        })
      : await fetch(`${connection.jiraBaseUrl}/rest/api/2/search?jql=${encodeURIComponent(jql)}&maxResults=2`, {
          headers: { Authorization: authorization, Accept: 'application/json' },
        });
  assert.equal(res.status, 200);
  const keys = ((await res.json()) as { issues: { key: string }[] }).issues.map((i) => i.key);
  assert.equal(keys.length, 2, 'the sandbox has two to-do issues');
  return [keys[0]!, keys[1]!];
}

interface Flavour {
  readonly name: 'Cloud' | 'Data Center';
  connect(api: ExtensionApi): Promise<{ connection: ConnectionInfo; authorization: string }>;
}

const FLAVOURS: readonly Flavour[] = [
  {
    name: 'Cloud',
    async connect(api) {
      const connection = await connectWithApiToken(api);
      const ada = (await discovery()).users[0]!;
      return { connection, authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}` };
    },
  },
  {
    name: 'Data Center',
    async connect(api) {
      const d = (await discovery()) as unknown as { dataCenter: { url: string; personalAccessToken: string } };
      const { info, credential } = await signInWithPersonalAccessToken({
        baseUrl: d.dataCenter.url,
        token: d.dataCenter.personalAccessToken,
      });
      await api.connections.add(info, credential);
      return { connection: info, authorization: `Bearer ${d.dataCenter.personalAccessToken}` };
    },
  },
];

describe("My Issues' Transition command with a field the screen requires, against the sandbox", function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    api = await extensionApi();
  });

  for (const flavour of FLAVOURS)
    describe(flavour.name, () => {
      let connection: ConnectionInfo;
      let authorization: string;
      before(async () => {
        ({ connection, authorization } = await flavour.connect(api));
      });
      after(async () => {
        await api.connections.remove(connection.id);
      });

      it("Won't Do with a resolution: Jira has Done and the resolution; a resolution Jira refuses moves nothing", async () => {
        const [key, other] = await toDoIssues(connection, authorization);
        const moved = await vscode.commands.executeCommand<boolean>(
          COMMANDS.transitionIssue,
          { connectionId: connection.id, key },
          "Won't Do",
          { Resolution: 'duplicate' },
        );
        assert.deepEqual(await readIssue(connection, authorization, key), { status: 'Done', resolution: 'Duplicate' });
        assert.equal(moved, true);

        const refused = await vscode.commands.executeCommand<boolean>(
          COMMANDS.transitionIssue,
          { connectionId: connection.id, key: other },
          "Won't Do",
          { resolution: 'No Such Resolution' },
        );
        assert.deepEqual(await readIssue(connection, authorization, other), { status: 'To Do', resolution: undefined });
        assert.equal(refused, false, 'the refusal is reported, not taken for a move');
      });
    });
});
