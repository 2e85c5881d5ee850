import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID, extensionApi } from './extensionApi';
import { BRIDGE_LABEL } from '../../src/mcp/serverPlan';
import { COMMANDS } from '../../src/vscode/ids';
import { connectWithApiToken } from './sandbox';
import { waitFor } from './waitFor';

/** VS Code's id for a provider's server: lower-cased extension id / label. */
const BRIDGE_ID = `${EXTENSION_ID}/${BRIDGE_LABEL}`;

describe('the MCP provider in a real VS Code', () => {
  let api: ExtensionApi;
  let connectionId: string;

  before(async () => {
    api = await extensionApi();
    connectionId = (await connectWithApiToken(api)).id;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', BRIDGE_ID);
    await api.connections.remove(connectionId);
  });

  const bridgeTools = () => vscode.lm.tools.filter((t) => /jira_search$|confluence_search$/.test(t.name));

  it('starts the bundled bridge once a connection exists, and VS Code discovers its tools', async function () {
    this.timeout(90_000);
    // The provider's change event makes VS Code ask again; starting is a no-op until it has.
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', BRIDGE_ID, { waitForLiveTools: true });
        return bridgeTools().length === 2;
      },
      'the bridge tools in vscode.lm.tools',
      60_000,
    );
    const names = vscode.lm.tools
      .filter((t) => t.name.includes('jira_') || t.name.includes('confluence_'))
      .map((t) => t.name);
    assert.ok(names.length >= 20 && names.length <= 25, `a lean default toolset, got ${names.length}`);
  });

  it('invokes the search tool and returns sandbox issues', async () => {
    const search = vscode.lm.tools.find((t) => t.name.endsWith('jira_search'));
    assert.ok(search);
    const result = await vscode.lm.invokeTool(search.name, {
      input: { jql: 'project = ENG ORDER BY key ASC', limit: 3 },
      toolInvocationToken: undefined,
    });
    const text = result.content
      .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
      .join('');
    assert.match(text, /ENG-1\b/);
    assert.match(text, /ENG-2\b/);
  });

  it('records a write the agent made through the bridge, and "Show Agent Activity" shows it', async () => {
    const comment = vscode.lm.tools.find((t) => t.name.endsWith('jira_add_comment'));
    assert.ok(comment);
    const result = await vscode.lm.invokeTool(comment.name, {
      input: { issue_key: 'ENG-3', body: 'Written by the agent activity test' },
      toolInvocationToken: undefined,
    });
    const text = result.content
      .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
      .join('');
    assert.doesNotMatch(text, /error|refused/i, text);
    await vscode.commands.executeCommand(COMMANDS.showAgentActivity);
    const shown = vscode.window.activeTextEditor?.document;
    assert.ok(shown, 'the activity document is open');
    assert.equal(shown.uri.scheme, 'atlassian-mcp-bridge-activity');
    const newest = shown
      .getText()
      .split('\n')
      .find((line) => /^\d{4}-\d\d-\d\d /.test(line));
    assert.match(newest ?? '', /done {2}· {2}jira_add_comment {2}· {2}ENG-3 {2}· {2}on /, shown.getText());
    assert.doesNotMatch(shown.getText(), /Written by the agent activity test/, 'no bodies in the log');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
