// Jira REST calls behind the rest of mcp-atlassian's Jira toolbox: bulk changelogs, project search,
// assignable users, the backlog, moving issues between projects (Cloud's bulk move and its task
// queue) and development information (the dev-status API behind the issue's Development panel).
// Free functions over JiraApi so jira.ts stays the core set; Atlassian's JSON comes back as is.
import type { Json, JiraApi } from './jira';
import { pathSegment } from './ids';

const READ = ['read:jira-work'];
const WRITE = ['write:jira-work'];

/**
 * Cloud only: changelogs of up to 1,000 issues, one page (`{issueChangeLogs:[{issueId, changeHistories}], nextPageToken}`).
 * A POST that changes nothing, so it may be retried.
 */
export function bulkChangelogs(
  jira: JiraApi,
  request: {
    issueIdsOrKeys: readonly string[];
    fieldIds?: readonly string[];
    maxResults?: number;
    nextPageToken?: string;
  },
  signal?: AbortSignal,
): Promise<Json> {
  return jira.http.request<Json>({
    method: 'POST',
    path: '/rest/api/3/changelog/bulkfetch',
    body: request,
    retryable: true,
    scopes: READ,
    signal,
  });
}

/**
 * Projects whose key or name matches `query`: Cloud's paged /project/search, Data Center's
 * /projects/picker (`{projects, total}`). Both answer the projects the caller may browse.
 */
export async function findProjects(
  jira: JiraApi,
  query: string,
  maxResults: number,
  signal?: AbortSignal,
): Promise<{ projects: Json[]; total?: number }> {
  if (jira.cloud) {
    const page = await jira.http.request<Json>({
      path: '/rest/api/3/project/search',
      query: { query, maxResults, orderBy: 'key' },
      scopes: READ,
      signal,
    });
    return {
      projects: (page.values as Json[] | undefined) ?? [],
      total: typeof page.total === 'number' ? page.total : undefined,
    };
  }
  const page = await jira.http.request<Json>({
    path: '/rest/api/2/projects/picker',
    query: { query, maxResults },
    scopes: READ,
    signal,
  });
  return {
    projects: (page.projects as Json[] | undefined) ?? [],
    total: typeof page.total === 'number' ? page.total : undefined,
  };
}

/** Users who may be assigned issues of a project or one issue (Cloud: `query`; Data Center: `username`). */
export function assignableUsers(
  jira: JiraApi,
  options: { query: string; project?: string; issueKey?: string; maxResults: number },
  signal?: AbortSignal,
): Promise<Json[]> {
  return jira.http.request<Json[]>({
    path: `${jira.api}/user/assignable/search`,
    query: {
      [jira.cloud ? 'query' : 'username']: options.query,
      project: options.project,
      issueKey: options.issueKey,
      maxResults: options.maxResults,
    },
    scopes: ['read:jira-user'],
    signal,
  });
}

/** Moves up to 50 issues to the backlog, out of any open sprint (Jira Software, both flavours). Safe to repeat. */
export async function moveToBacklog(jira: JiraApi, issues: readonly string[], signal?: AbortSignal): Promise<void> {
  await jira.http.request({
    method: 'POST',
    path: '/rest/agile/1.0/backlog/issue',
    body: { issues },
    retryable: true,
    scopes: ['write:sprint:jira-software', 'write:jira-work'],
    signal,
  });
}

/**
 * Cloud only (Data Center has no such API): submits a bulk move of issues into one project and issue type, letting Jira keep the
 * values, statuses and classification it can and choose defaults for the rest. Answers `{taskId}`.
 * A POST, so never repeated.
 */
export async function submitMove(
  jira: JiraApi,
  move: { targetProject: string; targetIssueTypeId: string; issues: readonly string[] },
  signal?: AbortSignal,
): Promise<string> {
  const body = await jira.http.request<Json>({
    method: 'POST',
    path: '/rest/api/3/bulk/issues/move',
    body: {
      sendBulkNotification: false,
      targetToSourcesMapping: {
        [`${move.targetProject},${move.targetIssueTypeId}`]: {
          inferClassificationDefaults: true,
          inferFieldDefaults: true,
          inferStatusDefaults: true,
          inferSubtaskTypeDefault: true,
          issueIdsOrKeys: move.issues,
        },
      },
    },
    scopes: WRITE,
    signal,
  });
  return String(body.taskId);
}

/** Progress of a bulk task: `{taskId, status, progressPercent, processedAccessibleIssues, failedAccessibleIssues, …}`. */
export function bulkTask(jira: JiraApi, taskId: string, signal?: AbortSignal): Promise<Json> {
  return jira.http.request<Json>({
    path: `/rest/api/3/bulk/queue/${pathSegment(taskId)}`,
    scopes: READ,
    signal,
  });
}

/**
 * The Development panel's counts per data type and the tools that hold them
 * (`{summary:{pullrequest:{overall:{count}, byInstanceType:{GitHub:{count,name}}}, branch, repository, …}}`).
 * Jira Cloud and Data Center both serve it at /rest/dev-status/1.0, keyed by the numeric issue id.
 */
export function devStatusSummary(jira: JiraApi, issueId: string, signal?: AbortSignal): Promise<Json> {
  return jira.http.request<Json>({
    path: '/rest/dev-status/1.0/issue/summary',
    query: { issueId },
    scopes: READ,
    signal,
  });
}

/** One tool's (`applicationType`) branches, commits (`repository`) or pull requests for an issue: `{errors, detail:[…]}`. */
export function devStatusDetail(
  jira: JiraApi,
  issueId: string,
  applicationType: string,
  dataType: string,
  signal?: AbortSignal,
): Promise<Json> {
  return jira.http.request<Json>({
    path: '/rest/dev-status/1.0/issue/detail',
    query: { issueId, applicationType, dataType },
    scopes: READ,
    signal,
  });
}
