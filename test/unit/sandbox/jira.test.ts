// The sandbox's Jira over real HTTP: Cloud sites (Basic on the site URL, OAuth through the gateway)
// and the Data Center flavour (PAT), every endpoint and the error shapes Atlassian uses.
import assert from 'node:assert/strict';
import { DEFAULT_USER, USERS } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createJiraStore } from '../../sandbox/jira';
import { adfProblem } from '../../sandbox/jira/adf';
import { kitchenSinkDocument } from '../../sandbox/data/adf-samples';

const JIRA_JSON = 'application/json;charset=UTF-8';
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const GRACE = USERS[1]!;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field

interface Reply {
  status: number;
  type: string | null;
  headers: Headers;
  text: string;
  body: Json;
}

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('sandbox Jira', function () {
  let sandbox: Sandbox;
  let acme: string;
  let globex: string;
  let dc: string;
  let gateway: string;

  async function request(
    base: string,
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; auth?: string; contentType?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.auth) headers.authorization = options.auth;
    else if (base === dc) headers.authorization = `Bearer ${sandbox.discovery.dataCenter.personalAccessToken}`;
    else
      headers.authorization = `Basic ${Buffer.from(`${DEFAULT_USER.email}:${DEFAULT_USER.apiToken}`).toString('base64')}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let body: Json;
    try {
      body = text ? (JSON.parse(text) as Json) : {};
    } catch {
      body = {};
    }
    return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text, body };
  }
  const get = (base: string, path: string, auth?: string) => request(base, 'GET', path, { auth });
  const post = (base: string, path: string, body: unknown) => request(base, 'POST', path, { body });
  const put = (base: string, path: string, body: unknown) => request(base, 'PUT', path, { body });
  const del = (base: string, path: string) => request(base, 'DELETE', path);
  const q = (jql: string) => encodeURIComponent(jql);

  async function createIssue(fields: Json, base = acme): Promise<string> {
    const res = await post(base, `/rest/api/${base === dc ? 2 : 3}/issue`, { fields });
    assert.equal(res.status, 201, res.text);
    return res.body.key as string;
  }

  before(async () => {
    sandbox = await startSandbox();
    const sites = sandbox.discovery.sites;
    acme = sites.find((s) => s.name === 'acme')!.url;
    globex = sites.find((s) => s.name === 'globex')!.url;
    dc = sandbox.discovery.dataCenter.url;
    gateway = `${sandbox.discovery.apiBaseUrl}/ex/jira/${sites.find((s) => s.name === 'acme')!.cloudId}`;
  });

  after(async () => {
    await sandbox.close();
  });

  describe('seed data', () => {
    const site = {
      name: 'acme',
      displayName: 'Acme Corp',
      url: 'http://127.0.0.1:1/sites/acme',
      cloudId: 'c',
      flavour: 'cloud' as const,
    };

    it('is identical for the same site and clock', () => {
      const now = () => Date.UTC(2026, 10, 21, 12);
      const a = createJiraStore(site, { now }).allIssues();
      const b = createJiraStore(site, { now }).allIssues();
      assert.equal(a.length, b.length);
      assert.deepEqual(a, b);
    });

    it('holds ≥ 300 issues across workflow statuses, types, priorities and valid ADF', () => {
      const store = createJiraStore(site, { now: () => Date.UTC(2026, 10, 21, 12) });
      const issues = store.allIssues();
      assert.ok(issues.length >= 300);
      assert.deepEqual(new Set(issues.map((i) => i.statusId)), new Set(['10000', '3', '10002', '10003', '10001']));
      assert.deepEqual(
        new Set(issues.map((i) => i.issueTypeId)),
        new Set(['10000', '10001', '10002', '10003', '10004']),
      );
      assert.deepEqual(new Set(issues.map((i) => i.priorityId)), new Set(['1', '2', '3', '4', '5']));
      assert.ok(
        issues.some((i) => i.resolutionId === '10001'),
        "some Won't Do",
      );
      assert.ok(
        issues.some((i) => i.assigneeId === null),
        'some unassigned',
      );
      assert.ok(
        issues.every((i) => i.issueTypeId !== '10004' || i.parentId !== null),
        'sub-tasks have parents',
      );
      const docs = issues.flatMap((i) => [i.description, ...i.comments.map((c) => c.body)]).filter((d) => d !== null);
      assert.ok(docs.length > 500);
      for (const d of docs) assert.equal(adfProblem(d), null);
      const types = new Set<string>();
      const walk = (n: { type: string; content?: unknown[] }): void => {
        types.add(n.type);
        (n.content as { type: string }[] | undefined)?.forEach(walk);
      };
      docs.forEach((d) => walk(d as { type: string }));
      for (const t of [
        'heading',
        'bulletList',
        'orderedList',
        'table',
        'tableHeader',
        'codeBlock',
        'mention',
        'panel',
        'emoji',
        'rule',
        'blockquote',
      ]) {
        assert.ok(types.has(t), `seed uses ${t}`);
      }
      assert.equal(adfProblem(kitchenSinkDocument(DEFAULT_USER)), null);
    });
  });

  describe('server info and users', () => {
    it('tells Cloud from Data Center by deploymentType', async () => {
      const cloud = await get(acme, '/rest/api/3/serverInfo');
      assert.equal(cloud.status, 200);
      assert.equal(cloud.type, JIRA_JSON);
      assert.equal(cloud.body.deploymentType, 'Cloud');
      assert.equal(cloud.body.baseUrl, acme);
      const server = await get(dc, '/rest/api/2/serverInfo');
      assert.equal(server.body.deploymentType, 'DataCenter');
      assert.match(server.body.version, /^9\.12\.\d+$/);
      const v3 = await get(dc, '/rest/api/3/serverInfo');
      assert.equal(v3.status, 404);
      assert.equal(v3.type, 'application/problem+json;charset=UTF-8');
      assert.deepEqual(v3.body, {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No endpoint GET /rest/api/3/serverInfo.',
        instance: '/rest/api/3/serverInfo',
      });
    });

    it('returns myself with absolute links, per flavour', async () => {
      const me = await get(acme, '/rest/api/3/myself');
      assert.equal(me.body.accountId, DEFAULT_USER.accountId);
      assert.equal(me.body.self, `${acme}/rest/api/3/user?accountId=${encodeURIComponent(DEFAULT_USER.accountId)}`);
      assert.equal(me.body.accountType, 'atlassian');
      assert.match(me.body.avatarUrls['48x48'], /^http:\/\/127\.0\.0\.1:\d+\/_assets\/avatars\/user\//);
      const viaGateway = await get(gateway, '/rest/api/3/myself', `Bearer ${sandbox.tokens.issue().access_token}`);
      assert.ok(viaGateway.body.self.startsWith(`${gateway}/rest/api/3/user`));
      const dcMe = await get(dc, '/rest/api/2/myself');
      assert.equal(dcMe.body.name, 'ada');
      assert.equal(dcMe.body.key, 'JIRAUSER10000');
      assert.equal(dcMe.body.accountId, undefined);
    });

    it('finds users by query, accountId and lists them', async () => {
      const found = await get(acme, '/rest/api/3/user/search?query=grace');
      assert.deepEqual(
        found.body.map((u: Json) => u.accountId),
        [GRACE.accountId],
      );
      const one = await get(acme, `/rest/api/3/user?accountId=${encodeURIComponent(GRACE.accountId)}`);
      assert.equal(one.body.displayName, 'Grace Hopper');
      const missing = await get(acme, '/rest/api/3/user?accountId=nope');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.errorMessages, [
        'Specified user does not exist or you do not have required permissions',
      ]);
      const all = await get(acme, '/rest/api/3/users/search');
      assert.equal(all.body.length, USERS.length);
      const noQuery = await get(acme, '/rest/api/3/user/search');
      assert.equal(noQuery.status, 400);
    });
  });

  describe('search', () => {
    it("pages Ada's open issues with opaque tokens and no total", async () => {
      const jql = q('assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC');
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const res = await get(
          acme,
          `/rest/api/3/search/jql?jql=${jql}&maxResults=100&fields=summary,status${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`,
        );
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(
          Object.keys(res.body).sort(),
          res.body.isLast ? ['isLast', 'issues'] : ['isLast', 'issues', 'nextPageToken'],
        );
        for (const issue of res.body.issues) {
          assert.deepEqual(Object.keys(issue.fields).sort(), ['status', 'summary']);
          seen.push(issue.key);
        }
        token = res.body.nextPageToken;
      } while (token);
      assert.ok(seen.length >= 300, `got ${seen.length}`);
      assert.equal(new Set(seen).size, seen.length);
      const count = await post(acme, '/rest/api/3/search/approximate-count', {
        jql: 'assignee = currentUser() AND statusCategory != Done',
      });
      assert.deepEqual(count.body, { count: seen.length });
    });

    it('returns ids only by default, caps pages, honours *all, -exclusions and expand', async () => {
      const ids = await get(acme, `/rest/api/3/search/jql?jql=${q('project = ENG')}&maxResults=1000`);
      assert.equal(ids.body.issues.length, 300);
      assert.deepEqual(ids.body.issues[0], { id: ids.body.issues[0].id });
      const capped = await get(acme, `/rest/api/3/search/jql?jql=${q('project = ENG')}&maxResults=1000&fields=summary`);
      assert.equal(capped.body.issues.length, 100);
      assert.equal(capped.body.isLast, false);
      const all = await post(acme, '/rest/api/3/search/jql', {
        jql: 'key = ENG-1',
        fields: ['*all', '-comment'],
        expand: 'names,renderedFields,transitions',
      });
      const issue = all.body.issues[0];
      assert.equal(issue.fields.comment, undefined);
      assert.equal(issue.fields.description.type, 'doc');
      assert.match(issue.renderedFields.description, /^<h1>/);
      assert.ok(Array.isArray(issue.transitions));
      assert.equal(all.body.names.summary, 'Summary');
      const nav = await post(acme, '/rest/api/3/search/jql', { jql: 'key = ENG-1', fields: ['*navigable'] });
      assert.equal(nav.body.issues[0].fields.comment, undefined);
      assert.ok(nav.body.issues[0].fields.assignee !== undefined);
    });

    it('rejects unbounded JQL, foreign tokens, bad maxResults and unreadable bodies', async () => {
      const unbounded = await get(acme, `/rest/api/3/search/jql?jql=${q('order by key desc')}`);
      assert.equal(unbounded.status, 400);
      assert.deepEqual(unbounded.body, { errorMessages: [UNBOUNDED], errors: {} });
      assert.deepEqual((await get(acme, '/rest/api/3/search/jql')).body.errorMessages, [UNBOUNDED]);
      const first = await get(acme, `/rest/api/3/search/jql?jql=${q('project = ENG')}&maxResults=10`);
      const foreign = await get(
        acme,
        `/rest/api/3/search/jql?jql=${q('project = OPS')}&nextPageToken=${encodeURIComponent(first.body.nextPageToken)}`,
      );
      assert.equal(foreign.status, 400);
      assert.deepEqual(foreign.body.errorMessages, ['The provided nextPageToken is invalid or has expired.']);
      assert.equal((await get(acme, `/rest/api/3/search/jql?jql=${q('project = ENG')}&maxResults=0`)).status, 400);
      const notInt = await get(acme, `/rest/api/3/search/jql?jql=${q('project = ENG')}&maxResults=abc`);
      assert.equal(notInt.status, 400);
      assert.equal(notInt.type, 'application/problem+json;charset=UTF-8');
      assert.equal(notInt.body.detail, "Failed to convert 'maxResults' with value: 'abc'");
      const arrayExpand = await post(acme, '/rest/api/3/search/jql', { jql: 'project = ENG', expand: ['names'] });
      assert.equal(arrayExpand.status, 400);
      assert.equal(arrayExpand.body.detail, 'Failed to read request');
      const badJson = await request(acme, 'POST', '/rest/api/3/search/jql', { raw: '{"jql":' });
      assert.deepEqual(badJson.body, {
        errorMessages: ['There was an error parsing JSON. Check that your request body is valid.'],
      });
      const jqlError = await get(acme, `/rest/api/3/search/jql?jql=${q('project = NOPE')}`);
      assert.deepEqual(jqlError.body, {
        errorMessages: ["The value 'NOPE' does not exist for the field 'project'."],
        errors: {},
      });
    });

    it('answers the retired search endpoints with 410 on Cloud, and serves offset search on Data Center', async () => {
      for (const [method, path] of [
        ['GET', '/rest/api/3/search?jql=project=ENG'],
        ['POST', '/rest/api/3/search'],
        ['GET', '/rest/api/2/search?jql=project=ENG'],
        ['POST', '/rest/api/latest/search'],
      ] as const) {
        const res = await request(acme, method, path, method === 'POST' ? { body: { jql: 'project = ENG' } } : {});
        assert.equal(res.status, 410, path);
        assert.deepEqual(res.body, { errorMessages: [SEARCH_REMOVED], errors: {} });
      }
      const dcSearch = await get(
        dc,
        `/rest/api/2/search?jql=${q('project = LEGACY ORDER BY key')}&startAt=5&maxResults=10`,
      );
      assert.equal(dcSearch.status, 200);
      assert.equal(dcSearch.body.startAt, 5);
      assert.equal(dcSearch.body.total, 60);
      assert.equal(dcSearch.body.issues[0].key, 'LEGACY-6');
      assert.equal(typeof dcSearch.body.issues[0].fields.summary, 'string');
      const byName = await get(dc, `/rest/api/2/search?jql=${q('assignee = ada')}&fields=assignee&maxResults=1000`);
      const byFunction = await get(
        dc,
        `/rest/api/2/search?jql=${q('assignee = currentUser()')}&fields=assignee&maxResults=1000`,
      );
      assert.ok(byName.body.total > 0);
      assert.deepEqual(
        byName.body.issues.map((i: Json) => i.key),
        byFunction.body.issues.map((i: Json) => i.key),
      );
      assert.equal(byName.body.issues[0].fields.assignee.name, 'ada');
      const dcUnbounded = await get(dc, `/rest/api/2/search?jql=${q('order by key')}`);
      assert.equal(dcUnbounded.body.total, 85);
      assert.equal((await get(dc, `/rest/api/2/search/jql?jql=${q('project = LEGACY')}`)).status, 404);
    });

    it('sees writes in later searches, ordered by updated', async () => {
      sandbox.clock.advance(60_000);
      const edit = await put(acme, '/rest/api/3/issue/OPS-7', { fields: { summary: 'Freshly edited' } });
      assert.equal(edit.status, 204);
      const res = await get(
        acme,
        `/rest/api/3/search/jql?jql=${q('project = OPS ORDER BY updated DESC')}&maxResults=1&fields=summary,updated`,
      );
      assert.equal(res.body.issues[0].key, 'OPS-7');
      assert.equal(res.body.issues[0].fields.summary, 'Freshly edited');
      const text = await get(acme, `/rest/api/3/search/jql?jql=${q('summary ~ "freshly edited"')}&fields=summary`);
      assert.deepEqual(
        text.body.issues.map((i: Json) => i.key),
        ['OPS-7'],
      );
    });
  });

  describe('issues', () => {
    it("gets an issue with the fields asked for, and 404s in Jira's words", async () => {
      const issue = await get(acme, '/rest/api/3/issue/eng-1?fields=summary,status,customfield_10020');
      assert.equal(issue.status, 200);
      assert.equal(issue.body.key, 'ENG-1');
      assert.equal(issue.body.self, `${acme}/rest/api/3/issue/${issue.body.id}`);
      assert.deepEqual(Object.keys(issue.body.fields).sort(), ['customfield_10020', 'status', 'summary']);
      assert.ok(['new', 'indeterminate', 'done'].includes(issue.body.fields.status.statusCategory.key));
      const full = await get(acme, '/rest/api/3/issue/ENG-2');
      for (const field of [
        'issuetype',
        'project',
        'priority',
        'labels',
        'created',
        'updated',
        'reporter',
        'comment',
        'worklog',
        'issuelinks',
        'subtasks',
        'timetracking',
        'watches',
      ]) {
        assert.ok(field in full.body.fields, field);
      }
      assert.match(full.body.fields.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
      const v2 = await get(acme, '/rest/api/2/issue/ENG-2?fields=description');
      assert.equal(typeof v2.body.fields.description, 'string');
      const missing = await get(acme, '/rest/api/3/issue/ENG-99999');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, {
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    });

    it('creates issues (201) and validates fields like Jira', async () => {
      const created = await post(acme, '/rest/api/3/issue', {
        fields: {
          project: { key: 'ENG' },
          issuetype: { name: 'Story' },
          summary: 'New story',
          description: adf('Body'),
          labels: ['new'],
          assignee: { accountId: GRACE.accountId },
          priority: { name: 'High' },
          customfield_10016: 5,
        },
      });
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), ['id', 'key', 'self']);
      assert.equal(created.body.self, `${acme}/rest/api/3/issue/${created.body.id}`);
      const read = await get(acme, `/rest/api/3/issue/${created.body.key}`);
      assert.equal(read.body.fields.status.name, 'To Do');
      assert.equal(read.body.fields.assignee.accountId, GRACE.accountId);
      assert.equal(read.body.fields.reporter.accountId, DEFAULT_USER.accountId);
      assert.equal(read.body.fields.customfield_10016, 5);
      const empty = await post(acme, '/rest/api/3/issue', { fields: {} });
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.body, {
        errorMessages: [],
        errors: {
          project: 'Specify a valid project ID or key',
          issuetype: 'Specify an issue type',
          summary: 'You must specify a summary of the issue.',
        },
      });
      const stringDescription = await post(acme, '/rest/api/3/issue', {
        fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'x', description: 'plain text' },
      });
      assert.deepEqual(stringDescription.body.errors, {
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      });
      const badAdf = await post(acme, '/rest/api/3/issue', {
        fields: {
          project: { key: 'ENG' },
          issuetype: { name: 'Task' },
          summary: 'x',
          description: {
            type: 'doc',
            version: 1,
            content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
          },
        },
      });
      assert.equal(badAdf.status, 400);
      const unknownField = await post(acme, '/rest/api/3/issue', {
        fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'x', foo: 1 },
      });
      assert.deepEqual(unknownField.body.errors, {
        foo: "Field 'foo' cannot be set. It is not on the appropriate screen, or unknown.",
      });
      const wrongType = await post(acme, '/rest/api/3/issue', {
        fields: { project: { key: 'DOC' }, issuetype: { name: 'Bug' }, summary: 'x' },
      });
      assert.deepEqual(wrongType.body.errors, { issuetype: 'The issue type selected is invalid.' });
      const orphan = await post(acme, '/rest/api/3/issue', {
        fields: { project: { key: 'ENG' }, issuetype: { name: 'Sub-task' }, summary: 'x' },
      });
      assert.ok(orphan.body.errors.parent);
      const sub = await post(acme, '/rest/api/3/issue', {
        fields: {
          project: { key: 'ENG' },
          issuetype: { name: 'Sub-task' },
          summary: 'child',
          parent: { key: created.body.key },
        },
      });
      assert.equal(sub.status, 201, sub.text);
      const parent = await get(acme, `/rest/api/3/issue/${created.body.key}?fields=subtasks`);
      assert.deepEqual(
        parent.body.fields.subtasks.map((s: Json) => s.key),
        [sub.body.key],
      );
      const noBody = await request(acme, 'POST', '/rest/api/3/issue');
      assert.deepEqual(noBody.body, { errorMessages: ['No content to map to Object due to end of input'] });
    });

    it('accepts wiki markup on v2 (stored as ADF on Cloud, kept as markup on Data Center)', async () => {
      const key = await post(acme, '/rest/api/2/issue', {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: 'wiki',
          description: 'h2. Title\n\n* one\n* two',
        },
      });
      assert.equal(key.status, 201);
      const v3 = await get(acme, `/rest/api/3/issue/${key.body.key}?fields=description`);
      assert.equal(v3.body.fields.description.content[0].type, 'heading');
      assert.equal(v3.body.fields.description.content[1].type, 'bulletList');
      const dcKey = await createIssue(
        {
          project: { key: 'LEGACY' },
          issuetype: { name: 'Bug' },
          summary: 'dc bug',
          description: '*bold* {{code}}',
          assignee: { name: 'grace' },
        },
        dc,
      );
      const dcIssue = await get(dc, `/rest/api/2/issue/${dcKey}`);
      assert.equal(dcIssue.body.fields.description, '*bold* {{code}}');
      assert.equal(dcIssue.body.fields.assignee.name, 'grace');
      const seeded = await get(dc, '/rest/api/2/issue/LEGACY-10?fields=description');
      assert.ok(seeded.body.fields.description === null || typeof seeded.body.fields.description === 'string');
    });

    it('edits with fields and update operations (204), returnIssue (200), and rejects bad edits', async () => {
      const key = await createIssue({
        project: { key: 'ENG' },
        issuetype: { name: 'Task' },
        summary: 'to edit',
        labels: ['a', 'b'],
      });
      const edit = await put(acme, `/rest/api/3/issue/${key}`, {
        fields: { summary: 'edited', duedate: '2026-12-24' },
        update: { labels: [{ add: 'c' }, { remove: 'a' }] },
      });
      assert.equal(edit.status, 204);
      assert.equal(edit.text, '');
      const after = await get(acme, `/rest/api/3/issue/${key}?fields=summary,labels,duedate`);
      assert.deepEqual(after.body.fields, { summary: 'edited', labels: ['b', 'c'], duedate: '2026-12-24' });
      const returned = await put(acme, `/rest/api/3/issue/${key}?returnIssue=true`, {
        fields: { priority: { id: '1' } },
      });
      assert.equal(returned.status, 200);
      assert.equal(returned.body.fields.priority.name, 'Highest');
      const both = await put(acme, `/rest/api/3/issue/${key}`, {
        fields: { labels: ['x'] },
        update: { labels: [{ add: 'y' }] },
      });
      assert.equal(both.status, 400);
      const project = await put(acme, `/rest/api/3/issue/${key}`, { fields: { project: { key: 'OPS' } } });
      assert.deepEqual(project.body.errors, {
        project: "Field 'project' cannot be set. It is not on the appropriate screen, or unknown.",
      });
      const spaces = await put(acme, `/rest/api/3/issue/${key}`, { update: { labels: [{ add: 'two words' }] } });
      assert.deepEqual(spaces.body.errors, { labels: "The label 'two words' contains spaces which is invalid." });
      assert.equal((await put(acme, '/rest/api/3/issue/ENG-99999', { fields: { summary: 'x' } })).status, 404);
    });

    it('assigns and unassigns (204), deletes (204) with subtasks only on request', async () => {
      const key = await createIssue({ project: { key: 'ENG' }, issuetype: { name: 'Bug' }, summary: 'assign me' });
      assert.equal((await put(acme, `/rest/api/3/issue/${key}/assignee`, { accountId: GRACE.accountId })).status, 204);
      assert.equal(
        (await get(acme, `/rest/api/3/issue/${key}?fields=assignee`)).body.fields.assignee.accountId,
        GRACE.accountId,
      );
      assert.equal((await put(acme, `/rest/api/3/issue/${key}/assignee`, { accountId: null })).status, 204);
      assert.equal((await get(acme, `/rest/api/3/issue/${key}?fields=assignee`)).body.fields.assignee, null);
      assert.equal((await put(acme, `/rest/api/3/issue/${key}/assignee`, { accountId: 'nobody' })).status, 400);
      const sub = await createIssue({
        project: { key: 'ENG' },
        issuetype: { name: 'Sub-task' },
        summary: 'child',
        parent: { key },
      });
      const refused = await del(acme, `/rest/api/3/issue/${key}`);
      assert.equal(refused.status, 400);
      assert.equal((await del(acme, `/rest/api/3/issue/${key}?deleteSubtasks=true`)).status, 204);
      assert.equal((await get(acme, `/rest/api/3/issue/${sub}`)).status, 404);
    });

    it('serves create and edit metadata', async () => {
      const types = await get(acme, '/rest/api/3/issue/createmeta/ENG/issuetypes');
      assert.deepEqual(
        types.body.issueTypes.map((t: Json) => t.name),
        ['Story', 'Task', 'Bug', 'Sub-task', 'Epic'],
      );
      assert.equal(types.body.total, 5);
      const fields = await get(acme, '/rest/api/3/issue/createmeta/ENG/issuetypes/10003');
      const byId = Object.fromEntries(fields.body.fields.map((f: Json) => [f.fieldId, f]));
      assert.equal(byId.summary.required, true);
      assert.equal(byId.priority.allowedValues.length, 5);
      assert.ok(byId.environment);
      assert.equal((await get(acme, '/rest/api/3/issue/createmeta/NOPE/issuetypes')).status, 404);
      const edit = await get(acme, '/rest/api/3/issue/ENG-5/editmeta');
      assert.ok(edit.body.fields.summary.operations.includes('set'));
      assert.ok(edit.body.fields.labels.operations.includes('add'));
    });
  });

  describe('transitions', () => {
    it('follows the real workflow and sets the resolution on Done', async () => {
      const key = await createIssue({ project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'workflow' });
      const ids = async () =>
        (await get(acme, `/rest/api/3/issue/${key}/transitions`)).body.transitions.map((t: Json) => t.id).sort();
      const list = await get(acme, `/rest/api/3/issue/${key}/transitions`);
      assert.equal(list.body.transitions.find((t: Json) => t.id === '21').to.statusCategory.key, 'indeterminate');
      assert.deepEqual(await ids(), ['21', '51', '61']);
      const invalid = await post(acme, `/rest/api/3/issue/${key}/transitions`, { transition: { id: '41' } });
      assert.equal(invalid.status, 400);
      assert.deepEqual(invalid.body, {
        errorMessages: ["Transition id '41' is not valid for this issue."],
        errors: {},
      });
      for (const id of ['21', '31', '41'])
        assert.equal((await post(acme, `/rest/api/3/issue/${key}/transitions`, { transition: { id } })).status, 204);
      const done = await get(acme, `/rest/api/3/issue/${key}?fields=status,resolution,resolutiondate`);
      assert.equal(done.body.fields.status.name, 'Done');
      assert.equal(done.body.fields.resolution.name, 'Done');
      assert.ok(done.body.fields.resolutiondate);
      assert.deepEqual(await ids(), ['71']);
      await post(acme, `/rest/api/3/issue/${key}/transitions`, { transition: { id: '71' } });
      const reopened = await get(acme, `/rest/api/3/issue/${key}?fields=status,resolution`);
      assert.equal(reopened.body.fields.resolution, null);
      // Won't Do's screen requires the resolution (no default): without it Jira refuses, naming the field.
      const withoutResolution = await post(acme, `/rest/api/3/issue/${key}/transitions`, { transition: { id: '61' } });
      assert.equal(withoutResolution.status, 400);
      assert.deepEqual(withoutResolution.body, { errorMessages: ['Field Resolution is required.'], errors: {} });
      const screen = await get(acme, `/rest/api/3/issue/${key}/transitions?expand=transitions.fields`);
      assert.equal(screen.status, 200);
      const wontDoScreen = screen.body.transitions.find((t: Json) => t.id === '61');
      assert.equal(wontDoScreen.fields.resolution.hasDefaultValue, false);
      await post(acme, `/rest/api/3/issue/${key}/transitions`, {
        transition: { id: '61' },
        fields: { resolution: { name: "Won't Do" } },
        update: { comment: [{ add: { body: adf('Not needed') } }] },
      });
      const wontDo = await get(acme, `/rest/api/3/issue/${key}?fields=resolution,comment`);
      assert.equal(wontDo.body.fields.resolution.name, "Won't Do");
      assert.equal(wontDo.body.fields.comment.total, 1);
      const inSearch = await get(acme, `/rest/api/3/search/jql?jql=${q(`key = ${key} AND resolution = "Won't Do"`)}`);
      assert.equal(inSearch.body.issues.length, 1);
    });
  });

  describe('comments, worklogs, links and watchers', () => {
    it('adds ADF comments on v3 (strings refused), strings on v2, pages, edits and deletes', async () => {
      const added = await post(acme, '/rest/api/3/issue/ENG-12/comment', { body: adf('Hello') });
      assert.equal(added.status, 201);
      assert.equal(added.body.author.accountId, DEFAULT_USER.accountId);
      assert.match(added.body.self, new RegExp(`^${acme}/rest/api/3/issue/\\d+/comment/${added.body.id}$`));
      const plain = await post(acme, '/rest/api/3/issue/ENG-12/comment', { body: 'plain' });
      assert.equal(plain.status, 400);
      assert.deepEqual(plain.body, { errorMessages: [], errors: { comment: 'Comment body is not valid!' } });
      const v2 = await post(acme, '/rest/api/2/issue/ENG-12/comment', { body: 'from *v2*' });
      assert.equal(v2.status, 201);
      assert.equal(typeof v2.body.body, 'string');
      const page = await get(acme, '/rest/api/3/issue/ENG-12/comment?maxResults=1&orderBy=-created');
      assert.equal(page.body.maxResults, 1);
      assert.equal(page.body.comments[0].id, v2.body.id);
      assert.ok(page.body.total >= 2);
      const updated = await put(acme, `/rest/api/3/issue/ENG-12/comment/${added.body.id}`, { body: adf('Edited') });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body.body, adf('Edited'));
      assert.equal((await del(acme, `/rest/api/3/issue/ENG-12/comment/${added.body.id}`)).status, 204);
      assert.equal((await get(acme, `/rest/api/3/issue/ENG-12/comment/${added.body.id}`)).status, 404);
    });

    it('logs work from timeSpent or seconds and validates started', async () => {
      const logged = await post(acme, '/rest/api/3/issue/ENG-13/worklog', {
        timeSpent: '1h 30m',
        started: '2021-01-17T12:34:00.000+0000',
      });
      assert.equal(logged.status, 201);
      assert.equal(logged.body.timeSpentSeconds, 5400);
      assert.equal(logged.body.started, '2021-01-17T12:34:00.000+0000');
      const seconds = await post(acme, '/rest/api/3/issue/ENG-13/worklog', { timeSpentSeconds: 900 });
      assert.equal(seconds.body.timeSpent, '15m');
      assert.equal(
        (await post(acme, '/rest/api/3/issue/ENG-13/worklog', { timeSpent: '1h', started: '2021-01-17' })).status,
        400,
      );
      const none = await post(acme, '/rest/api/3/issue/ENG-13/worklog', {});
      assert.deepEqual(none.body.errors, { timeLogged: 'You must indicate the time spent working.' });
      const list = await get(acme, '/rest/api/3/issue/ENG-13/worklog');
      assert.ok(list.body.worklogs.some((w: Json) => w.id === logged.body.id));
      assert.equal(list.body.total, list.body.worklogs.length);
    });

    it('links issues (201, empty body) with inward/outward roles and deletes links', async () => {
      const types = await get(acme, '/rest/api/3/issueLinkType');
      assert.deepEqual(types.body.issueLinkTypes.map((t: Json) => t.name).sort(), [
        'Blocks',
        'Cloners',
        'Duplicate',
        'Hierarchy',
        'Relates',
      ]);
      const created = await post(acme, '/rest/api/3/issueLink', {
        type: { name: 'Blocks' },
        inwardIssue: { key: 'ENG-20' },
        outwardIssue: { key: 'ENG-21' },
      });
      assert.equal(created.status, 201);
      assert.equal(created.text, '');
      const a = await get(acme, '/rest/api/3/issue/ENG-20?fields=issuelinks');
      const link = a.body.fields.issuelinks.find((l: Json) => l.outwardIssue?.key === 'ENG-21');
      assert.equal(link.type.outward, 'blocks');
      const b = await get(acme, '/rest/api/3/issue/ENG-21?fields=issuelinks');
      assert.ok(b.body.fields.issuelinks.some((l: Json) => l.id === link.id && l.inwardIssue?.key === 'ENG-20'));
      const one = await get(acme, `/rest/api/3/issueLink/${link.id}`);
      assert.equal(one.body.inwardIssue.key, 'ENG-20');
      assert.equal(one.body.outwardIssue.key, 'ENG-21');
      assert.equal((await del(acme, `/rest/api/3/issueLink/${link.id}`)).status, 204);
      assert.equal((await get(acme, `/rest/api/3/issueLink/${link.id}`)).status, 404);
      const badType = await post(acme, '/rest/api/3/issueLink', {
        type: { name: 'Nope' },
        inwardIssue: { key: 'ENG-20' },
        outwardIssue: { key: 'ENG-21' },
      });
      assert.equal(badType.status, 404);
    });

    it('lists, adds and removes watchers', async () => {
      assert.equal(
        (await request(acme, 'POST', '/rest/api/3/issue/ENG-30/watchers', { raw: JSON.stringify(GRACE.accountId) }))
          .status,
        204,
      );
      const watchers = await get(acme, '/rest/api/3/issue/ENG-30/watchers');
      assert.ok(watchers.body.watchers.some((w: Json) => w.accountId === GRACE.accountId));
      assert.equal(watchers.body.watchCount, watchers.body.watchers.length);
      assert.equal(
        (await del(acme, `/rest/api/3/issue/ENG-30/watchers?accountId=${encodeURIComponent(GRACE.accountId)}`)).status,
        204,
      );
      const after = await get(acme, '/rest/api/3/issue/ENG-30/watchers');
      assert.ok(!after.body.watchers.some((w: Json) => w.accountId === GRACE.accountId));
    });
  });

  describe('projects and configuration', () => {
    it('searches projects as a PageBean and gets one by key', async () => {
      const page = await get(acme, '/rest/api/3/project/search?maxResults=2');
      assert.deepEqual(
        page.body.values.map((p: Json) => p.key),
        ['DOC', 'ENG'],
      );
      assert.equal(page.body.total, 3);
      assert.equal(page.body.isLast, false);
      assert.equal(page.body.nextPage, `${acme}/rest/api/3/project/search?maxResults=2&startAt=2`);
      const filtered = await get(acme, '/rest/api/3/project/search?keys=OPS&keys=ENG');
      assert.deepEqual(
        filtered.body.values.map((p: Json) => p.key),
        ['ENG', 'OPS'],
      );
      const query = await get(acme, '/rest/api/3/project/search?query=oper');
      assert.deepEqual(
        query.body.values.map((p: Json) => p.key),
        ['OPS'],
      );
      const eng = await get(acme, '/rest/api/3/project/ENG');
      assert.equal(eng.body.lead.accountId, GRACE.accountId);
      assert.equal(eng.body.issueTypes.length, 5);
      const missing = await get(acme, '/rest/api/3/project/NOPE');
      assert.deepEqual(missing.body, { errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
      const other = await get(globex, '/rest/api/3/project/search');
      assert.deepEqual(
        other.body.values.map((p: Json) => p.key),
        ['MOB', 'SUP', 'WEB'],
      );
    });

    it('lists issue types, priorities, statuses, resolutions, fields and labels', async () => {
      assert.deepEqual(
        (await get(acme, '/rest/api/3/issuetype')).body.map((t: Json) => t.name),
        ['Epic', 'Story', 'Task', 'Bug', 'Sub-task'],
      );
      assert.deepEqual(
        (await get(acme, '/rest/api/3/priority')).body.map((p: Json) => p.name),
        ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
      );
      const statuses = (await get(acme, '/rest/api/3/status')).body;
      assert.deepEqual(
        statuses.map((s: Json) => s.name),
        ['To Do', 'In Progress', 'In Review', 'Blocked', 'Done'],
      );
      assert.deepEqual(
        (await get(acme, '/rest/api/3/resolution')).body.map((r: Json) => r.name),
        ['Done', "Won't Do", 'Duplicate', 'Cannot Reproduce'],
      );
      const fields = (await get(acme, '/rest/api/3/field')).body as Json[];
      assert.equal(fields.find((f) => f.id === 'customfield_10016')?.name, 'Story Points');
      assert.equal(
        fields.find((f) => f.id === 'customfield_10020')?.schema.custom,
        'com.pyxis.greenhopper.jira:gh-sprint',
      );
      const searched = await get(acme, '/rest/api/3/field/search?query=sprint');
      assert.deepEqual(
        searched.body.values.map((f: Json) => f.id),
        ['customfield_10020'],
      );
      const labels = await get(acme, '/rest/api/3/label');
      assert.ok(labels.body.values.includes('backend'));
      assert.equal(labels.body.isLast, true);
    });
  });

  describe('agile', () => {
    it('lists boards and sprints by state', async () => {
      const boards = await get(acme, '/rest/agile/1.0/board');
      assert.deepEqual(
        boards.body.values.map((b: Json) => [b.name, b.type]),
        [
          ['ENG board', 'scrum'],
          ['OPS board', 'kanban'],
        ],
      );
      const kanban = await get(acme, '/rest/agile/1.0/board?projectKeyOrId=OPS&type=kanban');
      assert.equal(kanban.body.values.length, 1);
      const states = await get(acme, '/rest/agile/1.0/board/1/sprint?state=closed,active,future');
      assert.deepEqual([...new Set(states.body.values.map((s: Json) => s.state))], ['closed', 'active', 'future']);
      const active = await get(acme, '/rest/agile/1.0/board/1/sprint?state=active');
      assert.equal(active.body.values.length, 1);
      const noSprints = await get(acme, '/rest/agile/1.0/board/2/sprint');
      assert.deepEqual(noSprints.body, { errorMessages: ['The board does not support sprints'], errors: {} });
      assert.equal((await get(acme, '/rest/agile/1.0/board/99')).status, 404);
    });

    it('pages sprint issues, creates a sprint and moves issues into it', async () => {
      const sprint = (await get(acme, '/rest/agile/1.0/board/1/sprint?state=active')).body.values[0];
      const first = await get(acme, `/rest/agile/1.0/sprint/${sprint.id}/issue?maxResults=5`);
      assert.equal(first.body.issues.length, 5);
      assert.ok(first.body.total > 5);
      assert.equal(first.body.issues[0].fields.sprint.id, sprint.id);
      const filtered = await get(
        acme,
        `/rest/agile/1.0/sprint/${sprint.id}/issue?jql=${q('issuetype = Bug')}&fields=issuetype`,
      );
      assert.ok(filtered.body.issues.every((i: Json) => i.fields.issuetype.name === 'Bug'));
      const software = await get(acme, `/rest/software/1.0/sprint/${sprint.id}/issue?maxResults=5`);
      assert.equal(software.body.isLast, false);
      assert.equal(software.body.total, undefined);
      const next = await get(
        acme,
        `/rest/software/1.0/sprint/${sprint.id}/issue?maxResults=5&nextPageToken=${encodeURIComponent(software.body.nextPageToken)}`,
      );
      const sixth = await get(acme, `/rest/agile/1.0/sprint/${sprint.id}/issue?startAt=5&maxResults=1`);
      assert.equal(next.body.issues[0].key, sixth.body.issues[0].key);
      const created = await post(acme, '/rest/agile/1.0/sprint', {
        name: 'ENG Sprint 12',
        originBoardId: 1,
        goal: 'Test',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.state, 'future');
      const backlog = await get(
        acme,
        `/rest/agile/1.0/board/1/backlog?maxResults=2&jql=${q('issuetype in standardIssueTypes() ORDER BY key')}`,
      );
      const keys = backlog.body.issues.map((i: Json) => i.key);
      assert.equal(keys.length, 2);
      assert.equal((await post(acme, `/rest/agile/1.0/sprint/${created.body.id}/issue`, { issues: keys })).status, 204);
      const inSprint = await get(
        acme,
        `/rest/api/3/search/jql?jql=${q(`sprint = ${created.body.id} AND issuetype != Sub-task ORDER BY key`)}&fields=customfield_10020`,
      );
      assert.deepEqual(
        inSprint.body.issues.map((i: Json) => i.key),
        keys,
      );
      const subtask = await get(
        acme,
        `/rest/api/3/search/jql?jql=${q('issuetype = Sub-task')}&maxResults=1&fields=summary`,
      );
      const refused = await post(acme, `/rest/agile/1.0/sprint/${created.body.id}/issue`, {
        issues: [subtask.body.issues[0].key],
      });
      assert.equal(refused.status, 400);
      assert.ok(
        inSprint.body.issues[0].fields.customfield_10020.some(
          (s: Json) => s.id === created.body.id && s.state === 'future',
        ),
      );
      const badSprint = await post(acme, '/rest/agile/1.0/sprint', { name: 'x', originBoardId: 2 });
      assert.equal(badSprint.status, 400);
    });
  });

  describe('auth, scopes and HTTP details', () => {
    it('enforces OAuth scopes, accepting classic or granular ones', async () => {
      const userOnly = sandbox.tokens.issue({ scopes: ['read:jira-user'] }).access_token;
      const refused = await get(gateway, `/rest/api/3/search/jql?jql=${q('project = ENG')}`, `Bearer ${userOnly}`);
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { code: 401, message: 'Unauthorized; scope does not match' });
      const granular = sandbox.tokens.issue({ scopes: ['read:issue-details:jira'] }).access_token;
      assert.equal(
        (await get(gateway, `/rest/api/3/search/jql?jql=${q('project = ENG')}`, `Bearer ${granular}`)).status,
        200,
      );
      const readOnly = sandbox.tokens.issue({ scopes: ['read:jira-work'] }).access_token;
      const write = await request(gateway, 'PUT', '/rest/api/3/issue/ENG-1', {
        auth: `Bearer ${readOnly}`,
        body: { fields: { summary: 'x' } },
      });
      assert.equal(write.status, 401);
    });

    it("answers unknown paths and methods with Jira's RFC 7807 bodies", async () => {
      const unknown = await get(acme, '/rest/api/3/nope');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.detail, 'No endpoint GET /rest/api/3/nope.');
      const wrongMethod = await request(acme, 'PATCH', '/rest/api/3/issue/ENG-1', { body: {} });
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.headers.get('allow'), 'GET, PUT, DELETE');
      assert.equal((await get(acme, '/rest/api/4/serverInfo')).status, 404);
    });
  });
});
