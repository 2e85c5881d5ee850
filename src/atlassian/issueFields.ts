// The fields every full view of one issue asks Jira for: the bridge's jira_get_issue and the
// extension's detail panel each add their own few to these.
export const ISSUE_CORE_FIELDS = [
  'summary',
  'status',
  'issuetype',
  'priority',
  'assignee',
  'reporter',
  'created',
  'updated',
  'duedate',
  'resolution',
  'labels',
  'components',
  'fixVersions',
  'parent',
  'subtasks',
  'issuelinks',
  'description',
] as const;
