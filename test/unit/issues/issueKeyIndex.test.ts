import assert from 'node:assert/strict';
import type { JiraApi, Json } from '../../../src/atlassian/jira';
import type { ConnectionInfo } from '../../../src/auth/connections';
import {
  IssueKeyIndex,
  ISSUE_TTL_MS,
  PROJECTS_FAILURE_TTL_MS,
  PROJECTS_TTL_MS,
} from '../../../src/issues/keys/issueKeyIndex';

interface FakeSite {
  projects: string[] | Error;
  issues: Record<string, Json | Error>;
  calls: string[];
}

function setup(sites: Record<string, FakeSite>) {
  let clock = 1_000_000;
  const connections = Object.keys(sites).map((id) => ({ id, siteUrl: `https://${id}.example` }) as ConnectionInfo);
  const jira = (c: ConnectionInfo) => {
    const site = sites[c.id]!;
    return {
      projects: async () => {
        site.calls.push('projects');
        if (site.projects instanceof Error) throw site.projects;
        return site.projects.map((key) => ({ key }));
      },
      getIssue: async (key: string) => {
        site.calls.push(`issue ${key}`);
        const issue = site.issues[key];
        if (issue instanceof Error) throw issue;
        return issue ?? Promise.reject(new Error('404'));
      },
    } as unknown as JiraApi;
  };
  const index = new IssueKeyIndex({ connections: () => connections, jira, now: () => clock });
  return { index, advance: (ms: number) => (clock += ms) };
}

const site = (projects: string[] | Error, issues: Record<string, Json | Error> = {}): FakeSite => ({
  projects,
  issues,
  calls: [],
});

describe('issue keys in text (links and hovers)', () => {
  it('links only keys of projects a connected site has, with their exact offsets', async () => {
    const acme = site(['ENG', 'OPS']);
    const { index } = setup({ acme });
    const text = '// ENG-12: fix UTF-8 and FOO-3; see OPS-7, not https://x/browse/ENG-1 or ENG-0, eng-5, XENG-12';
    const found = await index.find(text);
    assert.deepEqual(
      found.map((m) => [m.key, text.slice(m.start, m.end), m.connectionIds]),
      [
        ['ENG-12', 'ENG-12', ['acme']],
        ['OPS-7', 'OPS-7', ['acme']],
      ],
    );
    assert.equal((await index.at(text, text.indexOf('OPS-7') + 2))?.key, 'OPS-7');
    assert.equal(await index.at(text, text.indexOf('FOO-3')), undefined);
  });

  it('fetches each site’s projects once while cached, again after they expire, and never for text without keys', async () => {
    const acme = site(['ENG']);
    const { index, advance } = setup({ acme });
    assert.deepEqual(await index.find('no keys here'), []);
    assert.deepEqual(acme.calls, []);
    await Promise.all([index.find('ENG-1'), index.find('ENG-2'), index.find('ENG-3 ENG-4')]);
    assert.deepEqual(acme.calls, ['projects']);
    advance(PROJECTS_TTL_MS + 1);
    await index.find('ENG-1');
    assert.deepEqual(acme.calls, ['projects', 'projects']);
  });

  it('a site whose project list fails gives no links, and is asked again only after a pause', async () => {
    const broken = site(new Error('503'));
    const acme = site(['ENG']);
    const { index, advance } = setup({ broken, acme });
    assert.deepEqual(
      (await index.find('ENG-1')).map((m) => m.connectionIds),
      [['acme']],
    );
    await index.find('ENG-2');
    assert.deepEqual(broken.calls, ['projects']);
    advance(PROJECTS_FAILURE_TTL_MS + 1);
    broken.projects = ['ENG'];
    assert.deepEqual(
      (await index.find('ENG-1')).map((m) => m.connectionIds),
      [['broken', 'acme']],
    );
  });

  it('fetches an issue on lookup only, keeps it a minute, and reports errors instead of hiding them', async () => {
    const issue = { key: 'ENG-1', fields: { summary: 'Fix login', status: { name: 'To Do' }, assignee: null } };
    const acme = site(['ENG'], { 'ENG-1': issue, 'ENG-2': new Error('403 read:jira-work') });
    const { index, advance } = setup({ acme });
    const [one] = await index.find('ENG-1');
    assert.deepEqual(acme.calls, ['projects']);
    const first = await index.lookup(one!);
    assert.equal(first[0]?.ok && first[0].issue.summary, 'Fix login');
    await index.lookup(one!);
    assert.deepEqual(acme.calls, ['projects', 'issue ENG-1']);
    advance(ISSUE_TTL_MS + 1);
    await index.lookup(one!);
    assert.deepEqual(acme.calls.slice(-1), ['issue ENG-1']);
    assert.equal(acme.calls.length, 3);

    const [two] = await index.find('ENG-2');
    const failed = await index.lookup(two!);
    assert.equal(failed[0]?.ok, false);
    assert.match(String(!failed[0]!.ok && failed[0]!.error), /403/);
    await index.lookup(two!);
    assert.equal(acme.calls.filter((c) => c === 'issue ENG-2').length, 2, 'an error is not cached');
  });
});
