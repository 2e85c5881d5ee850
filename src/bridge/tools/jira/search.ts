// Jira search (toolset jira_issues): JQL search and the issues of one project, paged by cursor.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { SEARCH_ROW_FIELDS, issueFields, prune, searchRow } from '../../format';
import { InputError, p } from '../../schema';
import { effectiveFilter, projectOfIssueKey, quoteValue, restrictQuery } from '../../scope';
import { decodeCursor, encodeCursor, jiraFor, type ToolDef } from '../../tooling';
import { FIELDS_HELP, list, allowProject } from './shared';

/**
 * One page of a JQL search, from `page_token` (an opaque cursor this bridge returned) or `start_at`,
 * with `limit` (default 10) issues; `next` is the cursor of the following page.
 */
async function searchPage(
  jira: JiraApi,
  jql: string,
  fields: readonly string[],
  args: Record<string, unknown>,
  signal: AbortSignal,
): Promise<{ issues: Json[]; total?: number; next?: string }> {
  const limit = (args.limit as number | undefined) ?? 10;
  const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
  let pageToken = cursor?.t as string | undefined;
  let startAt = (cursor?.s as number | undefined) ?? (args.start_at as number | undefined) ?? 0;
  if (jira.cloud && !cursor && startAt > 0) {
    // Cloud search has no offsets: walk past the first start_at issues, ids only.
    while (startAt > 0) {
      const skip = await jira.search({ jql, fields: ['id'], limit: Math.min(100, startAt), pageToken, signal });
      startAt -= skip.issues.length;
      pageToken = skip.nextPageToken;
      if (!pageToken) return { issues: [] };
    }
  }
  const page = await jira.search({
    jql,
    fields,
    limit,
    pageToken,
    startAt,
    expand: args.expand as string | undefined,
    signal,
  });
  const next = page.nextPageToken
    ? encodeCursor({ t: page.nextPageToken })
    : page.nextStartAt !== undefined
      ? encodeCursor({ s: page.nextStartAt })
      : undefined;
  return { issues: page.issues, total: page.total, next };
}

export const jiraSearch: ToolDef = {
  name: 'jira_search',
  title: 'Search Jira issues',
  description:
    'Search issues with JQL. Returns key, summary, status, type, priority, assignee, updated (or the fields you name) and next_page_token when more results exist.',
  toolset: 'jira_issues',
  core: true,
  product: 'jira',
  params: {
    jql: p.str('JQL, e.g. project = PROJ AND status = "In Progress" ORDER BY updated DESC'),
    fields: p.str(FIELDS_HELP),
    limit: p.int('Issues per page (default 10)', 1, 100),
    page_token: p.str('next_page_token from the previous page'),
    start_at: p.int('Offset of the first issue (prefer page_token)', 0, 1000),
    projects_filter: p.str('Comma-separated project keys to restrict to'),
    expand: p.str(undefined, { hidden: true }),
  },
  required: ['jql'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const filter = effectiveFilter(ctx.config.projectsFilter, list(args.projects_filter), 'project', 'projects_filter');
    const jql = restrictQuery(String(args.jql), 'project', filter, 'JQL', 'jql');
    const fields = list(args.fields);
    const page = await searchPage(jira, jql, fields ?? [...SEARCH_ROW_FIELDS], args, ctx.signal);
    // Defence in depth: nothing outside the allowed projects leaves the bridge, whatever Jira returned.
    const issues = page.issues.filter((i) => !filter || filter.includes(projectOfIssueKey(String(i.key)) ?? ''));
    return prune({
      issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
      // A total that counted rows the filter withheld would say something about other projects.
      total: issues.length === page.issues.length ? page.total : undefined,
      next_page_token: page.next,
    });
  },
};

export const jiraGetProjectIssues: ToolDef = {
  name: 'jira_get_project_issues',
  title: 'Get Jira project issues',
  description:
    'Issues of one project, newest first: key, summary, status, type, priority, assignee, updated, and next_page_token when more exist.',
  toolset: 'jira_issues',
  product: 'jira',
  params: {
    project_key: p.str('Project key, e.g. PROJ'),
    limit: p.int('Issues per page (default 10)', 1, 50),
    start_at: p.int('Offset of the first issue (prefer page_token)', 0, 1000),
    page_token: p.str('next_page_token from the previous page'),
  },
  required: ['project_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.project_key).trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9_]*$/.test(key))
      throw new InputError(
        `Invalid argument \`project_key\`: "${String(args.project_key)}" is not a project key (letters, digits and _, starting with a letter).`,
      );
    allowProject(ctx, key, 'project_key');
    const page = await searchPage(
      jira,
      `project = ${quoteValue(key)} ORDER BY created DESC`,
      [...SEARCH_ROW_FIELDS],
      args,
      ctx.signal,
    );
    const issues = page.issues.filter((i) => projectOfIssueKey(String(i.key)) === key);
    return prune({ issues: issues.map(searchRow), total: page.total, next_page_token: page.next });
  },
};
