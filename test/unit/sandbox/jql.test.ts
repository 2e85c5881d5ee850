// The sandbox's JQL: parsing, Jira's error wording, and evaluation over the seeded acme data. Expected
// results are computed straight from the store's records, so every assertion can fail independently.
import assert from 'node:assert/strict';
import type { SiteRecord } from '../../sandbox/context';
import { DEFAULT_USER, USERS } from '../../sandbox/data/users';
import { createJiraStore, type JiraStore } from '../../sandbox/jira';
import { compileJql, JqlError, parseDate, parseJql, textMatcher } from '../../sandbox/jql';
import type { IssueRecord } from '../../sandbox/jira/model';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const DAY = 86_400_000;
const ACME: SiteRecord = {
  name: 'acme',
  displayName: 'Acme Corp',
  url: 'http://127.0.0.1:1/sites/acme',
  cloudId: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  flavour: 'cloud',
};
const GRACE = USERS[1]!;

function errorsOf(store: JiraStore, jql: string): readonly string[] {
  try {
    store.search(jql, DEFAULT_USER);
  } catch (error) {
    assert.ok(error instanceof JqlError, `expected a JqlError, got ${String(error)}`);
    return error.errorMessages;
  }
  assert.fail(`expected "${jql}" to be rejected`);
}

describe('JQL', () => {
  let store: JiraStore;
  let all: IssueRecord[];
  const keys = (jql: string): string[] => store.search(jql, DEFAULT_USER).issues.map((i) => i.key);
  const keySet = (jql: string): Set<string> => new Set(keys(jql));
  const expected = (predicate: (i: IssueRecord) => boolean): Set<string> =>
    new Set(all.filter(predicate).map((i) => i.key));
  const project = (key: string): string => store.findProject(key)!.id;

  before(() => {
    store = createJiraStore(ACME, { now: () => NOW });
    all = store.allIssues();
  });

  describe('parsing', () => {
    it('binds AND tighter than OR, honours parentheses and NOT, keywords in any case', () => {
      const q = parseJql('project = ENG or project = OPS AnD status = Done');
      assert.equal(q.where?.kind, 'or');
      const grouped = parseJql('(project = ENG OR project = OPS) and NOT status = Done order BY updated desc, key');
      assert.equal(grouped.where?.kind, 'and');
      assert.deepEqual(grouped.orderBy, [
        { field: 'updated', direction: 'DESC' },
        { field: 'key', direction: null },
      ]);
    });

    it('reads quoted strings with escapes, lists, functions and EMPTY', () => {
      const q = parseJql(
        `summary ~ "say \\"hi\\"" AND labels in (a, 'b c') AND assignee in (currentUser(), EMPTY) AND sprint is not empty`,
      );
      assert.equal(q.where?.kind, 'and');
      const items = q.where?.kind === 'and' ? q.where.items : [];
      assert.deepEqual(items[0], {
        kind: 'clause',
        field: 'summary',
        operator: '~',
        operand: { kind: 'value', text: 'say "hi"', quoted: true },
      });
      assert.deepEqual(items[2], {
        kind: 'clause',
        field: 'assignee',
        operator: 'in',
        operand: { kind: 'list', items: [{ kind: 'function', name: 'currentUser', args: [] }, { kind: 'empty' }] },
      });
      assert.deepEqual(items[3], { kind: 'clause', field: 'sprint', operator: 'is not', operand: { kind: 'empty' } });
    });

    it("reports syntax errors in Jira's words with a position", () => {
      assert.deepEqual(errorsOf(store, 'project = ENG AND'), [
        'Error in the JQL Query: Expecting a field name at the end of the query. (line 1, character 18)',
      ]);
      assert.match(
        errorsOf(store, 'project ENG')[0]!,
        /^Error in the JQL Query: Expecting operator but got 'ENG'\. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'\. \(line 1, character 9\)$/,
      );
      assert.match(
        errorsOf(store, 'summary ~ "open')[0]!,
        /^Error in the JQL Query: The quoted string 'open' has not been completed\./,
      );
      assert.match(errorsOf(store, 'project in (ENG, OPS')[0]!, /Expecting '\)' but got the end of the query/);
      assert.match(errorsOf(store, 'project = ENG foo')[0]!, /Expecting either 'OR' or 'AND' but got 'foo'/);
      assert.match(
        errorsOf(store, 'status = ')[0]!,
        /Expecting either a value, list or function at the end of the query/,
      );
    });

    it('reports unknown fields, values, functions and unsupported operators, all at once', () => {
      assert.deepEqual(errorsOf(store, 'x = 1'), [
        "Field 'x' does not exist or you do not have permission to view it.",
      ]);
      assert.deepEqual(errorsOf(store, 'project = NOPE AND status = Nope'), [
        "The value 'NOPE' does not exist for the field 'project'.",
        "The value 'Nope' does not exist for the field 'status'.",
      ]);
      assert.deepEqual(errorsOf(store, 'project ~ ENG'), ["The operator '~' is not supported by the 'project' field."]);
      assert.deepEqual(errorsOf(store, 'assignee = nobodyAtAll'), [
        "The value 'nobodyAtAll' does not exist for the field 'assignee'.",
      ]);
      assert.deepEqual(errorsOf(store, 'key = ENG-99999'), [
        "An issue with key 'ENG-99999' does not exist for field 'key'.",
      ]);
      assert.deepEqual(errorsOf(store, 'assignee = whoever()'), ["Unable to find JQL function 'whoever()'."]);
      assert.deepEqual(errorsOf(store, 'project = ENG ORDER BY nonsense'), [
        "Field 'nonsense' does not exist or you do not have permission to view it.",
      ]);
      assert.deepEqual(errorsOf(store, 'project = ENG ORDER BY description'), [
        "Field 'description' does not support sorting.",
      ]);
      assert.match(
        errorsOf(store, 'updated > "last week"')[0]!,
        /^Date value 'last week' for field 'updated' is invalid\./,
      );
    });

    it('knows bounded from unbounded queries', () => {
      const env = store.jqlEnv(DEFAULT_USER);
      assert.equal(compileJql('ORDER BY key DESC', env).bounded, false);
      assert.equal(compileJql('', env).bounded, false);
      assert.equal(compileJql('assignee = currentUser() ORDER BY key', env).bounded, true);
    });
  });

  describe('evaluation', () => {
    it('filters by project (key, name, id) with = and in', () => {
      assert.deepEqual(
        keySet('project = ENG'),
        expected((i) => i.projectId === project('ENG')),
      );
      assert.deepEqual(
        keySet('project in (OPS, "Documentation")'),
        expected((i) => i.projectId === project('OPS') || i.projectId === project('DOC')),
      );
      assert.deepEqual(
        keySet(`project = ${project('DOC')}`),
        expected((i) => i.projectId === project('DOC')),
      );
      assert.deepEqual(
        keySet('project not in (ENG, OPS)'),
        expected((i) => i.projectId === project('DOC')),
      );
    });

    it('filters by assignee: currentUser(), accountId, e-mail, EMPTY and !=', () => {
      const mine = expected((i) => i.assigneeId === DEFAULT_USER.accountId);
      assert.deepEqual(keySet('assignee = currentUser()'), mine);
      assert.deepEqual(keySet(`assignee = "${DEFAULT_USER.accountId}"`), mine);
      assert.deepEqual(
        keySet('assignee = "grace@example.com"'),
        expected((i) => i.assigneeId === GRACE.accountId),
      );
      const unassigned = expected((i) => i.assigneeId === null);
      assert.ok(unassigned.size > 0);
      assert.deepEqual(keySet('assignee is EMPTY'), unassigned);
      assert.deepEqual(keySet('assignee = EMPTY'), unassigned);
      // Like Jira, != never matches an empty field.
      assert.deepEqual(
        keySet('assignee != currentUser()'),
        expected((i) => i.assigneeId !== null && i.assigneeId !== DEFAULT_USER.accountId),
      );
      assert.deepEqual(
        keySet('reporter = currentUser()'),
        expected((i) => i.reporterId === DEFAULT_USER.accountId),
      );
    });

    it('gives Ada at least 300 unresolved issues', () => {
      const open = keys('assignee = currentUser() AND statusCategory != Done');
      assert.ok(open.length >= 300, `only ${open.length}`);
      assert.deepEqual(new Set(open), keySet('assignee = currentUser() AND resolution = Unresolved'));
    });

    it('filters by status, statusCategory (names, keys) and resolution', () => {
      assert.deepEqual(
        keySet('status = "In Review"'),
        expected((i) => i.statusId === '10002'),
      );
      assert.deepEqual(
        keySet('statusCategory = "In Progress"'),
        expected((i) => ['3', '10002', '10003'].includes(i.statusId)),
      );
      assert.deepEqual(
        keySet('statusCategory in ("To Do", indeterminate)'),
        expected((i) => i.statusId !== '10001'),
      );
      assert.deepEqual(
        keySet('statusCategory = Done'),
        expected((i) => i.statusId === '10001'),
      );
      assert.deepEqual(
        keySet('resolution = Unresolved'),
        expected((i) => i.resolutionId === null),
      );
      assert.deepEqual(
        keySet('resolution is EMPTY'),
        expected((i) => i.resolutionId === null),
      );
      assert.deepEqual(
        keySet('resolution = "Won\'t Do"'),
        expected((i) => i.resolutionId === '10001'),
      );
      assert.deepEqual(
        keySet('resolution != Done'),
        expected((i) => i.resolutionId !== null && i.resolutionId !== '10000'),
      );
    });

    it('filters by issue type, priority (including ordering) and labels', () => {
      assert.deepEqual(
        keySet('issuetype = Bug'),
        expected((i) => i.issueTypeId === '10003'),
      );
      assert.deepEqual(
        keySet('type in (Epic, "Sub-task")'),
        expected((i) => i.issueTypeId === '10000' || i.issueTypeId === '10004'),
      );
      assert.deepEqual(
        keySet('issuetype in subTaskIssueTypes()'),
        expected((i) => i.issueTypeId === '10004'),
      );
      assert.deepEqual(
        keySet('priority > Medium'),
        expected((i) => i.priorityId === '1' || i.priorityId === '2'),
      );
      assert.deepEqual(
        keySet('priority <= Low'),
        expected((i) => i.priorityId === '4' || i.priorityId === '5'),
      );
      assert.deepEqual(
        keySet('labels = backend'),
        expected((i) => i.labels.includes('backend')),
      );
      assert.deepEqual(
        keySet('labels in (security, ux)'),
        expected((i) => i.labels.includes('security') || i.labels.includes('ux')),
      );
      assert.deepEqual(
        keySet('labels is EMPTY'),
        expected((i) => i.labels.length === 0),
      );
      assert.deepEqual(
        keySet('project = ENG AND labels != backend'),
        expected((i) => i.projectId === project('ENG') && i.labels.length > 0 && !i.labels.includes('backend')),
      );
    });

    it('matches text with stemming, phrases and wildcards', () => {
      const match = textMatcher('checkouts failing');
      assert.equal(match('The checkout is failing again'), true);
      assert.equal(match('The checkout works'), false);
      assert.equal(textMatcher('"wrong totals"')('Wrong totals in Search'), true);
      assert.equal(textMatcher('"totals wrong"')('Wrong totals in Search'), false);
      assert.equal(textMatcher('dash*')('Dashboard page'), true);
      assert.deepEqual(
        keySet('summary ~ "timeout"'),
        expected((i) => /\btimeout\b/i.test(i.summary)),
      );
      assert.deepEqual(
        keySet('project = ENG AND summary !~ timeout'),
        expected((i) => i.projectId === project('ENG') && !/\btimeout\b/i.test(i.summary)),
      );
      const viaText = keySet('text ~ "kubectl"');
      assert.ok(viaText.size > 0, 'descriptions and comments are searched');
      for (const key of viaText) assert.ok(!/kubectl/i.test(store.findIssue(key)!.summary));
    });

    it('filters by key, id and parent', () => {
      assert.deepEqual(keys('key in (ENG-1, eng-2, OPS-3) ORDER BY key'), ['ENG-1', 'ENG-2', 'OPS-3']);
      assert.deepEqual(keys('key = ENG-5'), ['ENG-5']);
      assert.deepEqual(keys(`id = ${store.findIssue('ENG-5')!.id}`), ['ENG-5']);
      assert.deepEqual(keys('project = ENG AND key <= ENG-3 ORDER BY key ASC'), ['ENG-1', 'ENG-2', 'ENG-3']);
      const epic = all.find((i) => i.issueTypeId === '10000' && all.some((c) => c.parentId === i.id))!;
      assert.deepEqual(
        keySet(`parent = ${epic.key}`),
        expected((i) => i.parentId === epic.id),
      );
    });

    it('filters by sprint: openSprints(), a sprint id or name, EMPTY', () => {
      const active = store.sprints.find((s) => s.state === 'active')!;
      const inActive = expected((i) => i.sprintIds.includes(active.id));
      assert.ok(inActive.size > 0);
      assert.deepEqual(keySet('sprint in openSprints()'), inActive);
      assert.deepEqual(keySet(`sprint = ${active.id}`), inActive);
      assert.deepEqual(keySet(`sprint = "${active.name}"`), inActive);
      assert.deepEqual(
        keySet('project = ENG AND sprint is EMPTY'),
        expected((i) => i.projectId === project('ENG') && i.sprintIds.length === 0),
      );
      assert.deepEqual(
        keySet('sprint in closedSprints()'),
        expected((i) => i.sprintIds.some((id) => store.sprints.find((s) => s.id === id)?.state === 'closed')),
      );
    });

    it('compares dates: relative periods, absolute dates and functions', () => {
      assert.equal(parseDate('-7d', NOW), NOW - 7 * DAY);
      assert.equal(parseDate('-1w 2d', NOW), NOW - 9 * DAY);
      assert.equal(parseDate('2026/11/01', NOW), Date.UTC(2026, 10, 1));
      assert.equal(parseDate('2026-11-01 13:30', NOW), Date.UTC(2026, 10, 1, 13, 30));
      const recent = keySet('updated >= -7d');
      assert.ok(recent.size > 0);
      assert.deepEqual(
        recent,
        expected((i) => i.updated >= NOW - 7 * DAY),
      );
      assert.deepEqual(
        keySet('created < "2026-09-01"'),
        expected((i) => i.created < Date.UTC(2026, 8, 1)),
      );
      assert.deepEqual(
        keySet('created >= startOfDay(-30)'),
        expected((i) => i.created >= Date.UTC(2026, 9, 22)),
      );
      assert.deepEqual(
        keySet('resolved is EMPTY'),
        expected((i) => i.resolutionDate === null),
      );
      assert.deepEqual(
        keySet('duedate is not EMPTY'),
        expected((i) => i.dueDate !== null),
      );
    });

    it('compares story points', () => {
      assert.deepEqual(
        keySet('"Story Points" >= 8'),
        expected((i) => i.storyPoints !== null && i.storyPoints >= 8),
      );
      assert.deepEqual(
        keySet('cf[10016] = 3'),
        expected((i) => i.storyPoints === 3),
      );
    });

    it('orders by updated, created, key, priority and rank', () => {
      const byUpdated = store.search('project = OPS ORDER BY updated DESC', DEFAULT_USER).issues;
      for (let k = 1; k < byUpdated.length; k++) assert.ok(byUpdated[k - 1]!.updated >= byUpdated[k]!.updated);
      assert.deepEqual(keys('project = DOC ORDER BY key ASC').slice(0, 3), ['DOC-1', 'DOC-2', 'DOC-3']);
      assert.deepEqual(
        keys('project = DOC ORDER BY key DESC')[0],
        `DOC-${all.filter((i) => i.projectId === project('DOC')).length}`,
      );
      const byPriority = store.search('project = ENG ORDER BY priority DESC, key ASC', DEFAULT_USER).issues;
      assert.equal(byPriority[0]!.priorityId, '1');
      assert.equal(byPriority[byPriority.length - 1]!.priorityId, '5');
      const byRank = store.search('project = ENG ORDER BY rank', DEFAULT_USER).issues;
      for (let k = 1; k < byRank.length; k++) assert.ok(byRank[k - 1]!.rank < byRank[k]!.rank);
      const byCreated = store.search('project = ENG ORDER BY created ASC', DEFAULT_USER).issues;
      assert.equal(byCreated[0]!.key, 'ENG-1');
    });

    it('combines clauses with OR, NOT and parentheses', () => {
      const got = keySet('(project = DOC OR priority = Highest) AND NOT statusCategory = Done');
      assert.deepEqual(
        got,
        expected((i) => (i.projectId === project('DOC') || i.priorityId === '1') && i.statusId !== '10001'),
      );
    });
  });
});
