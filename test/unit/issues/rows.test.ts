import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import type { IssueSummary, StatusCategory } from '../../../src/issues/issue';
import { issueTooltip } from '../../../src/issues/issue';
import {
  distinctConnections,
  groupByStatus,
  groupCount,
  issueRowText,
  priorityColour,
  typeIcon,
} from '../../../src/issues/rows';

const issue = (key: string, status: string, category: StatusCategory, extra: Partial<IssueSummary> = {}) =>
  ({
    key,
    summary: `Summary of ${key}`,
    status: { name: status, category },
    type: { name: 'Task', subtask: false },
    priority: 'Medium',
    assignee: undefined,
    updated: undefined,
    ...extra,
  }) satisfies IssueSummary;

const connection = (id: string, extra: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id,
  method: 'apiToken',
  flavour: 'cloud',
  siteName: 'acme',
  siteUrl: 'https://acme.atlassian.net',
  cloudId: 'cloud-acme',
  jiraBaseUrl: 'https://acme.atlassian.net',
  confluenceBaseUrl: 'https://acme.atlassian.net/wiki',
  user: { accountId: 'ada', displayName: 'Ada Lovelace', email: 'ada@acme.test' },
  scopes: [],
  secretKey: `secret-${id}`,
  oauth: undefined,
  state: 'connected',
  stateReason: undefined,
  expiresAt: undefined,
  lastRefreshAt: undefined,
  createdAt: 0,
  ...extra,
});

describe('My Issues rows, groups and connections (editor-free)', () => {
  it('puts the status before the summary, so a narrow side bar cuts the summary and not the status', () => {
    const row = issueRowText(issue('ENG-1', 'In Review', 'indeterminate'), false);
    assert.deepEqual(row, { label: 'ENG-1', description: 'In Review · Summary of ENG-1' });
    // Under a status group the status is already said.
    assert.deepEqual(issueRowText(issue('ENG-1', 'In Review', 'indeterminate'), true), {
      label: 'ENG-1',
      description: 'Summary of ENG-1',
    });
  });

  it('orders status groups In Progress first, then To Do, unknown ones, and Done last; by name within a category', () => {
    const issues = [
      issue('A-1', 'Done', 'done'),
      issue('A-2', 'To Do', 'new'),
      issue('A-3', 'In Review', 'indeterminate'),
      issue('A-4', 'Weird', 'unknown'),
      issue('A-5', 'In Progress', 'indeterminate'),
      issue('A-6', 'Backlog', 'new'),
      issue('A-7', 'To Do', 'new'),
    ];
    const groups = groupByStatus(issues);
    assert.deepEqual(
      groups.map((g) => g.status),
      ['In Progress', 'In Review', 'Backlog', 'To Do', 'Weird', 'Done'],
    );
    assert.deepEqual(
      groups.find((g) => g.status === 'To Do')!.issues.map((i) => i.key),
      ['A-2', 'A-7'],
    );
  });

  it('says "N loaded" for a group while the filter has more pages, and the plain count once all are loaded', () => {
    const [group] = groupByStatus([issue('A-1', 'To Do', 'new'), issue('A-2', 'To Do', 'new')]);
    assert.equal(groupCount(group!, false), '2 loaded');
    assert.equal(groupCount(group!, true), '2');
  });

  it('gives types icons that are not states (no check mark for Task), and colours by priority that the tooltip names', () => {
    assert.equal(typeIcon({ name: 'Task', subtask: false }), 'note');
    assert.equal(typeIcon({ name: 'Sub-task', subtask: true }), 'list-tree');
    const stateLike = ['check', 'pass', 'circle-large-outline', 'circle-large-filled', 'issues', 'circle-small'];
    for (const name of ['Task', 'Bug', 'Story', 'Epic', 'Improvement', 'New Feature', 'Something else'])
      assert.ok(!stateLike.includes(typeIcon({ name, subtask: false })), name);
    assert.equal(priorityColour('Highest'), 'red');
    assert.equal(priorityColour('Medium'), undefined);
    const high = issueTooltip(issue('A-1', 'To Do', 'new', { priority: 'High' }), 0);
    assert.match(high, /\| Priority \| High \\\(orange icon\\\) \|/);
    assert.match(issueTooltip(issue('A-1', 'To Do', 'new'), 0), /\| Priority \| Medium \\\(uncoloured icon\\\) \|/);
  });

  it('lists one connection per site and account: the default among duplicates, else a connected one', () => {
    const apiToken = connection('apiToken:acme:ada');
    const oauth = connection('oauth:acme:ada', { method: 'oauth', state: 'needsReconnect' });
    const other = connection('apiToken:acme:bob', { user: { accountId: 'bob', displayName: 'Bob', email: undefined } });
    const dc = connection('pat:dc:ada', {
      cloudId: undefined,
      siteUrl: 'https://jira.example.com/',
      flavour: 'datacenter',
    });
    const dcAgain = connection('pat:dc2:ada', { cloudId: undefined, siteUrl: 'https://JIRA.example.com' });
    const all = [oauth, apiToken, other, dc, dcAgain];
    assert.deepEqual(
      distinctConnections(all, undefined).map((c) => c.id),
      ['apiToken:acme:ada', 'apiToken:acme:bob', 'pat:dc:ada'],
    );
    assert.deepEqual(
      distinctConnections(all, 'oauth:acme:ada').map((c) => c.id),
      ['oauth:acme:ada', 'apiToken:acme:bob', 'pat:dc:ada'],
    );
  });
});
