// The sandbox's routes behind the Jira toolbox, over real HTTP: bulk changelog fetch and bulk move with
// its task (Cloud only), the project picker (Data Center only), assignable users, dev-status; and the
// refusals Jira gives for each.
import assert from 'node:assert/strict';
import { DEFAULT_USER } from '../../sandbox/data/users';
import { startSandbox, type Sandbox } from '../../sandbox/index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field

describe('sandbox Jira: toolbox routes', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let acme: string;
  let dc: string;

  async function send(
    base: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = {
      authorization:
        base === dc
          ? `Bearer ${sandbox.discovery.dataCenter.personalAccessToken}`
          : `Basic ${Buffer.from(`${DEFAULT_USER.email}:${DEFAULT_USER.apiToken}`).toString('base64')}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  before(async () => {
    sandbox = await startSandbox();
    acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!.url;
    dc = sandbox.discovery.dataCenter.url;
  });
  after(() => sandbox?.close());

  it('bulk-fetches changelogs on Cloud (issue ids, field filter, token paging) and not on Data Center', async () => {
    const created = await send(acme, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'ENG' }, summary: 'changelog', issuetype: { name: 'Task' } },
    });
    const key = String(created.body.key);
    await send(acme, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' } });
    await send(acme, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '31' } });
    const page = await send(acme, 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: [key, 'ENG-99999'],
      fieldIds: ['status'],
      maxResults: 1,
    });
    assert.equal(page.status, 200);
    assert.equal(page.body.issueChangeLogs.length, 1);
    assert.equal(page.body.issueChangeLogs[0].issueId, String(created.body.id));
    assert.equal(page.body.issueChangeLogs[0].changeHistories[0].items[0].toString, 'In Progress');
    const next = await send(acme, 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: [key],
      nextPageToken: page.body.nextPageToken,
    });
    assert.equal(next.body.issueChangeLogs[0].changeHistories[0].items[0].toString, 'In Review');
    assert.equal(next.body.nextPageToken, undefined);
    assert.deepEqual((await send(acme, 'POST', '/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [] })).body, {
      errorMessages: [],
      errors: { issueIdsOrKeys: 'At least one issue ID or key must be provided.' },
    });
    assert.equal(
      (await send(dc, 'POST', '/rest/api/2/changelog/bulkfetch', { issueIdsOrKeys: ['LEGACY-1'] })).status,
      404,
    );
  });

  it('moves issues in bulk on Cloud: a task that runs, then completes with what it moved and refused', async () => {
    const created = await send(acme, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'ENG' }, summary: 'to move', issuetype: { name: 'Task' } },
    });
    const mapping = (issues: string[], target = 'OPS,10002') => ({
      targetToSourcesMapping: {
        [target]: {
          inferClassificationDefaults: true,
          inferFieldDefaults: true,
          inferStatusDefaults: true,
          inferSubtaskTypeDefault: true,
          issueIdsOrKeys: issues,
        },
      },
    });
    const submitted = await send(
      acme,
      'POST',
      '/rest/api/3/bulk/issues/move',
      mapping([String(created.body.key), 'ENG-99999']),
    );
    assert.equal(submitted.status, 201);
    const first = await send(acme, 'GET', `/rest/api/3/bulk/queue/${String(submitted.body.taskId)}`);
    assert.equal(first.body.status, 'RUNNING');
    const done = await send(acme, 'GET', `/rest/api/3/bulk/queue/${String(submitted.body.taskId)}`);
    assert.deepEqual(
      [
        done.body.status,
        done.body.processedAccessibleIssues,
        done.body.invalidOrInaccessibleIssueCount,
        done.body.totalIssueCount,
      ],
      ['COMPLETE', [Number(created.body.id)], 1, 2],
    );
    const moved = await send(acme, 'GET', `/rest/api/3/issue/${String(created.body.key)}?fields=project`);
    assert.match(String(moved.body.key), /^OPS-\d+$/);
    assert.equal(moved.body.fields.project.key, 'OPS');
    assert.equal(
      (await send(acme, 'POST', '/rest/api/3/bulk/issues/move', mapping(['ENG-1'], 'NOPE,10002'))).status,
      400,
    );
    assert.equal(
      (await send(acme, 'POST', '/rest/api/3/bulk/issues/move', mapping(['ENG-1'], 'DOC,10003'))).status,
      400,
    );
    assert.equal((await send(acme, 'GET', '/rest/api/3/bulk/queue/1')).status, 404);
    assert.equal((await send(dc, 'POST', '/rest/api/2/bulk/issues/move', mapping(['LEGACY-1']))).status, 404);
  });

  it('picks projects on Data Center only; assignable users need a project or an issue', async () => {
    const picked = await send(dc, 'GET', '/rest/api/2/projects/picker?query=tool');
    assert.deepEqual([picked.body.total, picked.body.projects.map((p: Json) => p.key)], [1, ['TOOLS']]);
    assert.deepEqual((await send(dc, 'GET', '/rest/api/2/projects/picker?query=')).body, { projects: [], total: 0 });
    assert.equal((await send(acme, 'GET', '/rest/api/3/projects/picker?query=eng')).status, 404);
    assert.equal((await send(acme, 'GET', '/rest/api/3/user/assignable/search?query=a')).status, 400);
    assert.equal((await send(acme, 'GET', '/rest/api/3/user/assignable/search?query=a&project=NOPE')).status, 404);
    assert.equal(
      (await send(acme, 'GET', '/rest/api/3/user/assignable/search?query=a&issueKey=ENG-99999')).status,
      404,
    );
    const grace = await send(acme, 'GET', '/rest/api/3/user/assignable/search?query=grace&project=ENG');
    assert.deepEqual(
      grace.body.map((u: Json) => u.displayName),
      ['Grace Hopper'],
    );
    const linus = await send(dc, 'GET', '/rest/api/2/user/assignable/search?username=linus&issueKey=LEGACY-1');
    assert.deepEqual(
      linus.body.map((u: Json) => u.name),
      ['linus'],
    );
  });

  it('serves dev-status summary and detail by issue id, on Cloud and Data Center', async () => {
    const id = String((await send(acme, 'GET', '/rest/api/3/issue/ENG-2?fields=summary')).body.id);
    const summary = await send(acme, 'GET', `/rest/dev-status/1.0/issue/summary?issueId=${id}`);
    assert.deepEqual(summary.body.summary.pullrequest.byInstanceType, { GitHub: { count: 1, name: 'GitHub' } });
    assert.equal(summary.body.summary.repository.overall.count, 2);
    const detail = await send(
      acme,
      'GET',
      `/rest/dev-status/latest/issue/detail?issueId=${id}&applicationType=GitHub&dataType=repository`,
    );
    assert.equal(detail.body.detail[0].repositories[0].commits.length, 2);
    assert.equal(detail.body.detail[0]._instance.type, 'GitHub');
    const other = await send(
      acme,
      'GET',
      `/rest/dev-status/1.0/issue/detail?issueId=${id}&applicationType=GitLab&dataType=branch`,
    );
    assert.deepEqual(other.body, { errors: [], detail: [] });
    assert.equal((await send(acme, 'GET', '/rest/dev-status/1.0/issue/summary')).status, 400);
    assert.equal((await send(acme, 'GET', '/rest/dev-status/1.0/issue/summary?issueId=99999999')).status, 404);
    assert.equal(
      (await send(acme, 'GET', `/rest/dev-status/1.0/issue/detail?issueId=${id}&dataType=branch`)).status,
      400,
    );
    assert.equal((await send(acme, 'GET', `/rest/dev-status/2.0/issue/summary?issueId=${id}`)).status, 404);
    const dcId = String((await send(dc, 'GET', '/rest/api/2/issue/LEGACY-2?fields=summary')).body.id);
    const dcSummary = await send(dc, 'GET', `/rest/dev-status/1.0/issue/summary?issueId=${dcId}`);
    assert.deepEqual(Object.keys(dcSummary.body.summary.branch.byInstanceType), ['stash']);
  });
});
