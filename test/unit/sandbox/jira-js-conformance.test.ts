// An independent client checks the sandbox's Jira: jira.js 6 validates every response against its own
// schemas, and with onSchemaMismatch 'throw' any drift fails the call. The token comes from the
// sandbox's real OAuth 3LO flow (authorize URL from jira.js, consent form, code exchange).
// jira.js 6 is ESM-only and these tests run as CommonJS, so it is loaded with a dynamic import.
import assert from 'node:assert/strict';
import type * as JiraJs from 'jira.js';
import { DEFAULT_USER, USERS } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';

let lib: typeof JiraJs;

const SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'manage:jira-project', 'offline_access'];

async function signIn(sandbox: Sandbox): Promise<string> {
  const { authBaseUrl, oauthClient } = sandbox.discovery;
  const redirectUri = oauthClient.redirectUris[0]!;
  const state = 'conformance-state';
  // jira.js builds the URL for auth.atlassian.com; the same query goes to the sandbox's authorize page.
  const authorizeUrl = new URL(
    lib.generateAuthorizationUrl({ clientId: oauthClient.clientId, scopes: SCOPES, redirectUri, state }),
  );
  const page = await fetch(`${authBaseUrl}/authorize${authorizeUrl.search}`);
  assert.equal(page.status, 200);
  const consent = /name="consent" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(consent, 'the consent page carries its form id');
  const accepted = await fetch(`${authBaseUrl}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ consent, decision: 'accept', account_id: DEFAULT_USER.accountId }),
    redirect: 'manual',
  });
  const { code } = lib.parseCallbackUrl(accepted.headers.get('location') ?? '', { expectedState: state });
  const token = await fetch(`${authBaseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      client_id: oauthClient.clientId,
      client_secret: oauthClient.clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  assert.equal(token.status, 200);
  const body = (await token.json()) as { access_token: string };
  return body.access_token;
}

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('jira.js 6 conformance (onSchemaMismatch: throw)', function () {
  let sandbox: Sandbox;
  let jira: ReturnType<typeof JiraJs.createCloudClient>;
  let agile: ReturnType<typeof JiraJs.createAgileClient>;

  before(async () => {
    lib = await import('jira.js');
    if (typeof lib.createCloudClient !== 'function') {
      throw new Error('jira.js 6 is required: the installed jira.js has no createCloudClient (still 5.x?)');
    }
    const { createClient } = await import('jira.js/core');
    sandbox = await startSandbox();
    const token = await signIn(sandbox);
    const acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!;
    const client = createClient({
      host: `${sandbox.discovery.apiBaseUrl}/ex/jira/${acme.cloudId}`,
      auth: { type: 'bearer', token },
      onSchemaMismatch: 'throw',
    });
    jira = lib.createCloudClient(client);
    agile = lib.createAgileClient(client);
  });

  after(async () => {
    await sandbox?.close();
  });

  it('reads server info and the signed-in user', async () => {
    const info = await jira.serverInfo.getServerInfo();
    assert.equal(info.deploymentType, 'Cloud');
    const me = await jira.myself.getCurrentUser();
    assert.equal(me.accountId, DEFAULT_USER.accountId);
    assert.match(me.self ?? '', /^http:\/\/127\.0\.0\.1:\d+\/api\/ex\/jira\//);
  });

  it("pages through all of Ada's open issues with search/jql (GET and POST) and counts them", async () => {
    const jql = 'assignee = currentUser() AND statusCategory != Done ORDER BY key ASC';
    const keys: string[] = [];
    let nextPageToken: string | undefined;
    let pages = 0;
    do {
      const page = await jira.issueSearch.searchAndReconsileIssuesUsingJql({
        jql,
        maxResults: 100,
        fields: ['summary', 'status', 'assignee'],
        nextPageToken,
      });
      assert.equal((page as Record<string, unknown>).total, undefined, 'search/jql has no total');
      keys.push(...page.issues!.map((i) => i.key!));
      nextPageToken = page.nextPageToken ?? undefined;
      assert.equal(page.isLast, nextPageToken === undefined);
      pages++;
    } while (nextPageToken);
    assert.ok(keys.length >= 300, `expected ≥ 300 open issues, got ${keys.length}`);
    assert.ok(pages >= 4);
    assert.equal(new Set(keys).size, keys.length);
    const first = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql,
      maxResults: 5,
      fields: ['summary'],
      expand: 'names,renderedFields',
    });
    assert.deepEqual(
      first.issues!.map((i) => i.key),
      keys.slice(0, 5),
    );
    assert.equal(first.names?.summary, 'Summary');
    const count = await jira.issueSearch.countIssues({ jql: 'assignee = currentUser() AND statusCategory != Done' });
    assert.equal(count.count, keys.length);
  });

  it('creates, reads, edits, assigns and transitions an issue', async () => {
    const types = await jira.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: 'ENG' });
    const bug = types.issueTypes!.find((t) => t.name === 'Bug')!;
    const meta = await jira.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: 'ENG', issueTypeId: bug.id! });
    assert.ok(meta.fields!.some((f) => f.fieldId === 'summary' && f.required));
    const created = await jira.issues.createIssue({
      fields: {
        project: { key: 'ENG' },
        issuetype: { id: bug.id },
        summary: 'Conformance bug',
        description: adf('Steps'),
        labels: ['conformance'],
      },
    });
    assert.match(created.key!, /^ENG-\d+$/);
    const issue = await jira.issues.getIssue({
      issueIdOrKey: created.key!,
      expand: 'renderedFields,names,transitions',
    });
    assert.equal(issue.fields!.summary, 'Conformance bug');
    assert.ok(issue.transitions!.some((t) => t.id === '21'));
    await jira.issues.editIssue({
      issueIdOrKey: created.key!,
      update: { labels: [{ add: 'edited' }] },
      fields: { summary: 'Conformance bug (edited)' },
    });
    await jira.issues.assignIssue({ issueIdOrKey: created.key!, accountId: USERS[1]!.accountId });
    const editMeta = await jira.issues.getEditIssueMeta({ issueIdOrKey: created.key! });
    assert.ok(editMeta.fields!.summary);
    const transitions = await jira.issues.getTransitions({ issueIdOrKey: created.key! });
    assert.deepEqual(transitions.transitions!.map((t) => t.id).sort(), ['21', '51', '61']);
    await jira.issues.doTransition({ issueIdOrKey: created.key!, transition: { id: '21' } });
    const after = await jira.issues.getIssue({
      issueIdOrKey: created.key!,
      fields: ['status', 'labels', 'assignee', 'summary'],
    });
    assert.equal((after.fields!.status as { name: string }).name, 'In Progress');
    assert.deepEqual(after.fields!.labels, ['conformance', 'edited']);
    assert.equal((after.fields!.assignee as { accountId: string }).accountId, USERS[1]!.accountId);
    await jira.issues.deleteIssue({ issueIdOrKey: created.key! });
    await assert.rejects(jira.issues.getIssue({ issueIdOrKey: created.key! }), (e) => lib.isNotFoundError(e));
  });

  it('adds, lists, updates and deletes comments (ADF and wiki markup)', async () => {
    const added = await jira.issueComments.addComment({ issueIdOrKey: 'ENG-2', body: adf('From jira.js') });
    const viaWiki = await jira.issueComments.addComment({ issueIdOrKey: 'ENG-2', body: 'h2. Heading\n\n*bold* text' });
    assert.equal((viaWiki.body as { type: string }).type, 'doc');
    const list = await jira.issueComments.getComments({ issueIdOrKey: 'ENG-2' });
    assert.ok(list.comments!.some((c) => c.id === added.id));
    await jira.issueComments.updateComment({ issueIdOrKey: 'ENG-2', id: added.id!, body: { body: adf('Edited') } });
    const one = await jira.issueComments.getComment({ issueIdOrKey: 'ENG-2', id: added.id! });
    assert.deepEqual(one.body, adf('Edited'));
    await jira.issueComments.deleteComment({ issueIdOrKey: 'ENG-2', id: added.id! });
  });

  it('logs and reads work', async () => {
    const worklog = await jira.issueWorklogs.addWorklog({
      issueIdOrKey: 'ENG-3',
      timeSpent: '1h 30m',
      started: '2026-01-17T12:34:00.000+0000',
      comment: adf('Pairing'),
    });
    assert.equal(worklog.timeSpentSeconds, 5400);
    const page = await jira.issueWorklogs.getIssueWorklog({ issueIdOrKey: 'ENG-3' });
    assert.ok(page.worklogs!.some((w) => w.id === worklog.id));
    const one = await jira.issueWorklogs.getWorklog({ issueIdOrKey: 'ENG-3', id: worklog.id! });
    assert.equal(one.timeSpent, '1h 30m');
  });

  it('links issues and reads link types', async () => {
    const types = await jira.issueLinkTypes.getIssueLinkTypes();
    assert.deepEqual(types.issueLinkTypes!.map((t) => t.name).sort(), [
      'Blocks',
      'Cloners',
      'Duplicate',
      'Hierarchy',
      'Relates',
    ]);
    const blocks = await jira.issueLinkTypes.getIssueLinkType({
      issueLinkTypeId: types.issueLinkTypes!.find((t) => t.name === 'Blocks')!.id!,
    });
    assert.equal(blocks.outward, 'blocks');
    await jira.issueLinks.linkIssues({
      type: { name: 'Blocks' },
      inwardIssue: { key: 'ENG-10' },
      outwardIssue: { key: 'ENG-11' },
    });
    const issue = await jira.issues.getIssue({ issueIdOrKey: 'ENG-10', fields: ['issuelinks'] });
    const links = issue.fields!.issuelinks as { id: string; outwardIssue?: { key: string } }[];
    const link = links.find((l) => l.outwardIssue?.key === 'ENG-11')!;
    const fetched = await jira.issueLinks.getIssueLink({ linkId: link.id });
    assert.equal(fetched.inwardIssue?.key, 'ENG-10');
    await jira.issueLinks.deleteIssueLink({ linkId: link.id });
  });

  it('reads and removes watchers', async () => {
    const watchers = await jira.issueWatchers.getIssueWatchers({ issueIdOrKey: 'ENG-4' });
    assert.equal(watchers.watchCount, watchers.watchers!.length);
    await jira.issueWatchers.removeWatcher({ issueIdOrKey: 'ENG-4', accountId: watchers.watchers![0]!.accountId! });
  });

  it('reads projects, issue types, priorities, statuses, resolutions, fields and labels', async () => {
    const projects = await jira.projects.searchProjects({ expand: 'description,lead,insight' });
    assert.deepEqual(
      projects.values!.map((p) => p.key),
      ['DOC', 'ENG', 'OPS'],
    );
    const eng = await jira.projects.getProject({ projectIdOrKey: 'ENG' });
    assert.equal(eng.name, 'Engineering');
    const statuses = await jira.projects.getAllStatuses({ projectIdOrKey: 'ENG' });
    assert.ok(statuses.length > 0);
    await jira.projectComponents.getProjectComponents({ projectIdOrKey: 'ENG' });
    const types = await jira.issueTypes.getIssueAllTypes();
    await jira.issueTypes.getIssueType({ id: types[0]!.id! });
    const priorities = await jira.issuePriorities.searchPriorities();
    assert.equal(priorities.values!.length, 5);
    await jira.issuePriorities.getPriority({ id: '3' });
    const allStatuses = await jira.workflowStatuses.getStatuses();
    await jira.workflowStatuses.getStatus({ idOrName: allStatuses[0]!.id! });
    await jira.workflowStatusCategories.getStatusCategories();
    await jira.workflowStatusCategories.getStatusCategory({ idOrKey: 'done' });
    await jira.issueResolutions.getResolution({ id: '10000' });
    const fields = await jira.issueFields.getFields();
    assert.ok(fields.some((f) => f.id === 'customfield_10020' && f.name === 'Sprint'));
    const page = await jira.issueFields.getFieldsPaginated({ query: 'story' });
    assert.equal(page.values![0]!.id, 'customfield_10016');
    const labels = await jira.labels.getAllLabels();
    assert.ok(labels.values!.includes('backend'));
  });

  it('reads and searches users', async () => {
    const grace = await jira.users.getUser({ accountId: USERS[1]!.accountId });
    assert.equal(grace.displayName, 'Grace Hopper');
    const found = await jira.userSearch.findUsers({ query: 'gra' });
    assert.deepEqual(
      found.map((u) => u.accountId),
      [USERS[1]!.accountId],
    );
    await jira.userSearch.findAssignableUsers({ project: 'ENG', query: 'a' });
    const all = await jira.users.getAllUsers();
    assert.equal(all.length, USERS.length);
  });

  it('reads boards and sprints, creates a sprint and moves issues into it', async () => {
    const boards = await agile.board.getAllBoards({ projectKeyOrId: 'ENG' });
    const board = boards.values![0]!;
    assert.equal(board.type, 'scrum');
    await agile.board.getBoard({ boardId: board.id! });
    const active = await agile.board.getAllSprints({ boardId: board.id!, state: 'active' });
    const sprint = active.values![0]!;
    await agile.sprint.getSprint({ sprintId: sprint.id! });
    const inSprint = await agile.sprint.getIssuesForSprint({ sprintId: sprint.id!, maxResults: 20 });
    assert.ok(inSprint.issues.length > 0);
    assert.ok(inSprint.nextPageToken);
    const next = await agile.sprint.getIssuesForSprint({
      sprintId: sprint.id!,
      maxResults: 20,
      nextPageToken: inSprint.nextPageToken,
    });
    assert.notEqual(next.issues[0]!.key, inSprint.issues[0]!.key);
    await agile.board.getIssuesForBoard({ boardId: board.id!, maxResults: 10 });
    await agile.board.getIssuesForBacklog({ boardId: board.id!, maxResults: 10 });
    const created = await agile.sprint.createSprint({ name: 'Conformance sprint', originBoardId: board.id! });
    assert.equal(created.state, 'future');
    await agile.sprint.moveIssuesToSprintAndRank({ sprintId: created.id!, issues: ['ENG-20'] });
    const moved = await agile.sprint.getIssuesForSprint({ sprintId: created.id! });
    assert.deepEqual(
      moved.issues.map((i) => i.key),
      ['ENG-20'],
    );
    const renamed = await agile.sprint.partiallyUpdateSprint({ sprintId: created.id!, goal: 'Prove conformance' });
    assert.equal(renamed.goal, 'Prove conformance');
  });
});
