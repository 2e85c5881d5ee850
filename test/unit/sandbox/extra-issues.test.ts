// The sandbox's `extraIssues` option (load tests, `npm run bench`): N more open issues for Ada on
// acme, deterministic, and nothing else in the seed changes.
import assert from 'node:assert/strict';
import { DEFAULT_USER } from '../../sandbox/data/users';
import { startSandbox } from '../../sandbox/index';
import { createJiraStore } from '../../sandbox/jira';

const ASSIGNED_OPEN = 'assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC';

describe('sandbox extraIssues', () => {
  const site = {
    name: 'acme',
    displayName: 'Acme Corp',
    url: 'http://127.0.0.1:1/sites/acme',
    cloudId: 'c',
    flavour: 'cloud' as const,
  };
  const now = () => Date.UTC(2026, 10, 21, 12);

  it('appends open issues for Ada after ENG-300, deterministically, leaving the seeded ones as they were', () => {
    const plain = createJiraStore(site, { now }).allIssues();
    const a = createJiraStore(site, { now, extraIssues: 666 }).allIssues();
    assert.deepEqual(a.slice(0, plain.length), plain);
    assert.deepEqual(a, createJiraStore(site, { now, extraIssues: 666 }).allIssues());
    const extra = a.slice(plain.length);
    assert.equal(extra.length, 666);
    assert.deepEqual([extra[0]!.key, extra.at(-1)!.key], ['ENG-301', 'ENG-966']);
    assert.equal(new Set(a.map((i) => i.id)).size, a.length, 'ids stay unique');
    assert.ok(extra.every((i) => i.assigneeId === DEFAULT_USER.accountId && i.resolutionId === null));
  });

  it('makes "Assigned to me" 1,000 issues over HTTP with 666, paged like any search', async () => {
    const sandbox = await startSandbox({ extraIssues: 666 });
    try {
      const acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!.url;
      const post = async (path: string, body: unknown, status = 200) => {
        const res = await fetch(`${acme}/rest/api/3/${path}`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${DEFAULT_USER.email}:${DEFAULT_USER.apiToken}`).toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, status);
        return (await res.json()) as Record<string, unknown>;
      };
      assert.equal((await post('search/approximate-count', { jql: ASSIGNED_OPEN })).count, 1000);
      const page = await post('search/jql', { jql: ASSIGNED_OPEN, fields: ['summary', 'status'], maxResults: 100 });
      assert.equal((page.issues as unknown[]).length, 100);
      assert.equal(typeof page.nextPageToken, 'string');
      // A new issue still gets the next free key.
      const created = await post(
        'issue',
        { fields: { project: { key: 'ENG' }, issuetype: { name: 'Task' }, summary: 'after the extras' } },
        201,
      );
      assert.equal(created.key, 'ENG-967');
    } finally {
      await sandbox.close();
    }
  });
});
