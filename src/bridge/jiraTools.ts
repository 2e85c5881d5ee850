// Jira tools. Names and parameters follow sooperset/mcp-atlassian where they overlap, so prompts
// written for it keep working; outputs are compact JSON with Markdown text.
import { isAdfDoc } from '../atlassian/adf';
import { AtlassianError, errorMessagesFrom } from '../atlassian/errors';
import { withNotFound, type Json, type JiraApi } from '../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../atlassian/markdown';
import {
  ISSUE_VIEW_FIELDS,
  SEARCH_ROW_FIELDS,
  commentView,
  issueFields,
  issueView,
  personName,
  prune,
  searchRow,
  shortDate,
} from './format';
import { InputError, p } from './schema';
import { effectiveFilter, projectOfIssueKey, quoteValue, restrictQuery } from './scope';
import { decodeCursor, encodeCursor, jiraFor, type ContentBlock, type ToolContext, type ToolDef } from './tooling';

const ISSUE_KEY = p.str('Issue key, e.g. PROJ-123');
const FIELDS_HELP = 'Comma-separated field ids to return (e.g. summary,status,customfield_10016), or *all';

/** Attachments up to this size come back inline; larger ones as metadata only. */
const INLINE_ATTACHMENT_BYTES = 1024 * 1024;
/** All inline attachments of one call together. */
const INLINE_TOTAL_BYTES = 5 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const TEXT_TYPE = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-sh|sql)\b)|\+(json|xml)\b/i;
const MIME_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

// --- shared helpers ------------------------------------------------------------------------------

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : String(value).split(',')).map((s) => String(s).trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** Refuses issues outside JIRA_PROJECTS_FILTER before anything is read or written. */
/** The site, its Jira and the `issue_key` argument, once the projects filter allows that issue. */
async function issueFor(ctx: ToolContext, args: Record<string, unknown>) {
  const { site, jira } = await jiraFor(ctx, args);
  const key = String(args.issue_key).trim();
  await allowIssue(ctx, jira, key);
  return { site, jira, key };
}

async function allowIssue(ctx: ToolContext, jira: JiraApi, key: string): Promise<void> {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  let project = projectOfIssueKey(key);
  if (!project) {
    // A numeric id says nothing about its project: ask Jira.
    const issue = await jira
      .getIssue(key, { fields: ['project'], signal: ctx.signal })
      .catch((err: unknown) => Promise.reject(withNotFound(err, `Issue ${key}`)));
    project = projectOfIssueKey(String(issue.key ?? ''));
  }
  if (!project || !allowed.includes(project)) throw outsideProjects(key, allowed);
}

function allowProject(ctx: ToolContext, projectKey: string, argument: string): void {
  const allowed = ctx.config.projectsFilter;
  if (allowed && !allowed.includes(projectKey.toUpperCase())) {
    throw new InputError(
      `Invalid argument \`${argument}\`: project ${projectKey} is outside this bridge's allowed projects (${allowed.join(', ')}).`,
    );
  }
}

function versionView(v: Json): Json {
  return prune({
    id: v.id,
    name: v.name,
    description: v.description || undefined,
    released: v.released,
    archived: v.archived || undefined,
    start_date: v.startDate,
    release_date: v.releaseDate,
    overdue: v.overdue || undefined,
  });
}

function outsideProjects(key: string, allowed: readonly string[]): InputError {
  return new InputError(
    `Issue ${key} is outside this bridge's allowed projects (${allowed.join(', ')}; JIRA_PROJECTS_FILTER).`,
  );
}

async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withNotFound(err, what);
  }
}

/**
 * Text for a Jira write: Markdown becomes ADF on Cloud and wiki markup on Data Center. An ADF
 * document (object or JSON string) passes through untouched, for lossless round trips.
 */
async function richInput(jira: JiraApi, value: unknown, argument: string): Promise<unknown> {
  let adf: unknown;
  if (isAdfDoc(value)) adf = value;
  else if (typeof value === 'string' && /^\s*\{\s*"(type|version)"/.test(value)) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isAdfDoc(parsed)) adf = parsed;
    } catch {
      // Not JSON after all: treat it as Markdown.
    }
  }
  if (adf !== undefined) {
    if (!jira.cloud)
      throw new InputError(
        `Invalid argument \`${argument}\`: Jira Data Center takes Markdown or wiki text, not an ADF document.`,
      );
    return adf;
  }
  if (typeof value !== 'string') throw new InputError(`Invalid argument \`${argument}\`: expected Markdown text.`);
  return jira.cloud ? markdownToAdf(value) : markdownToWiki(value);
}

/** Account id (Cloud) or username (Data Center) for an e-mail, name, id, or "me". */
async function resolveUser(jira: JiraApi, ref: string, argument: string, signal: AbortSignal): Promise<string> {
  const value = ref.trim();
  if (/^(me|currentuser\(\)|myself)$/i.test(value)) {
    const me = await jira.myself(signal);
    return String(jira.cloud ? me.accountId : me.name);
  }
  // Cloud account ids: "5b10ac8d82e05b22cc7d4ef5" or "712020:uuid".
  if (jira.cloud && (/^[0-9a-f]{24}$/i.test(value) || /^\d+:[0-9a-f-]{36}$/i.test(value))) return value;
  const found = await jira.findUsers(value, 20, signal);
  const lower = value.toLowerCase();
  const exact = found.filter((u) =>
    [u.emailAddress, u.displayName, u.name, u.key, u.accountId].some(
      (x) => typeof x === 'string' && x.toLowerCase() === lower,
    ),
  );
  const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
  if (pick) return String(jira.cloud ? pick.accountId : pick.name);
  if (found.length === 0) throw new InputError(`Invalid argument \`${argument}\`: no Jira user matches "${value}".`);
  const options = found
    .slice(0, 8)
    .map((u) => `${String(u.displayName)} (${String(jira.cloud ? u.accountId : u.name)})`)
    .join('; ');
  throw new InputError(
    `Invalid argument \`${argument}\`: "${value}" matches several users: ${options}. Pass an account id or e-mail.`,
  );
}

const NAMED = new Set(['priority', 'resolution', 'security']);
const NAMED_LISTS = new Set(['components', 'fixVersions', 'versions']);

/** Turns friendly field values into what Jira's REST API expects. */
async function normalizeFields(jira: JiraApi, input: Json, argument: string, signal: AbortSignal): Promise<Json> {
  const out: Json = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (name === 'description' || name === 'environment')
      out[name] = value === null ? null : await richInput(jira, value, `${argument}.${name}`);
    else if (name === 'assignee' || name === 'reporter') {
      if (value === null || value === '' || (typeof value === 'string' && /^unassigned$/i.test(value)))
        out[name] = null;
      else if (typeof value === 'string') {
        const id = await resolveUser(jira, value, `${argument}.${name}`, signal);
        out[name] = jira.cloud ? { accountId: id } : { name: id };
      } else out[name] = value;
    } else if (NAMED.has(name) && typeof value === 'string')
      out[name] = /^\d+$/.test(value) ? { id: value } : { name: value };
    else if (NAMED_LISTS.has(name) && (typeof value === 'string' || Array.isArray(value))) {
      out[name] = (list(value) ?? []).map((v) =>
        typeof v === 'string' ? (/^\d+$/.test(v) ? { id: v } : { name: v }) : v,
      );
    } else if (name === 'labels' && typeof value === 'string') out[name] = list(value) ?? [];
    else if ((name === 'parent' || name === 'epicKey' || name === 'epic_link') && typeof value === 'string')
      out.parent = { key: value };
    else if (name === 'issuetype' && typeof value === 'string')
      out[name] = /^\d+$/.test(value) ? { id: value } : { name: value };
    else out[name] = value;
  }
  return out;
}

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

function jiraDate(value: string, argument: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InputError(
      `Invalid argument \`${argument}\`: expected an ISO date-time such as 2026-11-20T09:00:00Z, got "${value}".`,
    );
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const fieldCache = new Map<string, { at: number; fields: Json[] }>();

/** The site's field list, kept for ten minutes (it changes rarely and is large). */
async function allFields(jira: JiraApi, refresh: boolean, signal: AbortSignal): Promise<Json[]> {
  const key = jira.http.baseUrl;
  const hit = fieldCache.get(key);
  if (hit && !refresh && Date.now() - hit.at < 10 * 60_000) return hit.fields;
  const fields = await jira.fields(signal);
  fieldCache.set(key, { at: Date.now(), fields });
  return fields;
}

/** Ranks fields by how well their id or name matches a keyword (exact, prefix, word, substring, letters in order). */
function fieldScore(field: Json, keyword: string): number {
  const k = keyword.toLowerCase();
  let best = 0;
  for (const text of [field.name, field.id, field.key]) {
    if (typeof text !== 'string') continue;
    const t = text.toLowerCase();
    if (t === k) best = Math.max(best, 100);
    else if (t.startsWith(k)) best = Math.max(best, 80);
    else if (t.split(/[\s_-]+/).some((w) => w.startsWith(k))) best = Math.max(best, 60);
    else if (t.includes(k)) best = Math.max(best, 40);
    else {
      let i = 0;
      for (const c of t) if (c === k[i]) i++;
      if (i === k.length) best = Math.max(best, 10);
    }
  }
  return best;
}

// --- helpers of the batch, epic, remote-link, board and sprint tools ------------------------------

/** Items of bulk create per call: Jira's own limit for POST /issue/bulk. */
const MAX_BATCH_ISSUES = 50;
const MAX_BATCH_VERSIONS = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A JSON array argument (mcp-atlassian passes these as JSON text). */
function jsonArray(value: unknown, argument: string, max: number): unknown[] {
  let items: unknown = value;
  if (typeof value === 'string') {
    try {
      items = JSON.parse(value);
    } catch {
      throw new InputError(
        `Invalid argument \`${argument}\`: not valid JSON. Pass a JSON array of objects, e.g. [{"name":"…"}].`,
      );
    }
  }
  if (!Array.isArray(items))
    throw new InputError(`Invalid argument \`${argument}\`: expected a JSON array of objects.`);
  if (items.length === 0) throw new InputError(`Invalid argument \`${argument}\`: the array is empty.`);
  if (items.length > max)
    throw new InputError(
      `Invalid argument \`${argument}\`: ${items.length} items; at most ${max} per call. Split the list over several calls.`,
    );
  items.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new InputError(`Invalid argument \`${argument}[${i}]\`: expected an object.`);
  });
  return items;
}

function requiredText(item: Json, name: string, argument: string): string {
  const value = item[name];
  if (typeof value !== 'string' || !value.trim())
    throw new InputError(`Missing required argument \`${argument}.${name}\`.`);
  return value.trim();
}

/** yyyy-MM-dd, or '' to clear (when allowed). */
function day(value: unknown, argument: string, clearable = false): string | null | undefined {
  if (value === undefined) return undefined;
  if (clearable && (value === null || value === '')) return null;
  if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InputError(
      `Invalid argument \`${argument}\`: expected yyyy-MM-dd${clearable ? ' (or "" to clear)' : ''}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** An ISO 8601 date-time for the Agile API (a bare date means midnight UTC). */
function agileDate(value: unknown, argument: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new InputError(
      `Invalid argument \`${argument}\`: expected an ISO 8601 date or date-time such as 2026-11-20T09:00:00Z, got ${JSON.stringify(value)}.`,
    );
  return new Date(ms).toISOString();
}

function sprintView(s: Json): Json {
  return prune({
    id: s.id,
    name: s.name,
    state: s.state,
    start: shortDate(s.startDate),
    end: shortDate(s.endDate),
    goal: s.goal || undefined,
    board_id: s.originBoardId,
  });
}

/** With JIRA_PROJECTS_FILTER set, a board must belong to an allowed project (its location says which). */
async function allowBoard(ctx: ToolContext, jira: JiraApi, boardId: number, argument: string): Promise<void> {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  const board = await attempt(`Board ${boardId}`, () => jira.board(boardId, ctx.signal));
  const project = String((board.location as Json | undefined)?.projectKey ?? '').toUpperCase();
  if (!project || !allowed.includes(project)) {
    throw new InputError(
      `Invalid argument \`${argument}\`: board ${boardId} belongs to ${project ? `project ${project}` : 'no single project'}, outside this bridge's allowed projects (${allowed.join(', ')}).`,
    );
  }
}

async function allowSprint(ctx: ToolContext, jira: JiraApi, sprintId: number): Promise<void> {
  if (!ctx.config.projectsFilter) return;
  const sprint = await attempt(`Sprint ${sprintId}`, () => jira.sprint(sprintId, ctx.signal));
  await allowBoard(ctx, jira, Number(sprint.originBoardId), 'sprint_id');
}

/** Jira Cloud calls the epic level of the hierarchy 1 (it may be renamed); Data Center knows it by name. */
function isEpicType(type: Json | undefined): boolean {
  if (!type) return false;
  return type.hierarchyLevel === 1 || /^epic$/i.test(String(type.untranslatedName ?? type.name ?? ''));
}

/** The messages of a bulk operation's failed element (`{status, elementErrors:{errorMessages, errors}}`). */
function elementMessages(error: Json): string[] {
  const all = errorMessagesFrom(error.elementErrors);
  return all.length > 0 ? all : [`Jira refused it (${String(error.status ?? 400)}).`];
}

function noneCreated(count: number): string {
  return count === 1 ? 'Jira did not create the issue' : `Jira created none of the ${count} issues`;
}

/** A failed write of a batch: what Jira said, and whether trying the rest still makes sense. */
function batchFailure(err: unknown): { message: string; stop: boolean } {
  if (err instanceof AtlassianError) {
    const perItem = err.kind === 'badRequest' || err.kind === 'conflict' || err.kind === 'notFound';
    return { message: err.messages.length > 0 ? err.messages.join('; ') : err.message, stop: !perItem };
  }
  if (err instanceof InputError) return { message: err.message, stop: false };
  throw err;
}

// --- the tools -----------------------------------------------------------------------------------

export const jiraTools: ToolDef[] = [
  {
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
      const filter = effectiveFilter(
        ctx.config.projectsFilter,
        list(args.projects_filter),
        'project',
        'projects_filter',
      );
      const jql = restrictQuery(String(args.jql), 'project', filter, 'JQL', 'jql');
      const fields = list(args.fields);
      const page = await searchPage(jira, jql, fields ?? [...SEARCH_ROW_FIELDS], args, ctx.signal);
      // Defence in depth: nothing outside the allowed projects leaves the bridge, whatever Jira returned.
      const issues = page.issues.filter((i) => !filter || filter.includes(projectOfIssueKey(String(i.key)) ?? ''));
      return prune({
        issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
        total: page.total,
        next_page_token: page.next,
      });
    },
  },
  {
    name: 'jira_get_issue',
    title: 'Get Jira issue',
    description:
      "Get one issue: key, summary, status, type, priority, people, dates, labels, parent, links, description (Markdown) and recent comments. `fields` returns exactly those fields; `raw` returns Jira's JSON unchanged (for lossless edits).",
    toolset: 'jira_issues',
    core: true,
    product: 'jira',
    params: {
      issue_key: ISSUE_KEY,
      fields: p.str(FIELDS_HELP),
      comment_limit: p.int('Recent comments to include (default 10)', 0, 100),
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
          fields: fields ?? (args.raw ? undefined : [...ISSUE_VIEW_FIELDS]),
          expand: args.expand as string | undefined,
          signal: ctx.signal,
        }),
      );
      const allowed = ctx.config.projectsFilter;
      if (allowed && !allowed.includes(projectOfIssueKey(String(issue.key)) ?? '')) throw outsideProjects(key, allowed);
      if (args.raw) return issue;
      if (fields) return issueFields(issue, fields, jira.flavour);
      return issueView(
        issue,
        site.browseUrl(String(issue.key)),
        jira.flavour,
        (args.comment_limit as number | undefined) ?? 10,
      );
    },
  },
  {
    name: 'jira_create_issue',
    title: 'Create Jira issue',
    description:
      'Create an issue. `description` is Markdown (an ADF document also works on Cloud). additional_fields: e.g. {"priority":"High","labels":["x"],"parent":"PROJ-1","customfield_10016":5}.',
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
  },
  {
    name: 'jira_update_issue',
    title: 'Update Jira issue',
    description:
      'Update fields of an issue, e.g. {"summary":"…","description":"Markdown","labels":["a"],"priority":"High","assignee":"me"}. Replaces the values given; leaves others alone.',
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
  },
  {
    name: 'jira_get_transitions',
    title: 'Get Jira transitions',
    description: 'List the workflow transitions available for an issue now (id, name, target status).',
    toolset: 'jira_transitions',
    core: true,
    product: 'jira',
    params: { issue_key: ISSUE_KEY },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const transitions = await attempt(`Issue ${key}`, () => jira.transitions(key, ctx.signal));
      return transitions.map((t) => ({ id: t.id, name: t.name, to: (t.to as Json | undefined)?.name }));
    },
  },
  {
    name: 'jira_transition_issue',
    title: 'Transition Jira issue',
    description:
      'Move an issue through its workflow. `transition_id` takes a transition id, transition name or target status name (see jira_get_transitions).',
    toolset: 'jira_transitions',
    core: true,
    product: 'jira',
    write: true,
    destructive: true,
    params: {
      issue_key: ISSUE_KEY,
      transition_id: p.str('Transition id or name, or the target status, e.g. "In Progress"'),
      fields: p.obj('Fields the transition screen needs, e.g. {"resolution":"Done"}'),
      comment: p.str('Markdown comment to add with the transition'),
      transition: p.str(undefined, { hidden: true }),
    },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const key = String(args.issue_key).trim();
      const wanted = String(args.transition_id ?? args.transition ?? '').trim();
      if (!wanted)
        throw new InputError(
          'Missing required argument `transition_id` (a transition id or name; see jira_get_transitions).',
        );
      await allowIssue(ctx, jira, key);
      const transitions = await attempt(`Issue ${key}`, () => jira.transitions(key, ctx.signal));
      const lower = wanted.toLowerCase();
      const match =
        transitions.find((t) => String(t.id) === wanted) ??
        transitions.find((t) => String(t.name).toLowerCase() === lower) ??
        transitions.find((t) => String((t.to as Json | undefined)?.name ?? '').toLowerCase() === lower);
      if (!match) {
        const available = transitions
          .map((t) => `${String(t.id)} "${String(t.name)}" → ${String((t.to as Json | undefined)?.name ?? '?')}`)
          .join('; ');
        throw new InputError(
          `Invalid argument \`transition_id\`: "${wanted}" is not available for ${key} now. Available: ${available || 'none'}.`,
        );
      }
      const extra: { fields?: Json; update?: Json } = {};
      if (args.fields) extra.fields = await normalizeFields(jira, args.fields as Json, 'fields', ctx.signal);
      if (args.comment) extra.update = { comment: [{ add: { body: await richInput(jira, args.comment, 'comment') } }] };
      await jira.transition(key, String(match.id), extra, ctx.signal);
      return { key, transition: match.name, status: (match.to as Json | undefined)?.name };
    },
  },
  {
    name: 'jira_add_comment',
    title: 'Comment on Jira issue',
    description: 'Add a comment (Markdown) to an issue.',
    toolset: 'jira_comments',
    core: true,
    product: 'jira',
    write: true,
    params: {
      issue_key: ISSUE_KEY,
      body: p.str('Markdown'),
      visibility: p.obj('Restrict to a role or group: {"type":"role","value":"Developers"}'),
    },
    required: ['issue_key', 'body'],
    async run(args, ctx) {
      const { site, jira, key } = await issueFor(ctx, args);
      const body = await richInput(jira, args.body, 'body');
      const comment = await attempt(`Issue ${key}`, () =>
        jira.addComment(key, body, args.visibility as Json | undefined, ctx.signal),
      );
      return {
        id: comment.id,
        issue: key,
        created: shortDate(comment.created),
        url: `${site.browseUrl(key)}?focusedCommentId=${String(comment.id)}`,
      };
    },
  },
  {
    name: 'jira_assign_issue',
    title: 'Assign Jira issue',
    description:
      'Assign an issue to a user (e-mail, display name, account id or "me"); an empty assignee unassigns it.',
    toolset: 'jira_issues',
    core: true,
    product: 'jira',
    write: true,
    idempotent: true,
    params: { issue_key: ISSUE_KEY, assignee: p.str('E-mail, display name, account id, "me"; empty to unassign') },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const ref = typeof args.assignee === 'string' ? args.assignee.trim() : '';
      const user =
        ref && !/^(unassigned|none)$/i.test(ref) ? await resolveUser(jira, ref, 'assignee', ctx.signal) : null;
      await attempt(`Issue ${key}`, () => jira.assign(key, user, ctx.signal));
      return { key, assignee: user };
    },
  },
  {
    name: 'jira_add_worklog',
    title: 'Log work on Jira issue',
    description: 'Log time on an issue, e.g. time_spent "1h 30m".',
    toolset: 'jira_worklog',
    core: true,
    product: 'jira',
    write: true,
    params: {
      issue_key: ISSUE_KEY,
      time_spent: p.str('Jira duration: 3h, 1d 2h, 45m'),
      comment: p.str('Markdown'),
      started: p.str('When the work started (ISO date-time; default now)'),
      original_estimate: p.str('Set the original estimate, e.g. 2d'),
      remaining_estimate: p.str('Set the remaining estimate, e.g. 4h'),
    },
    required: ['issue_key', 'time_spent'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      if (args.original_estimate) {
        await attempt(`Issue ${key}`, () =>
          jira.editIssue(key, { timetracking: { originalEstimate: args.original_estimate } }, undefined, ctx.signal),
        );
      }
      const worklog: Json = {
        timeSpent: args.time_spent,
        started: jiraDate((args.started as string | undefined) ?? new Date().toISOString(), 'started'),
      };
      if (args.comment) worklog.comment = await richInput(jira, args.comment, 'comment');
      const query = args.remaining_estimate
        ? { adjustEstimate: 'new', newEstimate: String(args.remaining_estimate) }
        : undefined;
      const created = await attempt(`Issue ${key}`, () => jira.addWorklog(key, worklog, query, ctx.signal));
      return {
        id: created.id,
        issue: key,
        time_spent: created.timeSpent ?? args.time_spent,
        started: shortDate(created.started),
      };
    },
  },
  {
    name: 'jira_create_issue_link',
    title: 'Link Jira issues',
    description:
      'Link two issues, e.g. link_type "Blocks" with inward_issue_key blocking outward_issue_key. Types: Blocks, Relates, Duplicate, Cloners (site-specific).',
    toolset: 'jira_links',
    core: true,
    product: 'jira',
    write: true,
    params: {
      link_type: p.str('Link type name, e.g. Blocks, Relates, Duplicate'),
      inward_issue_key: ISSUE_KEY,
      outward_issue_key: ISSUE_KEY,
      comment: p.str('Markdown comment added to the link'),
    },
    required: ['link_type', 'inward_issue_key', 'outward_issue_key'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const inward = String(args.inward_issue_key).trim();
      const outward = String(args.outward_issue_key).trim();
      await allowIssue(ctx, jira, inward);
      await allowIssue(ctx, jira, outward);
      const link: Json = {
        type: { name: args.link_type },
        inwardIssue: { key: inward },
        outwardIssue: { key: outward },
      };
      if (args.comment) link.comment = { body: await richInput(jira, args.comment, 'comment') };
      await attempt(`Link type "${String(args.link_type)}" or issue ${inward}/${outward}`, () =>
        jira.linkIssues(link, ctx.signal),
      );
      return { linked: true, link_type: args.link_type, inward_issue_key: inward, outward_issue_key: outward };
    },
  },
  {
    name: 'jira_get_all_projects',
    title: 'List Jira projects',
    description: 'List the Jira projects you can see (key, name, type).',
    toolset: 'jira_projects',
    core: true,
    product: 'jira',
    params: { include_archived: p.bool('Include archived projects') },
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const allowed = ctx.config.projectsFilter;
      const projects = await jira.projects({
        includeArchived: args.include_archived as boolean | undefined,
        signal: ctx.signal,
      });
      return projects
        .filter((pr) => !allowed || allowed.includes(String(pr.key).toUpperCase()))
        .map((pr) =>
          prune({
            key: pr.key,
            name: pr.name,
            type: pr.projectTypeKey,
            archived: pr.archived === true ? true : undefined,
          }),
        );
    },
  },
  {
    name: 'jira_search_fields',
    title: 'Search Jira fields',
    description:
      'Find field ids by name, e.g. "story points" → customfield_10016. Use the ids in fields, jql and additional_fields.',
    toolset: 'jira_fields',
    core: true,
    product: 'jira',
    params: {
      keyword: p.str('Part of a field name or id; empty lists all'),
      limit: p.int('Maximum results (default 10)', 1, 200),
      refresh: p.bool('Reload the field list from Jira'),
    },
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const fields = await allFields(jira, args.refresh === true, ctx.signal);
      const keyword = String(args.keyword ?? '').trim();
      const limit = (args.limit as number | undefined) ?? 10;
      const ranked = keyword
        ? fields
            .map((f) => ({ f, s: fieldScore(f, keyword) }))
            .filter((x) => x.s > 0)
            .sort((a, b) => b.s - a.s)
            .map((x) => x.f)
        : fields;
      return ranked
        .slice(0, limit)
        .map((f) =>
          prune({
            id: f.id,
            name: f.name,
            type: (f.schema as Json | undefined)?.type,
            custom: f.custom === true ? true : undefined,
          }),
        );
    },
  },
  {
    name: 'jira_get_field_options',
    title: 'Get Jira field options',
    description:
      'Allowed values of a select-type field. On Data Center (or for system fields such as priority) pass project_key and issue_type.',
    toolset: 'jira_fields',
    core: true,
    product: 'jira',
    params: {
      field_id: p.str('Field id or name, e.g. customfield_10010 or priority'),
      project_key: p.str('Project key (uses the create screen of this project)'),
      issue_type: p.str('Issue type name or id, with project_key'),
      context_id: p.str('Custom field context id (Cloud)'),
      contains: p.str('Only values containing this text'),
      return_limit: p.int('Maximum values (default 100)', 1, 1000),
      values_only: p.bool('Return only the value strings'),
    },
    required: ['field_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      let fieldId = String(args.field_id).trim();
      if (!/^customfield_\d+$/.test(fieldId)) {
        const fields = await allFields(jira, false, ctx.signal);
        const named =
          fields.find((f) => f.id === fieldId) ??
          fields.find((f) => String(f.name).toLowerCase() === fieldId.toLowerCase());
        if (!named)
          throw new InputError(`Invalid argument \`field_id\`: no field "${fieldId}" (try jira_search_fields).`);
        fieldId = String(named.id);
      }
      let options: Json[];
      if (args.project_key && args.issue_type) {
        const projectKey = String(args.project_key).toUpperCase();
        allowProject(ctx, projectKey, 'project_key');
        let typeId = String(args.issue_type);
        if (!/^\d+$/.test(typeId)) {
          const types = await attempt(`Project ${projectKey}`, () => jira.issueTypes(projectKey, ctx.signal));
          const type = types.find((t) => String(t.name).toLowerCase() === typeId.toLowerCase());
          if (!type)
            throw new InputError(
              `Invalid argument \`issue_type\`: ${projectKey} has no issue type "${typeId}". Types: ${types.map((t) => t.name).join(', ')}.`,
            );
          typeId = String(type.id);
        }
        const meta = await attempt(`Project ${projectKey}`, () =>
          jira.createMetaFields(projectKey, typeId, ctx.signal),
        );
        const field = meta.find((f) => f.fieldId === fieldId || f.key === fieldId);
        if (!field)
          throw new InputError(
            `Invalid argument \`field_id\`: ${fieldId} is not on the create screen of ${projectKey} ${String(args.issue_type)}.`,
          );
        options = (field.allowedValues as Json[] | undefined) ?? [];
      } else if (jira.cloud) {
        let contextId = args.context_id as string | undefined;
        if (!contextId) {
          const contexts = await attempt(`Field ${fieldId}`, () => jira.fieldContexts(fieldId, ctx.signal));
          contextId = String((contexts.find((c) => c.isGlobalContext === true) ?? contexts[0])?.id ?? '');
          if (!contextId) throw new InputError(`Field ${fieldId} has no contexts; it may not be a select field.`);
        }
        options = await attempt(`Field ${fieldId}`, () => jira.fieldOptions(fieldId, contextId, ctx.signal));
      } else {
        throw new InputError(
          'Missing arguments `project_key` and `issue_type`: Jira Data Center lists field options per create screen.',
        );
      }
      const label = (o: Json) => String(o.value ?? o.name ?? o.id);
      const contains = String(args.contains ?? '').toLowerCase();
      const picked = options
        .filter((o) => !contains || label(o).toLowerCase().includes(contains))
        .slice(0, (args.return_limit as number | undefined) ?? 100);
      return args.values_only
        ? picked.map(label)
        : picked.map((o) => prune({ id: o.id, value: label(o), disabled: o.disabled === true ? true : undefined }));
    },
  },
  {
    name: 'jira_get_user_profile',
    title: 'Look up Jira user',
    description:
      'Find a user by e-mail, name, account id or "me": account id, display name, e-mail, active, time zone.',
    toolset: 'jira_users',
    core: true,
    product: 'jira',
    params: { user_identifier: p.str('E-mail, display name, account id, username (Data Center) or "me"') },
    required: ['user_identifier'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const id = await resolveUser(jira, String(args.user_identifier), 'user_identifier', ctx.signal);
      const user = await attempt(`User ${id}`, () => jira.user(id, ctx.signal));
      return prune({
        account_id: user.accountId,
        username: user.name,
        display_name: user.displayName,
        email: user.emailAddress,
        active: user.active,
        time_zone: user.timeZone,
      });
    },
  },

  // --- opt-in toolsets ---------------------------------------------------------------------------
  {
    name: 'jira_delete_issue',
    title: 'Delete Jira issue',
    description: 'Delete an issue and its subtasks. Cannot be undone.',
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
  },
  {
    name: 'jira_edit_comment',
    title: 'Edit Jira comment',
    description: 'Replace the text of a comment (Markdown).',
    toolset: 'jira_comments',
    product: 'jira',
    write: true,
    destructive: true,
    idempotent: true,
    params: { issue_key: ISSUE_KEY, comment_id: p.str(), body: p.str('Markdown') },
    required: ['issue_key', 'comment_id', 'body'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const body = await richInput(jira, args.body, 'body');
      const comment = await attempt(`Comment ${String(args.comment_id)} on ${key}`, () =>
        jira.editComment(key, String(args.comment_id), body, ctx.signal),
      );
      return commentView(comment, jira.flavour);
    },
  },
  {
    name: 'jira_get_worklog',
    title: 'Get Jira worklogs',
    description: 'Work logged on an issue.',
    toolset: 'jira_worklog',
    product: 'jira',
    params: { issue_key: ISSUE_KEY },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const worklogs = await attempt(`Issue ${key}`, () => jira.worklogs(key, ctx.signal));
      return worklogs.map((w) =>
        prune({
          id: w.id,
          author: personName(w.author),
          time_spent: w.timeSpent,
          seconds: w.timeSpentSeconds,
          started: shortDate(w.started),
        }),
      );
    },
  },
  {
    name: 'jira_get_link_types',
    title: 'Get Jira link types',
    description: 'Issue link types with their inward and outward wording.',
    toolset: 'jira_links',
    product: 'jira',
    params: { name_filter: p.str('Only types whose name contains this') },
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const filter = String(args.name_filter ?? '').toLowerCase();
      const types = await jira.linkTypes(ctx.signal);
      return types
        .filter((t) => String(t.name).toLowerCase().includes(filter))
        .map((t) => ({ id: t.id, name: t.name, inward: t.inward, outward: t.outward }));
    },
  },
  {
    name: 'jira_remove_issue_link',
    title: 'Remove Jira issue link',
    description: 'Delete an issue link by its id (see jira_get_issue with fields=issuelinks).',
    toolset: 'jira_links',
    product: 'jira',
    write: true,
    destructive: true,
    idempotent: true,
    params: { link_id: p.str() },
    required: ['link_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      if (ctx.config.projectsFilter)
        throw new InputError(
          'jira_remove_issue_link is unavailable while JIRA_PROJECTS_FILTER is set (a link id does not say which projects it joins).',
        );
      await attempt(`Issue link ${String(args.link_id)}`, () => jira.deleteLink(String(args.link_id), ctx.signal));
      return { removed: args.link_id };
    },
  },
  {
    name: 'jira_get_issue_watchers',
    title: 'Get Jira watchers',
    description: 'Who watches an issue.',
    toolset: 'jira_watchers',
    product: 'jira',
    params: { issue_key: ISSUE_KEY },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const watchers = await attempt(`Issue ${key}`, () => jira.watchers(key, ctx.signal));
      return watchers.map((w) => prune({ account_id: w.accountId, username: w.name, display_name: w.displayName }));
    },
  },
  {
    name: 'jira_add_watcher',
    title: 'Add Jira watcher',
    description: 'Make a user (e-mail, name, account id or "me") watch an issue.',
    toolset: 'jira_watchers',
    product: 'jira',
    write: true,
    idempotent: true,
    params: { issue_key: ISSUE_KEY, user_identifier: p.str('E-mail, display name, account id or "me"') },
    required: ['issue_key', 'user_identifier'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const user = await resolveUser(jira, String(args.user_identifier), 'user_identifier', ctx.signal);
      await attempt(`Issue ${key}`, () => jira.addWatcher(key, user, ctx.signal));
      return { key, watcher: user };
    },
  },
  {
    name: 'jira_remove_watcher',
    title: 'Remove Jira watcher',
    description: 'Stop a user watching an issue.',
    toolset: 'jira_watchers',
    product: 'jira',
    write: true,
    destructive: true,
    idempotent: true,
    params: {
      issue_key: ISSUE_KEY,
      user_identifier: p.str('E-mail, display name, account id or "me"'),
      account_id: p.str(undefined, { hidden: true }),
      username: p.str(undefined, { hidden: true }),
    },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const ref = String(args.user_identifier ?? args.account_id ?? args.username ?? '');
      if (!ref) throw new InputError('Missing required argument `user_identifier`.');
      const user = await resolveUser(jira, ref, 'user_identifier', ctx.signal);
      await attempt(`Issue ${key}`, () => jira.removeWatcher(key, user, ctx.signal));
      return { key, removed: user };
    },
  },
  {
    name: 'jira_download_attachments',
    title: 'Download Jira attachments',
    description: `Attachments of an issue: metadata for each, and the content of files up to ${INLINE_ATTACHMENT_BYTES / 1024 / 1024} MB as embedded resources (text as text, other files as base64 blobs). Larger files are listed with a note.`,
    toolset: 'jira_attachments',
    product: 'jira',
    params: { issue_key: ISSUE_KEY },
    required: ['issue_key'],
    async run(args, ctx) {
      const { jira, key } = await issueFor(ctx, args);
      const attachments = await attempt(`Issue ${key}`, () => jira.attachments(key, ctx.signal));
      const listed: Json[] = [];
      const blocks: ContentBlock[] = [];
      let budget = INLINE_TOTAL_BYTES;
      for (const a of attachments) {
        const size = typeof a.size === 'number' ? a.size : Number(a.size ?? 0);
        const mimeType = String(a.mimeType ?? 'application/octet-stream');
        const entry: Json = prune({
          id: a.id,
          filename: a.filename,
          mime_type: mimeType,
          size,
          created: shortDate(a.created),
          author: personName(a.author) ?? undefined,
          included: false,
        });
        listed.push(entry);
        if (size > INLINE_ATTACHMENT_BYTES) {
          entry.note = `Larger than ${INLINE_ATTACHMENT_BYTES / 1024 / 1024} MB: not included. Open it in Jira.`;
          continue;
        }
        if (size > budget) {
          entry.note = `Not included: this call already returned ${INLINE_TOTAL_BYTES / 1024 / 1024} MB of attachments.`;
          continue;
        }
        const data = await attempt(`Attachment ${String(a.id)}`, () => jira.attachmentContent(a, ctx.signal));
        budget -= data.byteLength;
        entry.included = true;
        const uri = typeof a.content === 'string' ? a.content : `jira-attachment:${String(a.id)}`;
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        blocks.push({
          type: 'resource',
          resource: TEXT_TYPE.test(mimeType)
            ? { uri, mimeType, text: bytes.toString('utf8') }
            : { uri, mimeType, blob: bytes.toString('base64') },
        });
      }
      return { blocks: [{ type: 'text', text: JSON.stringify({ key, attachments: listed }) }, ...blocks] };
    },
  },
  {
    name: 'jira_upload_attachment',
    title: 'Upload Jira attachment',
    description: `Attach a file to an issue: pass \`content\` (text) or \`content_base64\` (any file, up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB). Each call adds a new attachment, even with the same name.`,
    toolset: 'jira_attachments',
    product: 'jira',
    write: true,
    params: {
      issue_key: ISSUE_KEY,
      filename: p.str('File name shown in Jira, e.g. report.csv'),
      content: p.str('Text content (UTF-8)'),
      content_base64: p.str('File content, base64-encoded'),
      mime_type: p.str('Media type; guessed from the file name when omitted'),
    },
    required: ['issue_key', 'filename'],
    async run(args, ctx) {
      const hasText = typeof args.content === 'string';
      const hasBase64 = typeof args.content_base64 === 'string';
      if (hasText === hasBase64) throw new InputError('Pass exactly one of `content` (text) or `content_base64`.');
      let data: Buffer;
      if (hasBase64) {
        const encoded = String(args.content_base64).replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded))
          throw new InputError('Invalid argument `content_base64`: not base64.');
        data = Buffer.from(encoded, 'base64');
      } else data = Buffer.from(String(args.content), 'utf8');
      if (data.length > MAX_UPLOAD_BYTES)
        throw new InputError(
          `Invalid argument: the file is ${data.length} bytes; the limit here is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
        );
      const filename = String(args.filename).trim();
      const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
      const mimeType =
        typeof args.mime_type === 'string' && args.mime_type
          ? args.mime_type
          : (MIME_BY_EXTENSION[extension] ?? (hasText ? 'text/plain' : 'application/octet-stream'));
      const { jira, key } = await issueFor(ctx, args);
      const added = await attempt(`Issue ${key}`, () =>
        jira.uploadAttachment(key, { filename, data, mimeType }, ctx.signal),
      );
      return {
        key,
        attachments: added.map((a) => prune({ id: a.id, filename: a.filename, mime_type: a.mimeType, size: a.size })),
      };
    },
  },
  {
    name: 'jira_get_project_versions',
    title: 'Get Jira versions',
    description: 'Fix versions of a project, with release state and dates.',
    toolset: 'jira_versions',
    product: 'jira',
    params: { project_key: p.str('Project key') },
    required: ['project_key'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const key = String(args.project_key).trim().toUpperCase();
      allowProject(ctx, key, 'project_key');
      const versions = await attempt(`Project ${key}`, () => jira.versions(key, ctx.signal));
      return versions.map(versionView);
    },
  },
  {
    name: 'jira_create_version',
    title: 'Create Jira version',
    description: 'Create a fix version in a project. Dates are yyyy-MM-dd.',
    toolset: 'jira_versions',
    product: 'jira',
    write: true,
    params: {
      project_key: p.str('Project key'),
      name: p.str('Version name, e.g. 2.1'),
      description: p.str(),
      start_date: p.str('yyyy-MM-dd'),
      release_date: p.str('yyyy-MM-dd'),
    },
    required: ['project_key', 'name'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const key = String(args.project_key).trim().toUpperCase();
      allowProject(ctx, key, 'project_key');
      for (const argument of ['start_date', 'release_date']) {
        const value = args[argument];
        if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(value)))
          throw new InputError(`Invalid argument \`${argument}\`: expected yyyy-MM-dd, got ${JSON.stringify(value)}.`);
      }
      const project = await attempt(`Project ${key}`, () => jira.project(key, ctx.signal));
      const version = await jira.createVersion(
        prune({
          projectId: Number(project.id),
          name: String(args.name).trim(),
          description: args.description as string | undefined,
          startDate: args.start_date as string | undefined,
          releaseDate: args.release_date as string | undefined,
        }),
        ctx.signal,
      );
      return versionView(version);
    },
  },
  {
    name: 'jira_get_project_components',
    title: 'Get Jira components',
    description: 'Components of a project.',
    toolset: 'jira_projects',
    product: 'jira',
    params: { project_key: p.str('Project key') },
    required: ['project_key'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const key = String(args.project_key).toUpperCase();
      allowProject(ctx, key, 'project_key');
      const components = await attempt(`Project ${key}`, () => jira.components(key, ctx.signal));
      return components.map((c) => prune({ id: c.id, name: c.name, lead: personName(c.lead) ?? undefined }));
    },
  },
  {
    name: 'jira_get_agile_boards',
    title: 'Get Jira boards',
    description: 'Agile boards, by name, project or type.',
    toolset: 'jira_agile',
    product: 'jira',
    params: {
      board_name: p.str(),
      project_key: p.str(),
      board_type: p.oneOf(['scrum', 'kanban']),
      limit: p.int('Default 10', 1, 50),
      start_at: p.int(undefined, 0),
    },
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      if (args.project_key) allowProject(ctx, String(args.project_key), 'project_key');
      const page = await jira.boards(
        {
          name: args.board_name as string | undefined,
          projectKeyOrId: args.project_key as string | undefined,
          type: args.board_type as string | undefined,
          maxResults: (args.limit as number | undefined) ?? 10,
          startAt: args.start_at as number | undefined,
        },
        ctx.signal,
      );
      const allowed = ctx.config.projectsFilter;
      return ((page.values as Json[] | undefined) ?? [])
        .filter(
          (b) => !allowed || allowed.includes(String((b.location as Json | undefined)?.projectKey ?? '').toUpperCase()),
        )
        .map((b) =>
          prune({ id: b.id, name: b.name, type: b.type, project: (b.location as Json | undefined)?.projectKey }),
        );
    },
  },
  {
    name: 'jira_get_sprints_from_board',
    title: 'Get Jira sprints',
    description: 'Sprints of a board, optionally by state.',
    toolset: 'jira_agile',
    product: 'jira',
    params: {
      board_id: p.int('Board id'),
      state: p.oneOf(['active', 'future', 'closed']),
      limit: p.int('Default 10', 1, 50),
      start_at: p.int(undefined, 0),
    },
    required: ['board_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const page = await attempt(`Board ${String(args.board_id)}`, () =>
        jira.sprints(
          args.board_id as number,
          {
            state: args.state as string | undefined,
            maxResults: (args.limit as number | undefined) ?? 10,
            startAt: args.start_at as number | undefined,
          },
          ctx.signal,
        ),
      );
      return ((page.values as Json[] | undefined) ?? []).map((s) =>
        prune({
          id: s.id,
          name: s.name,
          state: s.state,
          start: shortDate(s.startDate),
          end: shortDate(s.endDate),
          goal: s.goal || undefined,
        }),
      );
    },
  },
  {
    name: 'jira_get_sprint_issues',
    title: 'Get Jira sprint issues',
    description: 'Issues in a sprint; `fields` is honoured.',
    toolset: 'jira_agile',
    product: 'jira',
    params: {
      sprint_id: p.int('Sprint id'),
      jql: p.str('Further JQL condition within the sprint'),
      fields: p.str(FIELDS_HELP),
      limit: p.int('Default 10', 1, 50),
      start_at: p.int(undefined, 0),
    },
    required: ['sprint_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const fields = list(args.fields);
      const allowed = ctx.config.projectsFilter;
      const page = await attempt(`Sprint ${String(args.sprint_id)}`, () =>
        jira.sprintIssues(
          args.sprint_id as number,
          {
            fields: fields ?? [...SEARCH_ROW_FIELDS],
            maxResults: (args.limit as number | undefined) ?? 10,
            startAt: args.start_at as number | undefined,
            jql: restrictQuery(String(args.jql ?? ''), 'project', allowed, 'JQL', 'jql') || undefined,
          },
          ctx.signal,
        ),
      );
      const issues = ((page.issues as Json[] | undefined) ?? []).filter(
        (i) => !allowed || allowed.includes(projectOfIssueKey(String(i.key)) ?? ''),
      );
      return prune({
        issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
        total: page.total,
      });
    },
  },
  {
    name: 'jira_add_issues_to_sprint',
    title: 'Add issues to Jira sprint',
    description: 'Move issues into a sprint.',
    toolset: 'jira_agile',
    product: 'jira',
    write: true,
    idempotent: true,
    params: { sprint_id: p.int('Sprint id'), issue_keys: p.str('Comma-separated issue keys') },
    required: ['sprint_id', 'issue_keys'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const keys = list(args.issue_keys) ?? [];
      for (const key of keys) await allowIssue(ctx, jira, key);
      await attempt(`Sprint ${String(args.sprint_id)}`, () =>
        jira.moveToSprint(args.sprint_id as number, keys, ctx.signal),
      );
      return { sprint_id: args.sprint_id, added: keys };
    },
  },
  {
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
  },
  {
    name: 'jira_batch_create_issues',
    title: 'Create Jira issues in bulk',
    description:
      'Create up to 50 issues in one request. `issues` is a JSON array of objects with project_key, summary, issue_type and optionally description (Markdown), assignee, components, additional_fields (or further fields by id). ' +
      'Jira creates each valid issue and refuses the others: the result lists `created` and, per refused issue, its `index` and the reasons. `validate_only` checks the list without creating anything.',
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
  },
  {
    name: 'jira_link_to_epic',
    title: 'Link Jira issue to epic',
    description:
      'Put an issue under an epic (its parent on Cloud, its Epic Link on Data Center), replacing any epic it had.',
    toolset: 'jira_links',
    product: 'jira',
    write: true,
    destructive: true,
    idempotent: true,
    params: {
      issue_key: p.str('The issue to move under the epic, e.g. PROJ-123'),
      epic_key: p.str('The epic, e.g. PROJ-456'),
    },
    required: ['issue_key', 'epic_key'],
    async run(args, ctx) {
      const { site, jira, key } = await issueFor(ctx, args);
      const epicKey = String(args.epic_key).trim();
      await allowIssue(ctx, jira, epicKey);
      if (epicKey.toUpperCase() === key.toUpperCase())
        throw new InputError('Invalid argument `epic_key`: an issue cannot be its own epic.');
      const epic = await attempt(`Epic ${epicKey}`, () =>
        jira.getIssue(epicKey, { fields: ['issuetype', 'summary'], signal: ctx.signal }),
      );
      const type = (epic.fields as Json | undefined)?.issuetype as Json | undefined;
      if (!isEpicType(type))
        throw new InputError(
          `Invalid argument \`epic_key\`: ${epicKey} is a ${String(type?.name ?? 'issue')}, not an epic.`,
        );
      if (jira.cloud)
        await attempt(`Issue ${key}`, () =>
          jira.editIssue(key, { parent: { key: String(epic.key) } }, undefined, ctx.signal),
        );
      else await attempt(`Epic ${epicKey}`, () => jira.moveToEpic(String(epic.key), [key], ctx.signal));
      return {
        key,
        epic_key: epic.key,
        epic_summary: (epic.fields as Json | undefined)?.summary,
        url: site.browseUrl(key),
      };
    },
  },
  {
    name: 'jira_create_remote_issue_link',
    title: 'Add web link to Jira issue',
    description:
      'Add a web link (remote issue link) to an issue, e.g. a pull request, document or Confluence page. Each call adds a new link.',
    toolset: 'jira_links',
    product: 'jira',
    write: true,
    params: {
      issue_key: ISSUE_KEY,
      url: p.str('The linked address, e.g. https://example.com/page'),
      title: p.str('Link text shown on the issue'),
      summary: p.str('Description of the link'),
      relationship: p.str('How it relates, e.g. "causes", "documentation"'),
      icon_url: p.str('URL of a 16x16 icon'),
    },
    required: ['issue_key', 'url', 'title'],
    async run(args, ctx) {
      const url = String(args.url).trim();
      if (!URL.canParse(url))
        throw new InputError(
          `Invalid argument \`url\`: "${url}" is not an absolute URL (include the scheme, e.g. https://).`,
        );
      const { jira, key } = await issueFor(ctx, args);
      const title = String(args.title).trim();
      const object: Json = { url, title };
      if (args.summary) object.summary = args.summary;
      if (args.icon_url) object.icon = { url16x16: args.icon_url, title };
      const link: Json = { object };
      if (args.relationship) link.relationship = args.relationship;
      const created = await attempt(`Issue ${key}`, () => jira.createRemoteLink(key, link, ctx.signal));
      return prune({ key, id: created.id, url, title, relationship: args.relationship as string | undefined });
    },
  },
  {
    name: 'jira_get_board_issues',
    title: 'Get Jira board issues',
    description:
      'Issues on an agile board, optionally narrowed by JQL; `fields` is honoured. Returns next_page_token when more exist.',
    toolset: 'jira_agile',
    product: 'jira',
    params: {
      board_id: p.int('Board id (see jira_get_agile_boards)'),
      jql: p.str('JQL condition within the board, e.g. status = "In Progress"'),
      fields: p.str(FIELDS_HELP),
      limit: p.int('Issues per page (default 10)', 1, 50),
      start_at: p.int('Offset of the first issue (prefer page_token)', 0),
      page_token: p.str('next_page_token from the previous page'),
      expand: p.str('Jira expand, e.g. changelog'),
    },
    required: ['board_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const boardId = args.board_id as number;
      await allowBoard(ctx, jira, boardId, 'board_id');
      const allowed = ctx.config.projectsFilter;
      const fields = list(args.fields);
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const startAt = (cursor?.s as number | undefined) ?? (args.start_at as number | undefined) ?? 0;
      const page = await attempt(`Board ${boardId}`, () =>
        jira.boardIssues(
          boardId,
          {
            jql: restrictQuery(String(args.jql ?? ''), 'project', allowed, 'JQL', 'jql') || undefined,
            fields: fields ?? [...SEARCH_ROW_FIELDS],
            maxResults: (args.limit as number | undefined) ?? 10,
            startAt,
            expand: args.expand as string | undefined,
          },
          ctx.signal,
        ),
      );
      const returned = (page.issues as Json[] | undefined) ?? [];
      const issues = returned.filter((i) => !allowed || allowed.includes(projectOfIssueKey(String(i.key)) ?? ''));
      const total = typeof page.total === 'number' ? page.total : undefined;
      const next = startAt + returned.length;
      return prune({
        issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
        total,
        next_page_token:
          returned.length > 0 && total !== undefined && next < total ? encodeCursor({ s: next }) : undefined,
      });
    },
  },
  {
    name: 'jira_create_sprint',
    title: 'Create Jira sprint',
    description: 'Create a future sprint on a scrum board. Dates are ISO 8601 (2026-11-20 or 2026-11-20T09:00:00Z).',
    toolset: 'jira_agile',
    product: 'jira',
    write: true,
    params: {
      board_id: p.int('Board id (see jira_get_agile_boards)'),
      name: p.str('Sprint name, e.g. "Sprint 12"'),
      start_date: p.str('Start (ISO 8601)'),
      end_date: p.str('End (ISO 8601)'),
      goal: p.str('Sprint goal'),
    },
    required: ['board_id', 'name'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const boardId = args.board_id as number;
      const startDate = agileDate(args.start_date, 'start_date');
      const endDate = agileDate(args.end_date, 'end_date');
      if (startDate && endDate && endDate < startDate)
        throw new InputError('Invalid argument `end_date`: it is before start_date.');
      await allowBoard(ctx, jira, boardId, 'board_id');
      const sprint = await attempt(`Board ${boardId}`, () =>
        jira.createSprint(
          prune({
            originBoardId: boardId,
            name: String(args.name).trim(),
            startDate,
            endDate,
            goal: args.goal as string | undefined,
          }),
          ctx.signal,
        ),
      );
      return sprintView(sprint);
    },
  },
  {
    name: 'jira_update_sprint',
    title: 'Update Jira sprint',
    description:
      'Rename a sprint, change its dates or goal, or start (state "active") or complete (state "closed") it. Only the values given change. Starting needs start and end dates.',
    toolset: 'jira_agile',
    product: 'jira',
    write: true,
    destructive: true,
    params: {
      sprint_id: p.int('Sprint id (see jira_get_sprints_from_board)'),
      name: p.str('New name'),
      state: p.oneOf(['future', 'active', 'closed'], 'New state: active starts the sprint, closed completes it'),
      start_date: p.str('New start (ISO 8601)'),
      end_date: p.str('New end (ISO 8601)'),
      goal: p.str('New goal'),
    },
    required: ['sprint_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const sprintId = args.sprint_id as number;
      const changes: Json = prune({
        name: typeof args.name === 'string' ? args.name.trim() : undefined,
        state: args.state as string | undefined,
        startDate: agileDate(args.start_date, 'start_date'),
        endDate: agileDate(args.end_date, 'end_date'),
        goal: args.goal as string | undefined,
      });
      if (Object.keys(changes).length === 0)
        throw new InputError('Missing arguments: give at least one of name, state, start_date, end_date or goal.');
      await allowSprint(ctx, jira, sprintId);
      const sprint = await attempt(`Sprint ${sprintId}`, () => jira.updateSprint(sprintId, changes, ctx.signal));
      return sprintView(sprint);
    },
  },
  {
    name: 'jira_batch_create_versions',
    title: 'Create Jira versions in bulk',
    description:
      'Create several fix versions in a project. `versions` is a JSON array of {"name","description","startDate","releaseDate"} (dates yyyy-MM-dd). ' +
      'Each is created on its own: the result lists `created` and, per refused version, its `index` and the reason.',
    toolset: 'jira_versions',
    product: 'jira',
    write: true,
    params: {
      project_key: p.str('Project key'),
      versions: p.str(
        'JSON array, e.g. [{"name":"v1.0","startDate":"2026-01-01","releaseDate":"2026-02-01","description":"First release"},{"name":"v2.0"}]',
      ),
    },
    required: ['project_key', 'versions'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const key = String(args.project_key).trim().toUpperCase();
      allowProject(ctx, key, 'project_key');
      const items = (jsonArray(args.versions, 'versions', MAX_BATCH_VERSIONS) as Json[]).map((item, i) => {
        const at = `versions[${i}]`;
        return prune({
          name: requiredText(item, 'name', at),
          description: typeof item.description === 'string' ? item.description : undefined,
          startDate: day(item.startDate ?? item.start_date, `${at}.startDate`) ?? undefined,
          releaseDate: day(item.releaseDate ?? item.release_date, `${at}.releaseDate`) ?? undefined,
        });
      });
      const project = await attempt(`Project ${key}`, () => jira.project(key, ctx.signal));
      const created: Json[] = [];
      const errors: Json[] = [];
      let stopped: string | undefined;
      for (const [index, item] of items.entries()) {
        if (stopped) {
          errors.push({ index, name: item.name, error: `Not attempted: ${stopped}` });
          continue;
        }
        try {
          created.push({
            index,
            ...versionView(await jira.createVersion({ projectId: Number(project.id), ...item }, ctx.signal)),
          });
        } catch (err) {
          const failure = batchFailure(err);
          errors.push({ index, name: item.name, error: failure.message });
          if (failure.stop) stopped = failure.message;
        }
      }
      if (created.length === 0) {
        throw new InputError(
          `No version was created in ${key}: ${errors.map((e) => `versions[${String(e.index)}] "${String(e.name)}": ${String(e.error)}`).join(' | ')}`,
        );
      }
      return prune({ project: key, created, errors: errors.length > 0 ? errors : undefined });
    },
  },
  {
    name: 'jira_update_version',
    title: 'Update Jira version',
    description:
      'Change a fix version: rename it, edit its description or dates (yyyy-MM-dd; "" clears), release or archive it. Only the values given change.',
    toolset: 'jira_versions',
    product: 'jira',
    write: true,
    destructive: true,
    idempotent: true,
    params: {
      version_id: p.str('Version id (see jira_get_project_versions)'),
      name: p.str('New name'),
      description: p.str('New description'),
      start_date: p.str('yyyy-MM-dd, or "" to clear'),
      release_date: p.str('yyyy-MM-dd, or "" to clear'),
      archived: p.bool('Archive (true) or restore (false)'),
      released: p.bool('Mark released (true) or unreleased (false)'),
    },
    required: ['version_id'],
    async run(args, ctx) {
      const { jira } = await jiraFor(ctx, args);
      const id = String(args.version_id).trim();
      if (!/^\d+$/.test(id))
        throw new InputError(
          `Invalid argument \`version_id\`: expected a numeric version id, got "${id}" (see jira_get_project_versions).`,
        );
      const changes: Json = prune({
        name: typeof args.name === 'string' ? args.name.trim() : undefined,
        description: args.description as string | undefined,
        startDate: day(args.start_date, 'start_date', true),
        releaseDate: day(args.release_date, 'release_date', true),
        archived: args.archived as boolean | undefined,
        released: args.released as boolean | undefined,
      });
      if (Object.keys(changes).length === 0)
        throw new InputError(
          'Missing arguments: give at least one of name, description, start_date, release_date, archived or released.',
        );
      if (ctx.config.projectsFilter) {
        const version = await attempt(`Version ${id}`, () => jira.version(id, ctx.signal));
        const project = await attempt(`Project ${String(version.projectId)}`, () =>
          jira.project(String(version.projectId), ctx.signal),
        );
        allowProject(ctx, String(project.key), 'version_id');
      }
      const updated = await attempt(`Version ${id}`, () => jira.updateVersion(id, changes, ctx.signal));
      return versionView(updated);
    },
  },
];
