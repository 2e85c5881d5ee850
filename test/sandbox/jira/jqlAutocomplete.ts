// JQL autocomplete as Jira serves it: GET/POST /jql/autocompletedata (the searchable fields with
// their operators, the functions, the reserved words) and GET /jql/autocompletedata/suggestions
// (values of one field matching a prefix, the match in <b>…</b> as Jira marks it). Data Center
// answers the same shapes under /rest/api/2.
import { USERS } from '../data/users';
import { ISSUE_TYPES, PRIORITIES, RESOLUTIONS, STATUS_CATEGORIES, STATUSES } from './model';
import { usernameOf, type JiraStore } from './store';

type Json = Record<string, unknown>;

const EQUALITY = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const HISTORY = ['was', 'was in', 'was not in', 'was not', 'changed'];
const ORDERING = ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not'];
const TEXT = ['~', '!~', 'is', 'is not'];

interface FieldEntry {
  readonly value: string;
  readonly displayName: string;
  readonly operators: readonly string[];
  readonly types: readonly string[];
  readonly cfid?: string;
  readonly orderable?: boolean;
}

const FIELDS: readonly FieldEntry[] = [
  { value: 'assignee', displayName: 'assignee', operators: [...EQUALITY, ...HISTORY], types: ['user'] },
  { value: 'created', displayName: 'created', operators: ORDERING, types: ['java.util.Date'] },
  { value: 'description', displayName: 'description', operators: TEXT, types: ['java.lang.String'] },
  { value: 'due', displayName: 'due', operators: ORDERING, types: ['java.util.Date'] },
  {
    value: 'issuetype',
    displayName: 'issuetype',
    operators: EQUALITY,
    types: ['com.atlassian.jira.issue.issuetype.IssueType'],
  },
  { value: 'key', displayName: 'key', operators: ORDERING, types: ['com.atlassian.jira.issue.Issue'] },
  { value: 'labels', displayName: 'labels', operators: EQUALITY, types: ['com.atlassian.jira.issue.label.Label'] },
  {
    value: 'parent',
    displayName: 'parent',
    operators: ['=', '!=', 'in', 'not in'],
    types: ['com.atlassian.jira.issue.Issue'],
  },
  {
    value: 'priority',
    displayName: 'priority',
    operators: [...ORDERING, ...HISTORY],
    types: ['com.atlassian.jira.issue.priority.Priority'],
  },
  { value: 'project', displayName: 'project', operators: EQUALITY, types: ['com.atlassian.jira.project.Project'] },
  { value: 'reporter', displayName: 'reporter', operators: [...EQUALITY, ...HISTORY], types: ['user'] },
  {
    value: 'resolution',
    displayName: 'resolution',
    operators: [...EQUALITY, ...HISTORY],
    types: ['com.atlassian.jira.issue.resolution.Resolution'],
  },
  {
    value: 'sprint',
    displayName: 'Sprint - cf[10020]',
    cfid: 'cf[10020]',
    operators: EQUALITY,
    types: ['com.atlassian.greenhopper.service.sprint.Sprint'],
  },
  {
    value: 'status',
    displayName: 'status',
    operators: [...EQUALITY, ...HISTORY],
    types: ['com.atlassian.jira.issue.status.Status'],
  },
  {
    value: 'statusCategory',
    displayName: 'statusCategory',
    operators: EQUALITY,
    types: ['com.atlassian.jira.issue.status.category.StatusCategory'],
  },
  {
    value: '"Story Points"',
    displayName: 'Story Points - cf[10016]',
    cfid: 'cf[10016]',
    operators: ORDERING,
    types: ['java.lang.Number'],
  },
  { value: 'summary', displayName: 'summary', operators: TEXT, types: ['java.lang.String'] },
  { value: 'text', displayName: 'text', operators: ['~'], types: ['java.lang.String'], orderable: false },
  { value: 'updated', displayName: 'updated', operators: ORDERING, types: ['java.util.Date'] },
];

const FUNCTIONS: readonly [string, string][] = [
  ['currentUser()', 'user'],
  ['membersOf("")', 'user'],
  ['openSprints()', 'com.atlassian.greenhopper.service.sprint.Sprint'],
  ['closedSprints()', 'com.atlassian.greenhopper.service.sprint.Sprint'],
  ['futureSprints()', 'com.atlassian.greenhopper.service.sprint.Sprint'],
  ['now()', 'java.util.Date'],
  ['startOfDay()', 'java.util.Date'],
  ['endOfDay()', 'java.util.Date'],
  ['startOfWeek()', 'java.util.Date'],
  ['endOfWeek()', 'java.util.Date'],
  ['startOfMonth()', 'java.util.Date'],
  ['endOfMonth()', 'java.util.Date'],
  ['standardIssueTypes()', 'com.atlassian.jira.issue.issuetype.IssueType'],
  ['subTaskIssueTypes()', 'com.atlassian.jira.issue.issuetype.IssueType'],
  ['watchedIssues()', 'com.atlassian.jira.issue.Issue'],
];

const RESERVED = ['and', 'or', 'not', 'empty', 'null', 'order', 'by', 'asc', 'desc', 'in', 'is', 'was', 'changed'];

export function autocompleteData(): Json {
  return {
    visibleFieldNames: FIELDS.map((f) => ({
      value: f.value,
      displayName: f.displayName,
      orderable: String(f.orderable ?? true),
      searchable: 'true',
      auto: 'true',
      ...(f.cfid ? { cfid: f.cfid } : {}),
      operators: f.operators,
      types: f.types,
    })),
    visibleFunctionNames: FUNCTIONS.map(([value, type]) => ({
      value,
      displayName: value,
      ...(value.startsWith('membersOf') ? { isList: 'true' } : {}),
      types: [type],
    })),
    jqlReservedWords: RESERVED,
  };
}

/** Up to 15 values of `fieldName` whose words start with `fieldValue`, quoted where JQL needs it. */
export function autocompleteSuggestions(store: JiraStore, fieldName: string, fieldValue: string): Json {
  const prefix = fieldValue.replace(/^"|"$/g, '').toLowerCase();
  const candidates = valuesOf(store, fieldName.replace(/^"|"$/g, '').toLowerCase());
  const results: Json[] = [];
  for (const { value, label } of candidates) {
    const at = wordStart(label, prefix);
    if (prefix && at < 0) continue;
    const bold = prefix
      ? `${label.slice(0, at)}<b>${label.slice(at, at + prefix.length)}</b>${label.slice(at + prefix.length)}`
      : label;
    results.push({ value, displayName: bold });
    if (results.length === 15) break;
  }
  return { results };
}

/** Where a word of `label` starts with `prefix` (Jira matches word starts, case-insensitively); -1 if none. */
function wordStart(label: string, prefix: string): number {
  const lower = label.toLowerCase();
  for (let i = 0; i < lower.length; i++)
    if ((i === 0 || /[\s(]/.test(lower[i - 1]!)) && lower.startsWith(prefix, i)) return i;
  return -1;
}

function quoted(text: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(text) ? text : `"${text.replace(/"/g, '\\"')}"`;
}

function valuesOf(store: JiraStore, field: string): { value: string; label: string }[] {
  const named = (items: readonly { name: string }[]) => items.map((i) => ({ value: quoted(i.name), label: i.name }));
  switch (field) {
    case 'project':
      return store.projects.map((p) => ({ value: p.key, label: `${p.name} (${p.key})` }));
    case 'status':
      return named(STATUSES);
    case 'statuscategory':
      return named(STATUS_CATEGORIES);
    case 'priority':
      return named(PRIORITIES);
    case 'issuetype':
    case 'type':
      return named(ISSUE_TYPES);
    case 'resolution':
      return named(RESOLUTIONS);
    case 'labels':
      return store.labels().map((l) => ({ value: quoted(l), label: l }));
    case 'sprint':
    case 'cf[10020]':
      return store.sprints.map((s) => ({ value: String(s.id), label: `${s.name} (${s.state})` }));
    case 'assignee':
    case 'reporter':
      return USERS.map((u) => ({
        value: store.dataCenter ? usernameOf(u) : u.accountId,
        label: u.displayName,
      }));
    default:
      return [];
  }
}
