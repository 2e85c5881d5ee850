// Every payload other projects recorded (../shared/fixtures/real-payloads; manifest.json says which
// endpoint answers with each) goes through the real bridge and the real MCP client in three set-ups —
// Cloud, Data Center with Confluence on a host of its own, Data Center with Confluence under Jira's
// /wiki — with no error and its facts visible in what the model reads. The payloads are read at test
// time, never copied here; without ../shared these tests say so and skip.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  PAYLOADS,
  payloadText,
  payloadsPresent,
  servedPayloads,
  startRecordedUpstream,
  type RecordedUpstream,
} from '../../support/recordedUpstream';
import { call, connectStdio, type Connected } from './harness';

type Args = Record<string, unknown>;
/** A tool call and the facts its answer must show (plain substrings of the result text). */
type Case = readonly [tool: string, args: Args, facts: readonly string[]];

const JIRA_CLOUD: readonly Case[] = [
  ['atlassian_list_sites', {}, ['"flavour":"cloud"', '"confluence_flavour":"cloud"']],
  ['jira_get_issue', { issue_key: 'PROJ-123' }, ['Test Issue Summary', 'PROJ-122', 'test_attachment.txt']],
  ['jira_get_issue', { issue_key: 'TEST-1', expand: 'changelog' }, ['Bug summary', 'status: Open → In Progress']],
  ['jira_search', { jql: 'assignee = currentUser()' }, ['TEST-1', 'Bug summary', 'TEST-3', 'Person A']],
  ['jira_get_project_issues', { project_key: 'PROJ' }, ['PROJ-123', 'Test Issue Summary', 'In Progress']],
  ['jira_get_transitions', { issue_key: 'TEST-1' }, ['"id":"11"', 'To Do', 'In Progress', 'Done']],
  ['jira_search_fields', {}, ['fixVersions', 'customfield_10111', 'Original story points']],
  [
    'jira_get_field_options',
    { field_id: 'customfield_10001' },
    ['High', '"disabled":true', 'North America', 'United States', 'Canada'],
  ],
  ['jira_get_all_projects', {}, ['PRJ1', 'Project 1', 'PRJ3']],
  ['jira_get_user_profile', { user_identifier: '5b10ac8d82e05b22cc7d4ef5' }, ['Fred F. User', 'Australia/Sydney']],
  ['jira_get_agile_boards', {}, ['Board 1', 'scrum']],
  ['jira_get_sprints_from_board', { board_id: '1' }, ['Sprint 5', '"state":"active"']],
  ['jira_get_sprint_issues', { sprint_id: '1' }, ['AR-86', 'mister Morris', '"total":10']],
  ['jira_get_board_issues', { board_id: '1' }, ['BAR-111', 'Sample Story in Epic', 'Garbage Can Sprint (future)']],
  ['jira_get_project_versions', { project_key: 'PROJ' }, ['First', 'Release A', '"archived":true']],
  ['jira_get_project_components', { project_key: 'PROJ' }, ['Some Component', 'Firstname Lastname']],
  ['jira_get_link_types', {}, ['Blocks', 'is blocked by', 'Cloners']],
  ['jira_get_issue_watchers', { issue_key: 'TEST-1' }, ['Fred F. User']],
  ['jira_get_worklog', { issue_key: 'TEST-1' }, ['3h 20m', 'I did some work here.', 'group: jira-developers']],
  ['jira_create_issue', { project_key: 'PROJ', summary: 'x', issue_type: 'Bug' }, ['TEST-3', '10057']],
  ['jira_add_comment', { issue_key: 'TEST-1', body: 'Hello' }, ['"id":"10000"', 'TEST-1']],
  ['jira_add_worklog', { issue_key: 'TEST-1', time_spent: '3h 20m' }, ['100028', '3h 20m']],
];

const JIRA_DC: readonly Case[] = [
  ['jira_get_issue', { issue_key: 'EX-1' }, ['example bug report', 'depends on PRJ-3', 'picture.jpg']],
  ['jira_get_issue', { issue_key: 'FOO-123' }, ['Sample', 'Epic', 'Some Issue Description', 'timetracking']],
  ['jira_get_issue', { issue_key: 'FOO-124' }, ['> [!PANEL] My Title', '[attachment: attachment.ext]']],
  ['jira_get_issue', { issue_key: 'PROJ-123', expand: 'changelog' }, ['EPIC-KEY-1', 'status: Open → In Progress']],
  ['jira_search', { jql: 'project = PROJ' }, ['PROJ-123', '"total":34', 'next_page_token']],
  ['jira_search', { jql: 'project = BULK', start_at: 3 }, ['BULK-62', 'Cheese v1 2.0 issue', '"total":6']],
  ['jira_search', { jql: 'project = BULK', start_at: 5 }, ['BULK-62', 'testing']],
  ['jira_get_transitions', { issue_key: 'EX-1' }, ['Close Issue', 'QA Review', '"to":"Closed"']],
  ['jira_search_fields', { keyword: 'epic' }, ['customfield_10806', 'Epic Link']],
  [
    'jira_get_field_options',
    { field_id: 'priority', project_key: 'SPN', issue_type: 'Request' },
    ['Immediate', 'Moderate', 'Low'],
  ],
  ['jira_get_all_projects', {}, ['AMQ', 'ActiveMQ', 'ARROW', 'Apache Arrow']],
  ['jira_get_user_profile', { user_identifier: 'fred' }, ['fred', 'Fred F. User', 'fred@example.com']],
  ['jira_get_agile_boards', {}, ['Test Weekly', 'kanban', 'Test Mobile']],
  ['jira_get_sprints_from_board', { board_id: '1' }, ['Iteration-10', 'Sprint with a Goal', 'My Goal']],
  ['jira_get_sprint_issues', { sprint_id: '1' }, ['AR-86', 'Ready']],
  ['jira_get_board_issues', { board_id: '1' }, ['EX-1', 'EPIC-77 (Epic Name)', 'sprint 2 (future)']],
  ['jira_get_project_versions', { project_key: 'PROJ' }, ['Second', 'Release B']],
  ['jira_get_project_components', { project_key: 'PROJ' }, ['Some Component']],
  ['jira_get_link_types', {}, ['Duplicate', 'is duplicated by', 'Problem/Incident']],
  ['jira_get_issue_watchers', { issue_key: 'EX-1' }, ['fred', 'Fred F. User']],
  ['jira_get_worklog', { issue_key: 'EX-1' }, ['3h 20m', 'I did some work here.', 'group: jira-developers']],
  ['jira_create_issue', { project_key: 'SPN', summary: 'x', issue_type: 'Request' }, ['TEST-3', '10057']],
  ['jira_add_comment', { issue_key: 'EX-1', body: 'Hello' }, ['"id":"10000"', 'EX-1']],
  ['jira_add_worklog', { issue_key: 'EX-1', time_spent: '3h 20m' }, ['100028', '3h 20m']],
];

const STORAGE_FACTS: readonly (readonly [string, readonly string[]])[] = [
  ['1001', ['> [!TIP]', 'Tip of the day', '> [!WARNING]']],
  ['1002', ['```py', 'def func(n: int) -> str:', '```java']],
  ['1003', ['figure_raster.png', 'figure_vector.svg', 'JPEG image with caption']],
  ['1004', ['[x] **Finished** action', '[ ] **Unfinished** action']],
];

const CONFLUENCE_CLOUD: readonly Case[] = [
  [
    'confluence_search',
    { query: 'parent = 123456789' },
    ['123456789', '2024-01-01: Team Progress Meeting 01', '"space":"TEAM"', 'John Smith'],
  ],
  [
    'confluence_get_page',
    { page_id: '987654321' },
    [
      'Example Meeting Notes',
      '@John Doe',
      '[Jira issue PROJ-124]',
      '[Jira issues (JQL: project = PROJ AND fixVersion = \\"v1.0\\")',
      '[include: TEAM:Release checklist]',
      '[toc: outline=clear',
      '[page properties: id=release-props]',
      '> [!WARNING]',
      'Do not deploy on Fridays.',
      '```ruby',
      '[x] Finished action',
      'moon.jpeg',
      '2024-01-01',
    ],
  ],
  ['confluence_get_page', { page_id: '123456' }, ['Test Page', 'This is a test page content.', '"space":"TESTSPACE"']],
  ['confluence_get_page', { title: 'Test Page', space_key: 'TESTSPACE' }, ['"id":"123456"', '"parent_id":"654321"']],
  ['confluence_get_page_children', { parent_id: '123456' }, ['234567', 'Child Page', 'Another Child Page']],
  [
    'confluence_get_comments',
    { page_id: '123456' },
    ['This is a test comment.', 'This is another test comment.', 'John Doe', 'next_page_token'],
  ],
  ['confluence_get_labels', { page_id: '123456' }, ['meeting-notes', 'important', 'test']],
  ['confluence_get_page_history', { page_id: '123456' }, ['"version":1', 'John Doe', '2023-08-01']],
  ['confluence_search_user', { query: 'John' }, ['John Doe', '712020:abc123-def456-ghi789']],
];

const CONFLUENCE_DC: readonly Case[] = [
  ['atlassian_list_sites', {}, ['"confluence_flavour":"datacenter"']],
  ['confluence_search', { query: 'parent = 123456789' }, ['123456789', '2024-01-01: Team Progress Meeting 01']],
  [
    'confluence_get_page',
    { page_id: '987654321' },
    ['Example Meeting Notes', '"space":"PROJ"', ':blue-star: Date', '2024-01-01', 'Example goal', '@user123'],
  ],
  ['confluence_get_page', { title: 'Example Meeting Notes', space_key: 'PROJ' }, ['"id":"987654321"', 'Example goal']],
  ['confluence_get_page_children', { parent_id: '987654321' }, ['234567', 'Child Page', 'Another Child Page']],
  ['confluence_get_comments', { page_id: '987654321' }, ['This is a test comment.', 'This is another test comment.']],
  ['confluence_get_labels', { page_id: '987654321' }, ['meeting-notes', 'important', 'test']],
  ['confluence_get_page_history', { page_id: '987654321' }, ['"latest_version":1', '"version":1']],
];

/** Errors that are the payload's fact: said plainly, never an empty answer. */
const EXPECTED_ERRORS: readonly Case[] = [
  ['jira_get_issue', { issue_key: 'NOPE-1' }, ['Issue NOPE-1 was not found']],
  ['confluence_create_page', { space_key: 'TESTSPACE', title: 'x', content: 'y' }, ['title: Title cannot be empty']],
];

/** Cloud's user search answers both recorded users: a name is ambiguous, and the answer names them. */
const CLOUD_ERRORS: readonly Case[] = [
  [
    'jira_get_user_profile',
    { user_identifier: 'Jane' },
    ['Jane Doe (5fb82376aca10c006949f35b)', 'Jon Doe (5fb82376aca10c006949f35c)'],
  ],
];

const SETUPS = [
  { name: 'Cloud', jira: 'jira-cloud', confluence: 'cloud' },
  { name: 'Data Center, Confluence on its own host', jira: 'jira-dc', confluence: 'own host' },
  { name: 'Data Center, Confluence under /wiki', jira: 'jira-dc', confluence: 'under /wiki' },
] as const;

async function callOk(c: Connected, [tool, args, facts]: Case): Promise<string> {
  const r = await call(c.client, tool, args);
  assert.equal(r.isError, false, `${tool} ${JSON.stringify(args)}: ${r.text}`);
  assert.doesNotMatch(r.text, /undefined|\[object Object\]/, `${tool}: ${r.text}`);
  for (const fact of facts)
    assert.ok(r.text.includes(fact), `${tool} ${JSON.stringify(args)}: missing ${fact} in\n${r.text}`);
  return r.text;
}

for (const setup of SETUPS) {
  describe(`recorded payloads through the bridge: ${setup.name}`, function () {
    this.timeout(120_000);
    const upstreams: RecordedUpstream[] = [];
    let c: Connected;

    before(async function () {
      if (!payloadsPresent) {
        console.log(`  (skipped: ${PAYLOADS} is absent — these tests replay other projects' recorded payloads)`);
        return this.skip();
      }
      const cloud = setup.confluence === 'cloud';
      const jira = await startRecordedUpstream({
        jira: setup.jira,
        confluence:
          setup.confluence === 'own host' ? undefined : { flavour: cloud ? 'cloud' : 'datacenter', path: '/wiki' },
      });
      upstreams.push(jira);
      let confluenceUrl = `${jira.url}/wiki`;
      if (setup.confluence === 'own host') {
        const own = await startRecordedUpstream({ confluence: { flavour: 'datacenter', path: '/confluence' } });
        upstreams.push(own);
        confluenceUrl = `${own.url}/confluence`;
      }
      const credentials: Record<string, string> = cloud
        ? {
            JIRA_USERNAME: 'ada@example.com',
            JIRA_API_TOKEN: 'recorded',
            CONFLUENCE_USERNAME: 'ada@example.com',
            CONFLUENCE_API_TOKEN: 'recorded',
          }
        : { JIRA_PERSONAL_TOKEN: 'recorded', CONFLUENCE_PERSONAL_TOKEN: 'recorded' };
      c = await connectStdio({ JIRA_URL: jira.url, CONFLUENCE_URL: confluenceUrl, TOOLSETS: 'all', ...credentials });
    });
    after(async () => {
      await c?.close();
      for (const u of upstreams) await u.close();
    });

    const cloud = setup.confluence === 'cloud';
    for (const testCase of [...(cloud ? JIRA_CLOUD : JIRA_DC), ...(cloud ? CONFLUENCE_CLOUD : CONFLUENCE_DC)]) {
      it(`${testCase[0]} ${JSON.stringify(testCase[1])}: its facts are visible`, async () => {
        await callOk(c, testCase);
      });
    }

    for (const [id, facts] of STORAGE_FACTS) {
      if (cloud) {
        it(`storage page ${id}: read raw, byte for byte`, async () => {
          const r = await call(c.client, 'confluence_get_page', { page_id: id, content_format: 'storage' });
          assert.equal(r.isError, false, r.text);
          const file = String((r.json as Args).title);
          assert.equal((r.json as Args).content, payloadText(file));
        });
      } else {
        it(`storage page ${id}: its macros read as Markdown`, async () => {
          await callOk(c, ['confluence_get_page', { page_id: id }, facts]);
        });
      }
    }

    if (!cloud) {
      it('confluence_search_user says plainly that Data Center has no CQL user search', async () => {
        const r = await call(c.client, 'confluence_search_user', { query: 'John' });
        assert.equal(r.isError, true);
        assert.match(r.text, /does not exist on Confluence Data Center/);
      });
    }

    for (const [tool, args, facts] of [...EXPECTED_ERRORS, ...(cloud ? CLOUD_ERRORS : [])]) {
      const confluenceArgs = tool.startsWith('confluence') && !cloud ? { ...args, space_key: 'PROJ' } : args;
      it(`${tool}: the recorded error reaches the model with its reason`, async () => {
        const r = await call(c.client, tool, confluenceArgs);
        assert.equal(r.isError, true, r.text);
        for (const fact of facts) assert.ok(r.text.includes(fact), `missing ${fact} in ${r.text}`);
      });
    }

    it('every request the bridge made had a recorded answer', () => {
      assert.deepEqual(
        upstreams.flatMap((u) => u.unmatched),
        [],
      );
    });
  });
}

describe('recorded payloads: coverage', () => {
  it('every payload in the manifest was served to the bridge by one of the set-ups', function () {
    if (!payloadsPresent) return this.skip();
    const manifest = Object.keys(JSON.parse(payloadText('manifest.json')) as Args);
    const onDisk = readdirSync(PAYLOADS, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(json|xhtml)$/.test(f),
    );
    const expected = [...new Set([...manifest, ...onDisk.map((f) => f.split(join('a', 'b')[1]!).join('/'))])].filter(
      (f) => f !== 'manifest.json',
    );
    const missing = expected.filter((f) => !servedPayloads.has(f));
    assert.deepEqual(missing, [], `not replayed: ${missing.join(', ')}`);
  });
});
