import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/index';
import {
  collapseView,
  contextMenu,
  inlineAction,
  rowDescription,
  settle,
  statusBarItem,
  treeRow,
  widenSideBar,
} from './views';
import {
  connectWithApiToken,
  openAtlassianContainer,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  viewPane,
  type Workbench,
} from './workbench';

const VIEW = 'My Issues';

describe('My Issues in the workbench, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  /** Reads an issue as Ada, straight from the sandbox. */
  const issue = async (key: string, fields: string) => {
    const ada = sandbox.discovery.users[0]!;
    const res = await fetch(`${sandbox.discovery.sites[0]!.url}/rest/api/3/issue/${key}?fields=${fields}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}` },
    });
    return ((await res.json()) as { fields: Record<string, unknown> }).fields;
  };
  /** The nth issue under the first expanded filter (DOM order is not row order in a virtual list). */
  const issueRow = (n = 1) =>
    viewPane(workbench.page, VIEW).locator(`.monaco-list-row[aria-level="3"][aria-posinset="${n}"]`).first();
  const rowOf = (key: string) => treeRow(workbench.page, VIEW, new RegExp(`^${key}(?!\\d)`));
  /** The issue key a row shows (rows are labelled "KEY", described "Status · summary"). */
  const keyOf = async (row: ReturnType<typeof treeRow>) =>
    /^([A-Z]+-\d+)\b/.exec((await row.getAttribute('aria-label')) ?? '')?.[1] ?? '';

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        // Sticky parent rows would sit on top of the rows the test clicks.
        'workbench.tree.enableStickyScroll': false,
        'atlassianMcpBridge.issues.filters': [
          {
            name: 'Unassigned in OPS',
            jql: 'project = OPS AND assignee is EMPTY AND statusCategory != Done ORDER BY key ASC',
          },
        ],
      },
    });
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
    await openAtlassianContainer(workbench.page);
    await widenSideBar(workbench.page, 640);
    await collapseView(workbench.page, 'Connection');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-issues-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('shows the first 100 issues with "Load more", then all 334 after three more pages, with the badge', async () => {
    const { page } = workbench;
    const filter = treeRow(page, VIEW, 'Assigned to me');
    await filter.waitFor();
    await treeRow(page, VIEW, /^Assigned to me100 of 334$/).waitFor();
    await screenshot(page, 'issues-1-first-page');

    // "Load more" ends the filter's rows: focus the tree and jump to the end so the row is rendered.
    await issueRow().click();
    const reach = async (key: 'End' | 'Home', row: ReturnType<typeof treeRow>) => {
      for (const deadline = Date.now() + 30_000; !(await row.isVisible());) {
        if (Date.now() > deadline) throw new Error(`no row ${String(row)}`);
        await page.keyboard.press(key);
        await page.waitForTimeout(200);
      }
    };
    for (let shown = 100; shown < 334; shown += 100) {
      const more = treeRow(page, VIEW, new RegExp(`^Load more…${shown} of 334 shown$`));
      await reach('End', more);
      await more.click();
    }
    await reach('Home', treeRow(page, VIEW, /^Assigned to me334$/));
    await reach('End', treeRow(page, VIEW, /^Unassigned in OPS/));
    assert.equal(await treeRow(page, VIEW, /^Load more…/).count(), 0, 'nothing more to load');
    await reach('Home', filter);
    assert.equal(await rowDescription(filter), '334');
    const badge = page.locator('.activitybar .action-item:has(.action-label[aria-label^="Atlassian"]) .badge-content');
    assert.equal((await badge.textContent())?.trim(), '334');
    await screenshot(page, 'issues-2-all-334-loaded');
  });

  it('groups by status from the view title', async () => {
    const { page } = workbench;
    await runCommand(page, 'Atlassian: Toggle Grouping of Jira Issues by Status');
    const group = treeRow(page, VIEW, /^To Do\d+$/);
    await group.waitFor();
    for (const status of ['Blocked', 'In Progress', 'In Review'])
      await treeRow(page, VIEW, new RegExp(`^${status}\\d+$`)).waitFor();
    await treeRow(page, VIEW, /^In Progress\d+$/).click();
    await screenshot(page, 'issues-3-grouped-by-status');
    await runCommand(page, 'Atlassian: Toggle Grouping of Jira Issues by Status');
    await group.waitFor({ state: 'detached' });
  });

  it('transitions an issue from its context menu: the quick pick lists its workflow, the sandbox has the new status', async () => {
    const { page } = workbench;
    const row = viewPane(page, VIEW)
      .locator('.monaco-list-row', { has: page.locator('.label-description', { hasText: /^To Do · / }) })
      .first();
    const key = await keyOf(row);
    assert.match(key, /^[A-Z]+-\d+$/);
    await contextMenu(page, row, 'Transition Issue…');
    await quickPickRow(page, 'In Progress').waitFor();
    await screenshot(page, 'issues-4-transition-pick');
    await quickPickRow(page, 'In Progress').click();
    await page.locator('.part.statusbar', { hasText: `${key} moved to In Progress` }).waitFor();
    assert.equal(((await issue(key, 'status')).status as { name: string }).name, 'In Progress');
    await rowOf(key).locator('.label-description', { hasText: 'In Progress' }).waitFor();
    await screenshot(page, 'issues-5-transitioned');
  });

  it('comments from the inline action: Markdown in, ADF in the sandbox', async () => {
    const { page } = workbench;
    const row = issueRow();
    const key = await keyOf(row);
    await inlineAction(row, 'Add Comment…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('Checked from **VS Code**: see `deploy.sh`');
    await screenshot(page, 'issues-6-comment-input');
    await input.press('Enter');
    await toast(page, `Comment added to ${key}.`).waitFor();
    await settle(page);
    await screenshot(page, 'issues-7-comment-added');
    const body = JSON.stringify(
      ((await issue(key, 'comment')).comment as { comments: { body: unknown }[] }).comments.at(-1)!.body,
    );
    assert.match(body, /"text":"VS Code","marks":\[\{"type":"strong"\}\]/);
    assert.match(body, /"text":"deploy.sh","marks":\[\{"type":"code"\}\]/);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('opens an issue in the browser and copies its key', async () => {
    const { page, session } = workbench;
    const row = issueRow();
    const key = await keyOf(row);
    const popup = session.context.waitForEvent('page');
    await inlineAction(row, 'Open in Browser');
    const opened = await popup;
    // code-server opens loopback URLs through its port proxy.
    assert.match(opened.url(), new RegExp(`/sites/acme/browse/${key}$`));
    await opened.close();

    await contextMenu(page, row, 'Copy Issue Key');
    await page.locator('.part.statusbar', { hasText: `Copied ${key}` }).waitFor();
  });

  it('assigns an unassigned issue from a named filter to me', async () => {
    const { page } = workbench;
    // Fold "Assigned to me" so the named filter below it is in view.
    await treeRow(page, VIEW, 'Assigned to me').click();
    await treeRow(page, VIEW, 'Unassigned in OPS').click();
    const row = issueRow();
    await row.waitFor();
    const key = await keyOf(row);
    await contextMenu(page, row, 'Assign to Me');
    await page.locator('.part.statusbar', { hasText: `${key} is assigned to you` }).waitFor();
    assert.equal(((await issue(key, 'assignee')).assignee as { displayName: string }).displayName, 'Ada Lovelace');
    await rowOf(key).waitFor({ state: 'detached' });
    await treeRow(page, VIEW, /^Unassigned in OPS1$/).waitFor();
    await page.locator('.activitybar .badge-content', { hasText: '335' }).waitFor();
    await screenshot(page, 'issues-8-assigned-to-me');
  });

  // After the assign test: it moves one of Ada's issues out of "Assigned to me", which the badge counts.
  it("Won't Do from the tree asks for the resolution: Escape posts nothing, a pick moves it", async () => {
    const { page } = workbench;
    // The assign test folded "Assigned to me": unfold it.
    await treeRow(page, VIEW, 'Assigned to me').click();
    const row = viewPane(page, VIEW)
      .locator('.monaco-list-row', { has: page.locator('.label-description', { hasText: /^To Do · / }) })
      .first();
    const key = await keyOf(row);
    assert.match(key, /^[A-Z]+-\d+$/);
    const resolutionPick = async () => {
      await contextMenu(page, rowOf(key), 'Transition Issue…');
      const wontDo = quickPickRow(page, "Won't Do");
      await wontDo.waitFor();
      assert.match((await wontDo.textContent()) ?? '', /Asks for: Resolution/);
      await wontDo.click();
      await quickPickRow(page, 'Duplicate').waitFor();
    };
    await resolutionPick();
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    assert.equal(((await issue(key, 'status')).status as { name: string }).name, 'To Do', 'nothing was posted');

    await resolutionPick();
    await screenshot(page, 'issues-9-transition-asks-for-resolution');
    await quickPickRow(page, 'Duplicate').click();
    await page.locator('.part.statusbar', { hasText: `${key} moved to Done` }).waitFor();
    const fields = await issue(key, 'status,resolution');
    assert.equal((fields.status as { name: string }).name, 'Done');
    assert.equal((fields.resolution as { name: string }).name, 'Duplicate');
  });

  it('a rate-limited refresh shows an error row with its wait and a retry, not an empty list', async () => {
    const { page } = workbench;
    const fault = sandbox.faults.add({ kind: 'rateLimit', path: '**/search/jql', retryAfterSeconds: 30 });
    await runCommand(page, 'Atlassian: Refresh My Jira Issues');
    const error = treeRow(page, VIEW, /^Rate limited/);
    await error.waitFor();
    assert.match(await rowDescription(error), /^wait 30 s, then click to retry/);
    await statusBarItem(page).filter({ hasText: 'rate limited' }).waitFor();
    await screenshot(page, 'issues-9-rate-limited');
    sandbox.faults.remove(fault);
    await error.click();
    await error.waitFor({ state: 'detached' });
    await statusBarItem(page)
      .filter({ hasText: /^\s*Atlassian\s*$/ })
      .waitFor();
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
