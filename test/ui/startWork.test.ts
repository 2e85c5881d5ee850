import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { settle } from './views';
import {
  connectWithApiToken,
  inputTitled,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  type Workbench,
} from './workbench';

type Json = Record<string, unknown>;

describe('Start Work in the workbench, in a real git repository, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  /** Jira's REST API as Ada, straight to the sandbox (what Jira holds, not what the extension shows). */
  const rest = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const ada = sandbox.discovery.users[0]!;
    const res = await fetch(`${sandbox.discovery.sites[0]!.url}/rest/api/3${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Json;
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workbench.server.workspace, encoding: 'utf8' });

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      gitRepository: true,
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
    });
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-startwork-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('creates the branch, moves the issue to In Progress, shows it in the status bar and prefixes the commit message', async () => {
    const { page } = workbench;
    const found = await rest('POST', '/search/jql', {
      jql: 'statusCategory = "To Do" AND (assignee is EMPTY OR assignee != currentUser()) ORDER BY key ASC',
      fields: ['summary'],
      maxResults: 1,
    });
    const key = String((found.issues as Json[])[0]!.key);

    await runCommand(page, 'Atlassian: Start Work on Jira Issue…');
    await inputTitled(page, 'Start Work on Jira Issue').waitFor();
    await page.locator('.quick-input-widget .quick-input-box input').fill(key);
    await page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    await inputTitled(page, `Start Work on ${key}`).waitFor();
    await quickPickRow(page, 'Create or check out a branch').waitFor();
    await screenshot(page, 'startwork-1-steps');
    await page.locator('.quick-input-widget .quick-input-box input').press('Enter');

    await toast(page, new RegExp(`Working on ${key}: created branch ${key}-`)).waitFor();
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD').trim();
    assert.match(branch, new RegExp(`^${key}-[a-z0-9-]+$`));
    const fields = (await rest('GET', `/issue/${key}?fields=status,assignee`)).fields as Json;
    assert.equal(((fields.status as Json).statusCategory as Json).key, 'indeterminate');
    assert.equal((fields.assignee as Json).displayName, 'Ada Lovelace');
    // Ours by its icon: the Git branch item shows the key too (in the branch name).
    const activeItem = page
      .locator('.part.statusbar .statusbar-item', { hasText: key, has: page.locator('.codicon-tasklist') })
      .first();
    await activeItem.waitFor();
    // The Source Control view shows the new branch and the key in front of the commit message.
    await page.locator('.activitybar .action-item .action-label[aria-label^="Source Control"]').click();
    await page.locator('.scm-editor .view-lines', { hasText: key }).first().waitFor();
    await page.locator('.part.statusbar .statusbar-item', { hasText: branch }).first().waitFor();
    await settle(page);
    await screenshot(page, 'startwork-2-branch-status-bar-commit-prefix');

    await runCommand(page, 'Atlassian: Stop Work on Jira Issue');
    await activeItem.waitFor({ state: 'detached' });
  });
});
