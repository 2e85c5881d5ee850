import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { collapseView, settle, widenSideBar } from './views';
import {
  connectWithApiToken,
  openAtlassianContainer,
  openWorkbench,
  runCommand,
  screenshot,
  toast,
  viewPane,
  type Workbench,
} from './workbench';

const CHANGE_RISK = 'customfield_10050';
const TODO_FILE = 'src/upload.ts';

describe('creating Jira issues in the workbench, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  /** The open webview's document (the create form, or an issue panel; VS Code nests it in two iframes). */
  const webview = (): FrameLocator => workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe');
  /** Jira's own view of an issue, as Ada. */
  const issue = async (key: string, fields: string) => {
    const ada = sandbox.discovery.users[0]!;
    const res = await fetch(`${sandbox.discovery.sites[0]!.url}/rest/api/3/issue/${key}?fields=${fields}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { fields: Record<string, unknown> }).fields;
  };
  /** Picks project and type the way a person does; each choice redraws the form with the fields that depend on it. */
  const choose = async (project: string, type: string) => {
    const f = webview();
    await f.locator('#f-project').selectOption(project);
    const redrawn = f.locator(`form[data-project="${project}"]`);
    await redrawn.waitFor();
    const typeId = await redrawn
      .locator('#f-issuetype option', { hasText: new RegExp(`^${type}$`) })
      .getAttribute('value');
    await redrawn.locator('#f-issuetype').selectOption(typeId!);
    await f.locator(`form[data-project="${project}"][data-issuetype="${typeId}"]`).waitFor();
  };

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tree.enableStickyScroll': false,
      },
    });
    await mkdir(join(workbench.server.workspace, 'src'), { recursive: true });
    await writeFile(
      join(workbench.server.workspace, TODO_FILE),
      'export async function upload(file: Blob): Promise<void> {\n' +
        '  // TODO: retry the upload when the network drops\n' +
        '  await send(file);\n' +
        '}\n',
    );
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
    await openAtlassianContainer(workbench.page);
    await widenSideBar(workbench.page, 420);
    await collapseView(workbench.page, 'Connection');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-create-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('creates an issue from the My Issues title: the required custom field is asked for, refused while empty, then set', async () => {
    const { page } = workbench;
    const pane = viewPane(page, 'My Issues');
    await pane.locator('.pane-header').hover();
    await pane.locator('.pane-header .actions .action-label[aria-label="Create Jira Issue…"]').click();
    const f = webview();
    await f.locator('#f-project').waitFor();
    await choose('OPS', 'Story');
    await f.locator(`#f-${CHANGE_RISK}`).waitFor();
    await f.locator('#f-summary').fill('Rotate the deploy keys');
    await f.locator('#f-description').fill('Rotate, then **verify** on:\n\n- staging\n- production');
    await f.locator('#f-labels').fill('keys security');
    await screenshot(page, 'create-1-form-with-required-field');

    await f.locator('button[type=submit]').click();
    await f.locator(`#e-${CHANGE_RISK}`, { hasText: 'Change risk is required.' }).waitFor();
    assert.equal(await f.locator(`#f-${CHANGE_RISK}`).getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'create-2-required-field-refused');

    await f.locator(`#f-${CHANGE_RISK}`).selectOption({ label: 'High' });
    await f.locator('button[type=submit]').click();
    const created = toast(page, /Created OPS-\d+\./);
    await created.waitFor();
    const key = /OPS-\d+/.exec((await created.textContent()) ?? '')![0];
    await settle(page);
    await screenshot(page, 'create-3-created');
    const fields = await issue(key, `summary,labels,description,${CHANGE_RISK}`);
    assert.equal(fields.summary, 'Rotate the deploy keys');
    assert.deepEqual(fields.labels, ['keys', 'security']);
    assert.equal((fields[CHANGE_RISK] as { value: string }).value, 'High');
    assert.equal((fields.description as { type: string }).type, 'doc', 'Markdown arrived as ADF');
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('turns a TODO comment into an issue from its code action and writes the key back into the comment', async () => {
    const { page } = workbench;
    await runCommand(page, 'Go to File...');
    await page.keyboard.type('upload.ts');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'upload.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'TODO: retry the upload' }).click();
    // The light bulb VS Code shows on the line (a key chord may not reach the editor in the browser).
    await editor.locator('.lightBulbWidget').click();
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Create Jira Issue from TODO' });
    await action.waitFor();
    await screenshot(page, 'todo-1-code-action');
    await action.click();

    const f = webview();
    await f.locator('#f-summary').waitFor();
    assert.equal(await f.locator('#f-summary').inputValue(), 'retry the upload when the network drops');
    assert.match(await f.locator('#f-description').inputValue(), /^TODO in `src\/upload\.ts:2`:\n\n```typescript\n/);
    await choose('ENG', 'Task');
    await f.locator('#f-priority').waitFor();
    await screenshot(page, 'todo-2-prefilled-form');
    await f.locator('button[type=submit]').click();

    const created = toast(page, /Created ENG-\d+\./);
    await created.waitFor();
    const key = /ENG-\d+/.exec((await created.textContent()) ?? '')![0];
    await editor.locator('.view-line', { hasText: `TODO(${key}): retry the upload` }).waitFor();
    await settle(page);
    await screenshot(page, 'todo-3-key-written-back');
    const fields = await issue(key, 'summary,description');
    assert.equal(fields.summary, 'retry the upload when the network drops');
    assert.match(JSON.stringify(fields.description), /src\/upload\.ts:2/);
  });

  it('the issue panel previews a Markdown comment as Jira will show it, the mention resolved, before sending it', async () => {
    const { page } = workbench;
    await runCommand(page, 'Open Jira Issue by Key…');
    await page.locator('.quick-input-widget .quick-input-box input').fill('ENG-1');
    await page.keyboard.press('Enter');
    const view = webview();
    const area = view.locator('[data-form="comment"] textarea');
    await area.waitFor();
    await area.fill('Thanks @grace, the **retry** fix is in `upload.ts`.');
    await view.locator('[data-form="comment"] button', { hasText: 'Preview' }).click();
    await view.locator('#comment-preview .mention', { hasText: '@Grace Hopper' }).waitFor();
    await view.locator('#comment-preview strong', { hasText: 'retry' }).waitFor();
    await view.locator('#comment-preview').scrollIntoViewIfNeeded();
    await screenshot(page, 'comment-1-preview-with-mention');
    await view.locator('[data-form="comment"] button.primary').click();
    await view.locator('li.comment', { hasText: 'the retry fix is in' }).first().waitFor();
    const comments = (await issue('ENG-1', 'comment')).comment as { comments: { body: unknown }[] };
    assert.match(JSON.stringify(comments.comments.at(-1)!.body), /"type":"mention"/, 'sent as an ADF mention');
  });
});
