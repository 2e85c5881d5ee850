// Jira issues (toolset jira_issues): read, create (one or a batch), update, assign, delete.
import { AtlassianError, errorMessagesFrom } from '../../../atlassian/errors';
import type { Json, JiraApi } from '../../../atlassian/jira';
import { MAX_COMMENT_LIMIT, issueFields, issueView, prune } from '../../format';
import { InputError, p } from '../../schema';
import { projectOfIssueKey } from '../../scope';
import { jiraFor, type ToolDef } from '../../tooling';
import {
  ISSUE_KEY,
  FIELDS_HELP,
  list,
  issueFor,
  allowProject,
  outsideProjects,
  attempt,
  resolveUser,
  normalizeFields,
  jsonArray,
  requiredText,
} from './shared';
import { textOf } from '../../../core/text';

/** Items of bulk create per call: Jira's own limit for POST /issue/bulk. */
const MAX_BATCH_ISSUES = 50;

/** The messages of a bulk operation's failed element (`{status, elementErrors:{errorMessages, errors}}`). */
function elementMessages(error: Json): string[] {
  const all = errorMessagesFrom(error.elementErrors);
  return all.length > 0 ? all : [`Jira refused it (${textOf(error.status, '400')}).`];
}

function noneCreated(count: number): string {
  return count === 1 ? 'Jira did not create the issue' : `Jira created none of the ${count} issues`;
}

/** `expand` with `names` added, so custom fields can be labelled. */
function withNames(expand: unknown): string {
  const parts =
    typeof expand === 'string'
      ? expand
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  return [...new Set([...parts, 'names'])].join(',');
}

/** Linked issues, sub-tasks and parents outside the projects filter are reduced to their keys (raw too). */
function keysOnlyOutside(issue: Json, allowed: readonly string[]): void {
  const f = (issue.fields as Json | undefined) ?? {};
  const trim = (other: unknown): unknown => {
    const key = textOf((other as Json | undefined)?.key, '');
    return other && !allowed.includes(projectOfIssueKey(key) ?? '') ? { key } : other;
  };
  if (f.parent) f.parent = trim(f.parent);
  if (Array.isArray(f.subtasks)) f.subtasks = f.subtasks.map(trim);
  if (Array.isArray(f.issuelinks))
    f.issuelinks = (f.issuelinks as Json[]).map((link) =>
      Object.fromEntries(
        Object.entries(link).map(([k, v]) => [k, k === 'inwardIssue' || k === 'outwardIssue' ? trim(v) : v]),
      ),
    );
}

/** Cloud sends only the newest 100 changes with an issue (expand=changelog): the rest come from the paged /changelog. */
async function completeChangelog(jira: JiraApi, key: string, issue: Json, signal: AbortSignal): Promise<void> {
  const log = issue.changelog as Json | undefined;
  const histories = log?.histories;
  if (!jira.cloud || !Array.isArray(histories) || typeof log?.total !== 'number' || log.total <= histories.length)
    return;
  const all = await attempt(`Issue ${key}`, () => jira.changelog(key, signal));
  issue.changelog = { ...log, startAt: 0, maxResults: all.length, histories: all };
}

export const jiraGetIssue: ToolDef = {
  name: 'jira_get_issue',
  title: 'Get Jira issue',
  description:
    "Read one Jira issue (ticket, bug, story, epic) by key: summary, status, type, priority, assignee, reporter, dates, labels, components, fix versions, parent/epic, sub-tasks, linked issues, description (Markdown) and the newest comments (with how many there are). `fields` returns exactly those (e.g. story points); expand=changelog adds the history; `raw` returns Jira's JSON.",
  toolset: 'jira_issues',
  core: true,
  product: 'jira',
  params: {
    issue_key: ISSUE_KEY,
    fields: p.str(FIELDS_HELP),
    comment_limit: p.int('Newest comments to include (default 10)', 0, MAX_COMMENT_LIMIT),
    raw: p.bool('Return the REST JSON unchanged (ADF/wiki bodies)'),
    expand: p.str('Jira expand, e.g. renderedFields,changelog'),
    properties: p.str(undefined, { hidden: true }),
    update_history: p.bool(undefined, { hidden: true }),
    use_display_names: p.bool(undefined, { hidden: true }),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { site, jira, key } = await issueFor(ctx, args);
    const fields = list(args.fields);
    const issue = await attempt(`Issue ${key}`, () =>
      jira.getIssue(key, {
        // The default view asks for every field and their names so it can name what it leaves out.
        fields: fields ?? (args.raw ? undefined : ['*all']),
        expand: args.raw ? (args.expand as string | undefined) : withNames(args.expand),
        signal: ctx.signal,
      }),
    );
    const allowed = ctx.config.projectsFilter;
    if (allowed && !allowed.includes(projectOfIssueKey(String(issue.key)) ?? '')) throw outsideProjects(key, allowed);
    if (allowed) keysOnlyOutside(issue, allowed);
    if (args.raw) return issue;
    await completeChangelog(jira, key, issue, ctx.signal);
    if (fields) return issueFields(issue, fields, jira.flavour);
    return issueView(
      issue,
      site.browseUrl(String(issue.key)),
      jira.flavour,
      (args.comment_limit as number | undefined) ?? 10,
    );
  },
};

export const jiraCreateIssue: ToolDef = {
  name: 'jira_create_issue',
  title: 'Create Jira issue',
  description:
    'Create a Jira issue: bug, task, story, epic or sub-task. `description` is Markdown. Other fields go in additional_fields by id or name: priority, labels, parent (epic or parent key), fixVersions, duedate, story points (id via jira_search_fields), e.g. {"priority":"High","parent":"PROJ-1"}.',
  toolset: 'jira_issues',
  core: true,
  product: 'jira',
  write: true,
  params: {
    project_key: p.str('Project key, e.g. PROJ'),
    summary: p.str(),
    issue_type: p.str('Issue type name or id: Task, Bug, Story, Epic, Sub-task…'),
    assignee: p.str('E-mail, display name, account id, or "me"'),
    description: p.str('Markdown'),
    components: p.str('Comma-separated component names'),
    additional_fields: p.obj('Other fields by id or name, as a JSON object'),
  },
  required: ['project_key', 'summary', 'issue_type'],
  async run(args, ctx) {
    const { site, jira } = await jiraFor(ctx, args);
    const projectKey = String(args.project_key).trim().toUpperCase();
    allowProject(ctx, projectKey, 'project_key');
    const input: Json = { ...((args.additional_fields as Json | undefined) ?? {}) };
    input.summary = args.summary;
    input.issuetype = args.issue_type;
    if (args.description !== undefined) input.description = args.description;
    if (args.assignee !== undefined) input.assignee = args.assignee;
    if (args.components !== undefined) input.components = args.components;
    const fields = await normalizeFields(jira, input, 'additional_fields', ctx.signal);
    fields.project = { key: projectKey };
    const created = await jira.createIssue(fields, undefined, ctx.signal);
    return { key: created.key, id: created.id, url: site.browseUrl(created.key) };
  },
};

export const jiraUpdateIssue: ToolDef = {
  name: 'jira_update_issue',
  title: 'Update Jira issue',
  description:
    'Edit an existing Jira issue\'s fields: summary, description (Markdown), labels, priority, assignee, due date, fix versions, story points or any custom field, e.g. {"summary":"…","labels":["a"]}. Replaces the values given, leaves the rest. Status changes go through jira_transition_issue.',
  toolset: 'jira_issues',
  core: true,
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    issue_key: ISSUE_KEY,
    fields: p.obj('Fields to set, as a JSON object'),
    additional_fields: p.obj('More fields to set (merged into fields)'),
    components: p.str('Comma-separated component names (replaces the current ones)'),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { site, jira, key } = await issueFor(ctx, args);
    const input: Json = {
      ...((args.fields as Json | undefined) ?? {}),
      ...((args.additional_fields as Json | undefined) ?? {}),
    };
    if (args.components !== undefined) input.components = args.components;
    if (Object.keys(input).length === 0)
      throw new InputError('Missing required argument `fields`: give at least one field to change.');
    if ('project' in input)
      throw new InputError('Invalid argument `fields`: moving an issue to another project is not supported here.');
    const fields = await normalizeFields(jira, input, 'fields', ctx.signal);
    await attempt(`Issue ${key}`, () => jira.editIssue(key, fields, undefined, ctx.signal));
    return { key, updated: Object.keys(fields), url: site.browseUrl(key) };
  },
};

export const jiraAssignIssue: ToolDef = {
  name: 'jira_assign_issue',
  title: 'Assign Jira issue',
  description:
    'Assign a Jira issue to someone (e-mail, display name, account id, or "me" to take it); an empty assignee unassigns it.',
  toolset: 'jira_issues',
  core: true,
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { issue_key: ISSUE_KEY, assignee: p.str('E-mail, display name, account id, "me"; empty to unassign') },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const ref = typeof args.assignee === 'string' ? args.assignee.trim() : '';
    const user = ref && !/^(unassigned|none)$/i.test(ref) ? await resolveUser(jira, ref, 'assignee', ctx.signal) : null;
    await attempt(`Issue ${key}`, () => jira.assign(key, user, ctx.signal));
    return { key, assignee: user };
  },
};

export const jiraDeleteIssue: ToolDef = {
  name: 'jira_delete_issue',
  title: 'Delete Jira issue',
  description:
    "Permanently delete a Jira issue and its sub-tasks; cannot be undone. To close an issue, transition it instead (e.g. Done, Won't Do).",
  toolset: 'jira_issues',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    await attempt(`Issue ${key}`, () => jira.deleteIssue(key, ctx.signal));
    return { deleted: key };
  },
};

export const jiraBatchCreateIssues: ToolDef = {
  name: 'jira_batch_create_issues',
  title: 'Create Jira issues in bulk',
  description:
    'Create many Jira issues at once (bulk create, up to 50 per call). `issues` is a JSON array of objects with project_key, summary, issue_type and optionally description (Markdown), assignee, components, additional_fields (or further fields by id). Jira creates each valid issue and refuses the others: the result lists `created` and, per refused issue, its `index` and the reasons. `validate_only` checks the list without creating anything.',
  toolset: 'jira_issues',
  product: 'jira',
  write: true,
  params: {
    issues: p.str(
      'JSON array, e.g. [{"project_key":"PROJ","summary":"First","issue_type":"Task"},{"project_key":"PROJ","summary":"Second","issue_type":"Bug","components":["Frontend"]}]',
    ),
    validate_only: p.bool('Check and convert the issues without creating them'),
  },
  required: ['issues'],
  async run(args, ctx) {
    const { site, jira } = await jiraFor(ctx, args);
    const items = jsonArray(args.issues, 'issues', MAX_BATCH_ISSUES) as Json[];
    const updates: Json[] = [];
    for (const [i, item] of items.entries()) {
      const at = `issues[${i}]`;
      const projectKey = requiredText(item, 'project_key', at).toUpperCase();
      allowProject(ctx, projectKey, `${at}.project_key`);
      const { project_key: _project, additional_fields: extra, ...rest } = item;
      if (extra !== undefined && (!extra || typeof extra !== 'object' || Array.isArray(extra)))
        throw new InputError(`Invalid argument \`${at}.additional_fields\`: expected an object.`);
      const input: Json = { ...rest, ...((extra as Json | undefined) ?? {}) };
      if ('project' in input) throw new InputError(`Invalid argument \`${at}\`: give the project as project_key.`);
      input.summary = requiredText(item, 'summary', at);
      input.issuetype = requiredText(item, 'issue_type', at);
      delete input.issue_type;
      const fields = await normalizeFields(jira, input, at, ctx.signal);
      fields.project = { key: projectKey };
      updates.push({ fields });
    }
    if (args.validate_only) {
      return {
        validated: updates.length,
        created: 0,
        issues: updates.map((u, index) => ({
          index,
          project_key: ((u.fields as Json).project as Json).key,
          summary: (u.fields as Json).summary,
        })),
      };
    }
    let result: { issues: Json[]; errors: Json[] };
    try {
      result = await jira.bulkCreateIssues(updates, ctx.signal);
    } catch (err) {
      if (err instanceof AtlassianError && err.kind === 'rateLimited') {
        throw new InputError(
          `${err.message} ${noneCreated(updates.length)}. The bridge does not repeat a bulk create by itself (that could duplicate issues): wait, then call again.`,
        );
      }
      if (err instanceof AtlassianError && err.kind === 'badRequest') {
        throw new InputError(
          `${noneCreated(updates.length)}: ${err.message} Fix the issues and call again with the whole list.`,
        );
      }
      throw err;
    }
    const failed = new Map(result.errors.map((e) => [Number(e.failedElementNumber), e]));
    const createdIndexes = updates.map((_, i) => i).filter((i) => !failed.has(i));
    const created = result.issues.map((issue, n) => ({
      index: createdIndexes[n] ?? null,
      key: issue.key,
      id: issue.id,
      url: site.browseUrl(String(issue.key)),
    }));
    const errors = [...failed.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, e]) => ({
        index,
        summary: (updates[index]?.fields as Json | undefined)?.summary,
        errors: elementMessages(e),
      }));
    if (created.length === 0 && errors.length > 0) {
      throw new InputError(
        `${noneCreated(updates.length)}: ${errors.map((e) => `issues[${e.index}]: ${e.errors.join('; ')}`).join(' | ')}. Fix them and call again.`,
      );
    }
    return prune({ created, errors: errors.length > 0 ? errors : undefined });
  },
};
