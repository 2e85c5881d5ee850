// Jira search (toolset jira_issues): JQL search and the issues of one project, paged by cursor.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { SEARCH_ROW_FIELDS, issueFields, prune, searchRow } from '../../format';
import { InputError, p } from '../../schema';
import { effectiveFilter, projectOfIssueKey, quoteValue, restrictQuery } from '../../scope';
import { decodeCursor, encodeCursor, jiraFor, type ToolDef } from '../../tooling';
import { FIELDS_HELP, list, allowProject } from './shared';
import { extentText } from '../../listing';

interface Page {
  readonly issues: Json[];
  /** 0-based position of the first issue of this page. */
  readonly offset: number;
  /** Data Center's exact total, or Cloud's approximate count. */
  readonly total?: number;
  readonly approximate?: boolean;
  /** Cursor of the following page. */
  readonly next?: string;
}

/**
 * One page of a JQL search, from `page_token` (an opaque cursor this bridge returned) or `start_at`,
 * with `limit` (default 10) issues. Cloud's enhanced search reports no total, so Cloud's
 * approximate count is asked alongside (in parallel, so it adds no wait); a last page counts itself.
 */
async function searchPage(
  jira: JiraApi,
  jql: string,
  fields: readonly string[],
  args: Record<string, unknown>,
  signal: AbortSignal,
): Promise<Page> {
  const limit = (args.limit as number | undefined) ?? 10;
  const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
  let pageToken = cursor?.t as string | undefined;
  let startAt = (cursor?.s as number | undefined) ?? (args.start_at as number | undefined) ?? 0;
  const offset = (cursor?.o as number | undefined) ?? startAt;
  const count = jira.cloud ? countOf(jira, jql, signal) : undefined;
  if (jira.cloud && !cursor && startAt > 0) {
    // Cloud search has no offsets: walk past the first start_at issues, ids only.
    while (startAt > 0) {
      const skip = await jira.search({ jql, fields: ['id'], limit: Math.min(100, startAt), pageToken, signal });
      startAt -= skip.issues.length;
      pageToken = skip.nextPageToken;
      if (!pageToken) return { issues: [], offset, ...(await count) };
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
  const after = offset + page.issues.length;
  const next = page.nextPageToken
    ? encodeCursor({ t: page.nextPageToken, o: after })
    : page.nextStartAt !== undefined
      ? encodeCursor({ s: page.nextStartAt })
      : undefined;
  if (!jira.cloud) return { issues: page.issues, offset, total: page.total, next };
  // The last page tells the exact total itself; otherwise Jira's estimate.
  const counted = next ? await count : { total: after };
  return { issues: page.issues, offset, next, ...counted };
}

/** Cloud's approximate count; a failure leaves the total unknown rather than failing the search. */
async function countOf(
  jira: JiraApi,
  jql: string,
  signal: AbortSignal,
): Promise<{ total?: number; approximate?: boolean }> {
  const total = await jira.approximateCount(jql, signal).catch(() => undefined);
  return total === undefined ? {} : { total, approximate: true };
}

/** The result of a page: the issues, how many match in all, and where the next page starts. */
function pageResult(page: Page, rows: Record<string, unknown>[], withheld: boolean): Record<string, unknown> {
  // A total that counted rows the filter withheld would say something about other projects.
  const total = withheld ? undefined : page.total;
  return prune({
    issues: rows,
    total,
    total_is_approximate: total !== undefined && page.approximate ? true : undefined,
    shown: extentText({
      offset: page.offset,
      shown: rows.length,
      total,
      approximate: page.approximate,
      noun: 'matching issues',
      more: page.next ? 'pass page_token=next_page_token' : undefined,
    }),
    next_page_token: page.next,
  });
}

export const jiraSearch: ToolDef = {
  name: 'jira_search',
  title: 'Search Jira issues',
  description:
    'Search Jira issues (tickets, bugs, stories, epics) with JQL, e.g. my open work: assignee = currentUser() AND resolution = Unresolved; this sprint: sprint in openSprints(); a release: fixVersion = "2.1"; text ~ "timeout". Returns key, summary, status, type, priority, assignee, updated (or the `fields` you name, e.g. story points), how many match, and next_page_token.',
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
    const rows = issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i)));
    return pageResult(page, rows, issues.length !== page.issues.length);
  },
};

export const jiraGetProjectIssues: ToolDef = {
  name: 'jira_get_project_issues',
  title: 'Get Jira project issues',
  description:
    'Issues of one Jira project, newest first: key, summary, status, type, priority, assignee, updated, how many there are, and next_page_token. For anything narrower use jira_search with JQL.',
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
    return pageResult(page, issues.map(searchRow), issues.length !== page.issues.length);
  },
};
