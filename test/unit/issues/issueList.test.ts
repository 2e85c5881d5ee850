import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import type { JiraApi } from '../../../src/atlassian/jira';
import { escapeMarkdown } from '../../../src/core/markdown';
import { browseUrl, isAssignedTo, issueTooltip } from '../../../src/issues/issue';
import { assignToMe, commentInMarkdown } from '../../../src/issues/issueActions';
import { findTransition, transitionsWithFields } from '../../../src/issues/transitions';
import { DEFAULT_FILTER, filtersFromSettings, IssueListModel } from '../../../src/issues/issueList';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

describe('the issue list model, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let jira: (c: ConnectionInfo) => JiraApi;
  let outcomes: [string, unknown][];
  let model: IssueListModel;

  const newModel = (filters = filtersFromSettings([]).filters, pageSize = 100) =>
    new IssueListModel({
      connections: world.manager,
      jira,
      filters,
      pageSize,
      onApiOutcome: (id, err) => outcomes.push([id, err]),
      redact: (t) => world.redactor.redact(t),
    });

  beforeEach(async () => {
    world = await sandboxConnections();
    // No real waiting between retries; the policy (which waits to skip) is what is under test.
    jira = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined });
    outcomes = [];
    model = newModel();
  });

  afterEach(async () => {
    model.dispose();
    await world.close();
  });

  it('pages all 334 open issues assigned to Ada in through nextPageToken, 100 at a time, with the count known up front', async () => {
    const c = await world.apiToken();
    let view = await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    assert.equal(view.status, 'ready');
    assert.equal(view.issues.length, 100);
    assert.equal(view.total, 334);
    assert.equal(view.hasMore, true);
    assert.deepEqual(model.assignedCount(), { count: 334, more: false });

    while (view.hasMore) view = await model.loadMore(c.id, DEFAULT_FILTER.id);
    assert.equal(view.issues.length, 334);
    assert.equal(new Set(view.issues.map((i) => i.key)).size, 334, 'no issue twice');
    assert.ok(view.issues.every((i) => isAssignedTo(i, c) && i.status.category !== 'done'));

    const searches = world.sandbox.log.entries({ path: /\/search\/jql$/ });
    assert.equal(searches.length, 4);
    assert.ok(searches.every((s) => s.method === 'POST' && s.status === 200));
    assert.equal(world.sandbox.log.count({ path: /\/rest\/api\/3\/search$/ }), 0, 'never the retired search');
    assert.ok(outcomes.every(([id, err]) => id === c.id && err === undefined));
  });

  it('two connections to the same site and account (API token and OAuth) list and count each issue once', async () => {
    const token = await world.apiToken();
    const oauth = await world.oauth();
    assert.equal(oauth.cloudId, token.cloudId, 'both reach acme');
    assert.equal(world.manager.list().length, 2);
    assert.deepEqual(
      model.connections().map((c) => c.id),
      [token.id],
    );
    await model.ensureLoaded(token.id, DEFAULT_FILTER.id);
    assert.deepEqual(model.assignedCount(), { count: 334, more: false }, 'not 668');
    // The default wins among duplicates, and the list follows a new default.
    const changes: unknown[] = [];
    model.onDidChange((change) => changes.push(change));
    await world.manager.setDefault(oauth.id);
    assert.deepEqual(
      model.connections().map((c) => c.id),
      [oauth.id],
    );
    assert.equal(model.defaultConnectionId(), oauth.id);
    assert.deepEqual(changes, [undefined]);
  });

  it('a refresh reloads as many issues as were shown, not just the first page', async () => {
    const c = await world.apiToken();
    await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    await model.loadMore(c.id, DEFAULT_FILTER.id);
    const changes: unknown[] = [];
    model.onDidChange((change) => changes.push(change));
    await model.refresh();
    const view = model.view(c.id, DEFAULT_FILTER.id);
    assert.equal(view.issues.length, 200);
    assert.equal(view.hasMore, true);
    assert.deepEqual(changes, [
      { connectionId: c.id, filterId: DEFAULT_FILTER.id },
      { connectionId: c.id, filterId: DEFAULT_FILTER.id },
    ]);
  });

  it('keeps a rate limit as an error with the wait and a retry, never as an empty list, and tells the health view', async () => {
    const c = await world.apiToken();
    world.sandbox.faults.add({ kind: 'rateLimit', path: '**/search/jql', retryAfterSeconds: 30 });
    const started = Date.now();
    const failed = await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    assert.ok(Date.now() - started < 5000, 'a 30 s Retry-After fails at once instead of freezing the view');
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.kind, 'rateLimited');
    assert.equal(failed.error?.retryAfterSeconds, 30);
    assert.equal(failed.error?.remedy, 'retry');
    assert.match(failed.error!.todo, /Wait 30 s, then retry/);
    assert.equal(model.assignedCount(), undefined, 'no count rather than a wrong one');
    assert.ok(outcomes.some(([, err]) => (err as { kind?: string }).kind === 'rateLimited'));

    world.sandbox.faults.clear();
    const retried = await model.reloadFilter(c.id, DEFAULT_FILTER.id);
    assert.equal(retried.status, 'ready');
    assert.equal(retried.issues.length, 100);
  });

  it('a failed next page keeps the issues shown and says so', async () => {
    const c = await world.apiToken();
    await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    world.sandbox.faults.add({ kind: 'error', path: '**/search/jql', status: 503 });
    const view = await model.loadMore(c.id, DEFAULT_FILTER.id);
    assert.equal(view.status, 'ready');
    assert.equal(view.issues.length, 100);
    assert.equal(view.errorDuringMore, true);
    assert.equal(view.error?.kind, 'server');
    assert.equal(view.hasMore, true, 'the next page can still be asked for');
  });

  it('named filters from settings: checked, per connection, with a bad JQL explained', async () => {
    const { filters, problems } = filtersFromSettings([
      { name: 'Unassigned in OPS', jql: 'project = OPS AND assignee is EMPTY ORDER BY key ASC' },
      { name: 'Broken', jql: 'project = = OPS' },
      { name: 'Only on Globex', jql: 'project = ENG', connection: 'Globex' },
      { name: 'No JQL' },
      { name: 'Unassigned in OPS', jql: 'project = OPS' },
    ]);
    assert.deepEqual(problems, [
      'Issue filter 4 needs both a "name" and a "jql".',
      'Issue filter "Unassigned in OPS" is defined twice; the first one is used.',
    ]);
    model.dispose();
    model = newModel(filters);
    const c = await world.apiToken();
    assert.deepEqual(
      model.filtersFor(c).map((f) => f.name),
      ['Assigned to me', 'Unassigned in OPS', 'Broken'],
    );

    const unassigned = await model.ensureLoaded(c.id, 'named:Unassigned in OPS');
    assert.equal(unassigned.status, 'ready');
    assert.ok(unassigned.issues.length > 0 && unassigned.issues.every((i) => i.assignee === undefined));

    const broken = await model.ensureLoaded(c.id, 'named:Broken');
    assert.equal(broken.status, 'error');
    assert.equal(broken.error?.kind, 'badRequest');
    assert.match(
      broken.error!.todo,
      /Fix the JQL of the filter "Broken" in the "atlassianMcpBridge.issues.filters" setting/,
    );
  });

  it('a connection that needs a new sign-in shows Reconnect without sending a request; a reconnect starts over', async () => {
    const c = await world.oauth();
    world.sandbox.tokens.revokeAll({ accessTokens: true });
    const failed = await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.remedy, 'reconnect');
    assert.equal(world.manager.get(c.id)?.state, 'needsReconnect');

    const before = world.sandbox.log.count({ path: /\/search\/jql$/ });
    const again = await model.reloadFilter(c.id, DEFAULT_FILTER.id);
    assert.equal(again.error?.kind, 'needsReconnect');
    assert.match(again.error!.what, /can no longer be used \(Atlassian no longer accepts the refresh token/);
    assert.equal(
      world.sandbox.log.count({ path: /\/search\/jql$/ }),
      before,
      'no request while the sign-in is known to be dead',
    );

    await world.oauth();
    assert.equal(model.view(c.id, DEFAULT_FILTER.id).status, 'idle', 'the reconnect cleared the error');
    assert.equal((await model.ensureLoaded(c.id, DEFAULT_FILTER.id)).issues.length, 100);
  });

  it('Data Center: offset paging with the total from search', async () => {
    model.dispose();
    model = newModel(undefined, 10);
    const c = await world.dataCenter();
    let view = await model.ensureLoaded(c.id, DEFAULT_FILTER.id);
    assert.equal(view.status, 'ready');
    assert.ok(view.total !== undefined && view.total > 0);
    while (view.hasMore) view = await model.loadMore(c.id, DEFAULT_FILTER.id);
    assert.equal(view.issues.length, view.total);
    assert.ok(
      world.sandbox.log.entries({ path: /\/dc\/rest\/api\/2\/search$/ }).some((e) => /startAt=20\b/.test(e.url)),
    );
    assert.ok(
      view.issues.every((i) => isAssignedTo(i, c)),
      'Data Center people are matched by key',
    );
  });

  it('issue actions land in the sandbox: transition, Markdown comment as ADF, assign to me', async () => {
    const c = await world.apiToken();
    const api = jira(c);
    const other = (
      await api.search({
        jql: 'project = DOC AND status = "To Do" AND assignee != currentUser() ORDER BY key ASC',
        fields: ['summary'],
        limit: 1,
      })
    ).issues[0]!;
    const key = String(other.key);

    const choices = await transitionsWithFields(api, key);
    assert.deepEqual(choices.map((t) => t.name).sort(), ['Blocked', 'In Progress', "Won't Do"]);
    await api.transition(key, findTransition(choices, 'in progress')!.id);
    await commentInMarkdown(api, key, 'Picked up **today**, see `deploy.sh`');
    await assignToMe(api, c, key);

    const issue = await api.getIssue(key, { fields: ['status', 'assignee', 'comment'] });
    const fields = issue.fields as {
      status: { name: string };
      assignee: { accountId: string };
      comment: { comments: { body: unknown }[] };
    };
    assert.equal(fields.status.name, 'In Progress');
    assert.equal(fields.assignee.accountId, c.user.accountId);
    const body = JSON.stringify(fields.comment.comments.at(-1)!.body);
    assert.match(body, /"type":"doc"/);
    assert.match(body, /"text":"today","marks":\[\{"type":"strong"\}\]/);
    assert.match(body, /"type":"code"/);
  });

  it('tooltips escape what Jira says, and browse links point at the site', async () => {
    const c = await world.apiToken();
    const [issue] = (await model.ensureLoaded(c.id, DEFAULT_FILTER.id)).issues;
    const tooltip = issueTooltip({ ...issue!, summary: 'Fix [link](https://evil.example) <b>now</b>' }, Date.now());
    assert.ok(tooltip.includes(escapeMarkdown('Fix [link](https://evil.example) <b>now</b>')));
    assert.ok(!tooltip.includes('](https'), 'no live link');
    assert.match(tooltip, /\| Status \| .+ \|/);
    assert.match(tooltip, /\| Assignee \| Ada Lovelace \|/);
    assert.equal(browseUrl(c, 'ENG-7'), `${world.sandbox.discovery.sites[0]!.url}/browse/ENG-7`);
  });
});
