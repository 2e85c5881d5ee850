import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { collapseView, inlineAction, treeRow, widenSideBar } from './views';
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
type Json = Record<string, unknown>;

describe('the issue detail panel in the workbench, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;
  let key: string;

  /** Jira's REST API as Ada, straight to the sandbox (what Jira holds, not what the extension shows). */
  const rest = async (method: string, path: string, body?: unknown, raw?: { data: Buffer; type: string }) => {
    const ada = sandbox.discovery.users[0]!;
    const res = await fetch(`${sandbox.discovery.sites[0]!.url}/rest/api/3${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString('base64')}`,
        ...(raw ? { 'X-Atlassian-Token': 'no-check', 'Content-Type': raw.type } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: raw ? raw.data : body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return text ? (JSON.parse(text) as Json) : {};
  };
  /** The webview's document (VS Code nests it in two iframes). */
  const view = (): FrameLocator => workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe');

  /** Makes one of Ada's open issues the showcase: a rich description with an image, comments; it becomes the newest. */
  const prepareShowcase = async (): Promise<string> => {
    const found = await rest('POST', '/search/jql', {
      jql: 'assignee = currentUser() AND statusCategory != Done ORDER BY key ASC',
      fields: ['subtasks', 'issuelinks'],
      maxResults: 100,
    });
    const issues = found.issues as Json[];
    const issue = issues.find((i) => ((i.fields as Json).subtasks as unknown[]).length > 0);
    assert.ok(issue, 'one of Ada’s open issues has sub-tasks');
    const k = String(issue.key);
    if (((issue.fields as Json).issuelinks as unknown[]).length === 0)
      await rest('POST', '/issueLink', {
        type: { name: 'Blocks' },
        inwardIssue: { key: String(issues.find((i) => i !== issue)!.key) },
        outwardIssue: { key: k },
      });
    const png = await readFile(resolve(__dirname, '..', '..', 'media', 'icon.png'));
    const boundary = 'amb-ui-boundary';
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="architecture.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await rest('POST', `/issue/${k}/attachments`, undefined, {
      data: multipart,
      type: `multipart/form-data; boundary=${boundary}`,
    });
    const grace = (await rest('GET', '/user/search?query=grace')) as unknown as Json[];
    const t = (text: string, marks?: Json[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });
    const p = (...content: Json[]) => ({ type: 'paragraph', content });
    const cell = (type: string, text: string) => ({ type, content: [p(t(text))] });
    await rest('PUT', `/issue/${k}`, {
      fields: {
        description: {
          type: 'doc',
          version: 1,
          content: [
            p(
              t('Checkout fails for carts over '),
              t('100 items', [{ type: 'strong' }]),
              t('. '),
              { type: 'mention', attrs: { id: grace[0]!.accountId, text: `@${String(grace[0]!.displayName)}` } },
              t(' can you take a look? '),
              { type: 'emoji', attrs: { shortName: ':eyes:', text: '👀' } },
            ),
            {
              type: 'panel',
              attrs: { panelType: 'warning' },
              content: [p(t('Affects production since the 2.4 release.'))],
            },
            {
              type: 'table',
              content: [
                { type: 'tableRow', content: ['Cart size', 'Result'].map((x) => cell('tableHeader', x)) },
                { type: 'tableRow', content: ['99', 'OK'].map((x) => cell('tableCell', x)) },
                { type: 'tableRow', content: ['101', 'HTTP 500'].map((x) => cell('tableCell', x)) },
              ],
            },
            {
              type: 'codeBlock',
              attrs: { language: 'ts' },
              content: [t('if (cart.items.length > 100) {\n  throw new Error("too many items");\n}')],
            },
            {
              type: 'mediaSingle',
              content: [{ type: 'media', attrs: { type: 'file', id: 'media-1', alt: 'architecture.png' } }],
            },
          ],
        },
      },
    });
    for (const text of ['Reproduced on staging.', 'The limit comes from the pricing service.'])
      await rest('POST', `/issue/${k}/comment`, { body: { type: 'doc', version: 1, content: [p(t(text))] } });
    return k;
  };

  before(async () => {
    sandbox = await startSandbox();
    key = await prepareShowcase();
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tree.enableStickyScroll': false,
      },
    });
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
    await openAtlassianContainer(workbench.page);
    await widenSideBar(workbench.page, 420);
    await collapseView(workbench.page, 'Connection');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-detail-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('opens an issue from My Issues: fields, description (panel, table, code, mention, image), sub-tasks, links, attachments, comments', async () => {
    const { page } = workbench;
    // The label is the key alone; the status and summary follow in the description, with no space
    // between them in the row's text ("DOC-12To Do · …"), so match the label, not the row's text.
    const row = viewPane(page, VIEW)
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${key}\\s*$`) }) })
      .first();
    await row.click();
    await view().locator('h1').waitFor();
    const d = view();
    await d.locator('.panel.panel-warning', { hasText: 'Affects production' }).waitFor();
    await d.locator('.rich table th', { hasText: 'Cart size' }).waitFor();
    await d.locator('.rich pre code', { hasText: 'too many items' }).waitFor();
    await d.locator('.mention', { hasText: '@Grace' }).waitFor();
    // The image arrives as data from the extension, after the text.
    await d.locator('img[alt="architecture.png"][src^="data:image/png;base64,"]').waitFor();
    assert.ok((await d.locator('#subtasks ~ ul li').count()) > 0, 'sub-tasks listed');
    assert.ok((await d.locator('#links ~ ul li').count()) > 0, 'links listed');
    await d.locator('ul.attachments li', { hasText: 'architecture.png' }).waitFor();
    assert.match((await d.locator('li.comment').first().textContent()) ?? '', /pricing service/, 'newest first');
    await screenshot(page, 'detail-1-issue');
    await d.locator('#comments').scrollIntoViewIfNeeded();
    await screenshot(page, 'detail-2-subtasks-links-attachments-comments');

    // A sub-task opens in a panel of its own.
    const subtask = (await d.locator('#subtasks ~ ul li button.link').first().textContent())!.trim();
    await d.locator('#subtasks ~ ul li button.link').first().click();
    await page.locator('.tab', { hasText: subtask }).waitFor();
    await page.locator('.tab', { hasText: key }).click();
    // The webview reloads when shown again: the image comes back with it.
    await view().locator('img[alt="architecture.png"][src^="data:image/png;base64,"]').waitFor();
  });

  it('transitions with a field the screen requires: asks for the resolution, Jira has it', async () => {
    const { page } = workbench;
    await view().locator('button', { hasText: 'Transition…' }).click();
    const wontDo = quickPickRow(page, "Won't Do");
    await wontDo.waitFor();
    assert.match((await wontDo.textContent()) ?? '', /Asks for: Resolution/);
    await screenshot(page, 'detail-3-transition-asks-for-field');
    await wontDo.click();
    await quickPickRow(page, 'Duplicate').waitFor();
    await screenshot(page, 'detail-4-transition-resolution-pick');
    await quickPickRow(page, 'Duplicate').click();
    await view()
      .locator('.status', { hasText: /^Done$/i })
      .waitFor();
    const fields = (await rest('GET', `/issue/${key}?fields=status,resolution`)).fields as Json;
    assert.equal((fields.resolution as Json).name, 'Duplicate');
    assert.equal((fields.status as Json).name, 'Done');
    await view().locator('dd', { hasText: 'Duplicate' }).waitFor();
    await screenshot(page, 'detail-5-transitioned');
  });

  it('adds a Markdown comment with a mention from the panel: ADF with a mention node in the sandbox, newest first in the view', async () => {
    await view()
      .locator('textarea[aria-label="Add Comment"]')
      .fill('Fixed by **raising** the limit, @grace please review `PricingService`.');
    await view().locator('button', { hasText: 'Add Comment' }).click();
    const added = view().locator('li.comment', { hasText: 'Fixed by raising' }).first();
    await added.locator('.mention', { hasText: '@Grace Hopper' }).waitFor();
    const comments = (await rest('GET', `/issue/${key}/comment?orderBy=-created&maxResults=1`)).comments as Json[];
    const body = JSON.stringify(comments[0]!.body);
    assert.match(body, /"type":"strong"/);
    assert.match(body, /"type":"code"/);
    const mention = (comments[0]!.body as { content: { content: Json[] }[] }).content[0]!.content.find(
      (n) => n.type === 'mention',
    );
    assert.equal((mention?.attrs as Json | undefined)?.text, '@Grace Hopper');
    await screenshot(workbench.page, 'detail-6-comment-with-mention');
  });

  it('searches with JQL autocomplete from Jira; results in My Issues as a filter that can be saved and removed', async () => {
    const { page } = workbench;
    // The search comes after "Assigned to me" and its 100 rows: fold those so it is in sight.
    const assigned = treeRow(page, VIEW, /^Assigned to me/);
    if ((await assigned.getAttribute('aria-expanded')) === 'true') await assigned.locator('.monaco-tl-twistie').click();
    await runCommand(page, 'Atlassian: Search Jira Issues (JQL)…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('project = DOC AND sta');
    // Rows by their accessible label: "status" is also the start of "statusCategory".
    const row = (label: string) => page.locator(`.quick-input-widget .monaco-list-row[aria-label="${label}"]`);
    await row('statusCategory').waitFor();
    await screenshot(page, 'search-1-autocomplete-fields');
    /** The picker takes a suggestion on accept, an event after the click: poll the input until it shows it. */
    const valueBecomes = async (value: string) => {
      for (const deadline = Date.now() + 10_000; (await input.inputValue()) !== value;) {
        if (Date.now() > deadline) assert.equal(await input.inputValue(), value);
        await page.waitForTimeout(100);
      }
    };
    await row('status').click();
    await valueBecomes('project = DOC AND status ');
    await input.press('End');
    await input.pressSequentially('= In');
    await quickPickRow(page, /^In Progress/).waitFor();
    await screenshot(page, 'search-2-autocomplete-values');
    await quickPickRow(page, /^In Progress/).click();
    await valueBecomes('project = DOC AND status = "In Progress" ');
    await input.press('Enter');
    const filter = treeRow(page, VIEW, /^Search: project = DOC AND status = "In Progress"/);
    await filter.waitFor();
    await viewPane(page, VIEW)
      .locator('.monaco-list-row', { hasText: /\bDOC-\d+\s*In Progress · / })
      .first()
      .waitFor();
    await screenshot(page, 'search-3-results-in-my-issues');

    await inlineAction(filter, 'Save Search as Jira Filter…');
    await page.locator('.quick-input-widget .quick-input-box input').fill('Docs in progress');
    await page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    const saved = treeRow(page, VIEW, /^Docs in progress/);
    await saved.waitFor();
    await filter.waitFor({ state: 'detached' });
    await screenshot(page, 'search-4-saved-as-filter');
    await inlineAction(saved, 'Remove Jira Filter');
    await saved.waitFor({ state: 'detached' });
  });
});
