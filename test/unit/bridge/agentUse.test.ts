// What agents stumble on elsewhere, driven through the real MCP SDK client against the sandbox on
// Cloud and Data Center: a search shorter than its result says how many match and how to go on;
// transitions show the fields their screens require (with allowed values) and a transition without
// one is refused, naming it, before anything is sent; a truncated comment list says "N of M".
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { issueFields, issueView } from '../../../src/bridge/format';
import { call, connectStdio, type Connected, openBridge } from './harness';

type Json = Record<string, unknown>;

/** The default toolset, and the upload the attachment test needs. */
const TOOLSETS = 'default,jira_upload_attachment';

for (const flavour of ['cloud', 'datacenter'] as const) {
  describe(`tools agents use well (${flavour}, stdio)`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let c: Connected;
    const project = flavour === 'cloud' ? 'ENG' : 'LEGACY';

    before(async () => {
      sandbox = await startSandbox();
      const site = sandbox.discovery.sites[0]!;
      if (flavour === 'cloud') ({ c } = await openBridge('stdio', { JIRA_URL: site.url, TOOLSETS: TOOLSETS }));
      else {
        const dc = sandbox.discovery.dataCenter;
        c = await connectStdio({ JIRA_URL: dc.url, JIRA_PERSONAL_TOKEN: dc.personalAccessToken, TOOLSETS });
      }
    });
    after(async () => {
      await c?.close();
      await sandbox?.close();
    });

    const ok = async (name: string, args: Json) => {
      const r = await call(c.client, name, args);
      assert.equal(r.isError, false, `${name} failed: ${r.text}`);
      return r.json as Json;
    };
    const refused = async (name: string, args: Json) => {
      const r = await call(c.client, name, args);
      assert.equal(r.isError, true, `${name} should have been refused: ${r.text}`);
      return r.text;
    };
    const firstKey = async (jql: string) =>
      String(((await ok('jira_search', { jql, limit: 1 })).issues as Json[])[0]!.key);

    it('jira_search showing fewer issues than match says how many match, and how to get the next page', async () => {
      const jql = `project = ${project} ORDER BY key ASC`;
      const all = await ok('jira_search', { jql, limit: 100 });
      const first = await ok('jira_search', { jql, limit: 3 });
      assert.equal((first.issues as Json[]).length, 3);
      const total = Number(first.total);
      assert.ok(total > 3, `total ${String(first.total)}`);
      if (flavour === 'cloud') {
        assert.equal(first.total_is_approximate, true);
        assert.equal(
          sandbox.log.entries({ method: 'POST', path: /\/rest\/api\/3\/search\/approximate-count$/ }).length > 0,
          true,
        );
      } else assert.equal(first.total_is_approximate, undefined, 'Data Center counts exactly');
      const about = flavour === 'cloud' ? 'about ' : '';
      assert.equal(first.shown, `1–3 of ${about}${total} matching issues; more: pass page_token=next_page_token`);
      const second = await ok('jira_search', { jql, limit: 3, page_token: first.next_page_token });
      assert.match(String(second.shown), new RegExp(`^4–6 of ${about}${total} matching issues`));
      // A result that fits in one page says nothing more than its total.
      const one = await ok('jira_search', { jql: `key = ${String((all.issues as Json[])[0]!.key)}` });
      assert.deepEqual([one.total, one.shown, one.next_page_token], [1, undefined, undefined]);
    });

    it("jira_get_transitions lists each transition's required fields with their allowed values", async () => {
      const key = await firstKey(`project = ${project} AND status = "To Do" ORDER BY key ASC`);
      const transitions = (await ok('jira_get_transitions', { issue_key: key })) as unknown as Json[];
      const wontDo = transitions.find((t) => t.name === "Won't Do")!;
      assert.deepEqual(wontDo.required_fields, [
        {
          id: 'resolution',
          name: 'Resolution',
          type: 'resolution',
          allowed: "Done, Won't Do, Duplicate, Cannot Reproduce",
        },
      ]);
      assert.equal(transitions.find((t) => t.name === 'In Progress')!.required_fields, undefined);
    });

    it('jira_transition_issue without a required field is refused naming it, before anything is sent; with it, it moves', async () => {
      const key = await firstKey(`project = ${project} AND status = "To Do" ORDER BY key DESC`);
      const posts = () =>
        sandbox.log.entries({ method: 'POST', path: new RegExp(`/issue/${key}/transitions$`) }).length;
      const before = posts();
      const text = await refused('jira_transition_issue', { issue_key: key, transition_id: "Won't Do" });
      assert.match(
        text,
        /"Won't Do" transition's screen requires Resolution \(`fields\.resolution`; one of: Done, Won't Do, Duplicate, Cannot Reproduce\)/,
      );
      assert.match(text, /fields=\{"resolution":"Done"\}/);
      const wrongValue = await refused('jira_transition_issue', {
        issue_key: key,
        transition_id: "Won't Do",
        fields: { resolution: 'Fixed' },
      });
      assert.match(
        wrongValue,
        /`fields\.resolution`: "Fixed" is not a Resolution the "Won't Do" transition allows\. Allowed: Done, Won't Do/,
      );
      assert.equal(posts(), before, 'no transition request was sent');
      const typo = await refused('jira_transition_issue', { issue_key: key, transiton_id: "Won't Do" });
      assert.match(typo, /Unknown argument `transiton_id`\. Did you mean `transition_id`\?/);

      // By the field's name, a choice by its name, with a comment.
      const moved = await ok('jira_transition_issue', {
        issue_key: key,
        transition_id: "Won't Do",
        fields: { Resolution: 'duplicate' },
        comment: 'Same as the **other** one',
      });
      assert.deepEqual(moved, { key, transition: "Won't Do", status: 'Done' });
      const issue = await ok('jira_get_issue', { issue_key: key });
      assert.deepEqual([issue.status, issue.resolution], ['Done', 'Duplicate']);
      assert.ok((issue.comments as Json[]).some((cm) => cm.body === 'Same as the **other** one'));
    });

    it('jira_download_attachments says how many of the files it included', async () => {
      const key = await firstKey(`project = ${project} ORDER BY key DESC`);
      await ok('jira_upload_attachment', { issue_key: key, filename: 'small.log', content: 'GET /health 200' });
      const big = Buffer.alloc(1024 * 1024 + 1, 7).toString('base64');
      await ok('jira_upload_attachment', { issue_key: key, filename: 'big.bin', content_base64: big });
      const r = (await c.client.callTool({ name: 'jira_download_attachments', arguments: { issue_key: key } })) as {
        content: { text?: string }[];
      };
      const summary = JSON.parse(String(r.content[0]!.text)) as Json;
      const total = (summary.attachments as Json[]).length;
      const included = (summary.attachments as Json[]).filter((a) => a.included).length;
      assert.ok(included < total);
      assert.equal(
        summary.shown,
        `${included} of ${total} attachments included; the others are listed with a note saying why`,
      );
      assert.match(
        String((summary.attachments as Json[]).find((a) => a.filename === 'big.bin')!.note),
        /Larger than 1 MB/,
      );
    });

    it('jira_get_issue with expand=changelog gives the whole history (Cloud sends only the newest 100 with the issue)', async () => {
      const key = await firstKey(`project = ${project} AND status = "To Do" ORDER BY key ASC`);
      for (let i = 0; i < 51; i++) {
        await ok('jira_transition_issue', { issue_key: key, transition_id: 'In Progress' });
        await ok('jira_transition_issue', { issue_key: key, transition_id: 'To Do' });
      }
      const issue = await ok('jira_get_issue', { issue_key: key, expand: 'changelog', comment_limit: 0 });
      const changes = (issue.changelog as Json[]).flatMap((h) => h.changes as string[]);
      assert.ok(changes.length >= 102, `${changes.length} changes`);
      assert.equal(changes.filter((ch) => ch === 'status: To Do → In Progress').length >= 51, true);
      assert.equal((issue.truncated as Json | undefined)?.changelog, undefined);
    });

    it('a truncated comment list says "N of M" and how to get the rest', async () => {
      const key = await firstKey(`project = ${project} ORDER BY key ASC`);
      for (const body of ['one', 'two', 'three']) await ok('jira_add_comment', { issue_key: key, body });
      const issue = await ok('jira_get_issue', { issue_key: key, comment_limit: 2 });
      const total = Number(issue.comments_total);
      assert.ok(total >= 3);
      assert.deepEqual(
        (issue.comments as Json[]).map((cm) => cm.body),
        ['two', 'three'],
      );
      assert.equal(
        (issue.truncated as Json).comments,
        `${total - 1}–${total} of ${total} comments (the newest); more: pass comment_limit (up to 100)`,
      );
    });
  });
}

describe('a history longer than Jira gives says "N of M"', () => {
  it('issueView and issueFields name the part shown and where the rest is', () => {
    const histories = Array.from({ length: 3 }, (_, i) => ({
      author: { displayName: 'Ada' },
      created: `2026-01-0${i + 1}T10:00:00.000+0000`,
      items: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }],
    }));
    const issue = { key: 'ENG-1', fields: { summary: 'x' }, changelog: { startAt: 0, total: 1200, histories } };
    const note = "1–3 of 1200 changes; more: the rest are on the issue's History tab in Jira (url)";
    assert.equal((issueView(issue, 'https://x/browse/ENG-1', 'cloud', 10).truncated as Json).changelog, note);
    assert.equal((issueFields(issue, ['summary'], 'cloud').truncated as Json).changelog, note);
  });

  it('an embedded worklog field longer than Jira embeds says "N of M" and which tool lists them all', () => {
    const worklogs = Array.from({ length: 20 }, (_, i) => ({ id: String(i), timeSpent: '1h', timeSpentSeconds: 3600 }));
    const issue = { key: 'ENG-1', fields: { worklog: { startAt: 0, maxResults: 20, total: 32, worklogs } } };
    const field = issueFields(issue, ['worklog'], 'cloud').worklog as Json;
    assert.equal(field.total, 32);
    assert.equal((field.worklogs as Json[]).length, 20);
    assert.equal(field.shown, '1–20 of 32 worklogs; more: jira_get_worklog lists them all');
  });
});
