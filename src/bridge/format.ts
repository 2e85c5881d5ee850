// Shapes Atlassian JSON into what a model needs: names instead of objects, Markdown instead of ADF
// or wiki markup, short dates, and nothing empty (no avatars, `self` links or expansions).
import { adfToMarkdown, isAdfDoc } from '../atlassian/adf';
import type { Flavour, Json } from '../atlassian/jira';
import { wikiToMarkdown } from '../atlassian/markdown';
import { extentText } from './listing';
import { changelogView, enrichAdf, fieldNamed, moreFields, peopleOf, renderedView, sprintView } from './issueExtras';
import { textOf } from '../core/text';
import { ISSUE_CORE_FIELDS } from '../atlassian/issueFields';

/** What jira_get_issue asks Jira for when the caller names no fields. */
export const ISSUE_VIEW_FIELDS = [...ISSUE_CORE_FIELDS, 'comment'] as const;

/** What jira_search returns per issue when the caller names no fields. */
export const SEARCH_ROW_FIELDS = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'updated'] as const;

/** ADF (Cloud) or wiki markup (Data Center) as Markdown. */
export function richText(
  value: unknown,
  flavour: Flavour,
  people: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (isAdfDoc(value)) return adfToMarkdown(enrichAdf(value, people));
  if (typeof value !== 'string') return undefined;
  if (flavour !== 'datacenter') return value;
  // `[~accountid:…]` with a name the issue knows becomes `[Name|~accountid:…]`, which reads as "@Name".
  const named = value.replace(/\[~(accountid:)?([^\]|\n]+)\]/g, (m, _a, id: string) =>
    people.has(id) ? `[${people.get(id)}|${m.slice(1, -1)}]` : m,
  );
  return wikiToMarkdown(named);
}

export function personName(user: unknown): string | null {
  if (!user || typeof user !== 'object') return null;
  const u = user as Json;
  return (
    (u.displayName as string | undefined) ??
    (u.name as string | undefined) ??
    (u.accountId as string | undefined) ??
    null
  );
}

/** `2026-11-20T09:15:00.000+0000` → `2026-11-20T09:15Z` (UTC, minutes). Dates without time stay as they are. */
export function shortDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? value : `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

const names = (v: unknown): string[] | undefined => {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v
    .map((x) => (typeof x === 'string' ? x : textOf((x as Json).name ?? (x as Json).value ?? (x as Json).key, '')))
    .filter(Boolean);
};
const nameOf = (v: unknown): string | undefined =>
  v && typeof v === 'object' ? ((v as Json).name as string | undefined) : undefined;

/** The most comments jira_get_issue shows (its comment_limit). */
export const MAX_COMMENT_LIMIT = 100;

/** The default issue view. */
export function issueView(
  issue: Json,
  browseUrl: string,
  flavour: Flavour,
  commentLimit: number,
): Record<string, unknown> {
  const f = (issue.fields as Json | undefined) ?? {};
  const fieldNames = issue.names as Json | undefined;
  const people = peopleOf(issue);
  const parent = f.parent as Json | undefined;
  // Data Center keeps the epic in the "Epic Link" custom field (what jira_link_to_epic writes); Cloud in `parent`.
  const epicField = fieldNamed(fieldNames, 'Epic Link');
  const epic = epicField ? f[epicField] : undefined;
  const view: Record<string, unknown> = {
    key: issue.key,
    url: browseUrl,
    summary: f.summary,
    status: nameOf(f.status),
    type: nameOf(f.issuetype),
    priority: nameOf(f.priority),
    assignee: personName(f.assignee),
    reporter: personName(f.reporter),
    created: shortDate(f.created),
    updated: shortDate(f.updated),
    due: f.duedate ?? undefined,
    resolution: nameOf(f.resolution),
    labels: names(f.labels),
    components: names(f.components),
    fix_versions: names(f.fixVersions),
    parent: parent
      ? `${String(parent.key)} ${textOf((parent.fields as Json | undefined)?.summary, '')}`.trim()
      : undefined,
    subtasks: Array.isArray(f.subtasks) && f.subtasks.length > 0 ? (f.subtasks as Json[]).map((s) => s.key) : undefined,
    epic: typeof epic === 'string' && epic ? epic : undefined,
    links: links(f.issuelinks),
    description: richText(f.description, flavour, people) || undefined,
  };
  const comment = f.comment as Json | undefined;
  if (comment && Array.isArray(comment.comments) && commentLimit > 0) {
    const all = comment.comments as Json[];
    const total = typeof comment.total === 'number' ? comment.total : all.length;
    const shown = all.slice(-commentLimit).map((c) => commentView(c, flavour, people));
    view.comments = shown;
    if (total > shown.length) {
      view.comments_total = total;
      view.truncated = {
        comments: extentText({
          offset: total - shown.length,
          shown: shown.length,
          total,
          noun: 'comments (the newest)',
          more:
            commentLimit < MAX_COMMENT_LIMIT
              ? `pass comment_limit (up to ${MAX_COMMENT_LIMIT})`
              : 'older ones are on the issue in Jira (url)',
        }),
      };
    }
  }
  view.changelog = changelogView(issue.changelog, personName, shortDate);
  const changes = changelogExtent(issue.changelog);
  if (changes) view.truncated = { ...(view.truncated as Json | undefined), changelog: changes };
  view.rendered = renderedView(issue.renderedFields);
  view.more_fields = moreFields(f, new Set([...ISSUE_VIEW_FIELDS, epicField ?? '']), fieldNames);
  return prune(view);
}

/** "1–1000 of 1200 changes; …" when Jira sent only part of an issue's history. */
function changelogExtent(changelog: unknown): string | undefined {
  const log = changelog as Json | undefined;
  const histories = log?.histories;
  if (!Array.isArray(histories) || typeof log?.total !== 'number' || log.total <= histories.length) return undefined;
  return extentText({
    offset: typeof log.startAt === 'number' ? log.startAt : 0,
    shown: histories.length,
    total: log.total,
    noun: 'changes',
    more: "the rest are on the issue's History tab in Jira (url)",
  });
}

/** "blocks ENG-5", "is blocked by ENG-7". */
function links(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: string[] = [];
  for (const link of value as Json[]) {
    const type = (link.type as Json | undefined) ?? {};
    const outward = link.outwardIssue as Json | undefined;
    const other = outward ?? (link.inwardIssue as Json | undefined);
    if (!other?.key) continue;
    // Some payloads carry no link type at all: say "linked to" rather than "undefined".
    const verb = (outward ? type.outward : type.inward) ?? type.name ?? 'linked to';
    out.push(`${textOf(verb)} ${textOf(other.key)}`);
  }
  return out.length > 0 ? out : undefined;
}

/** "role: Developers" — a restricted comment or worklog must not be reposted publicly. */
function visibility(value: unknown): string | undefined {
  const v = value as Json | undefined;
  if (!v || (v.value === undefined && v.identifier === undefined)) return undefined;
  return `${textOf(v.type, 'restricted')}: ${String(v.value ?? v.identifier)}`;
}

export function commentView(
  comment: Json,
  flavour: Flavour,
  people: ReadonlyMap<string, string> = new Map(),
): Record<string, unknown> {
  return prune({
    id: comment.id,
    author: personName(comment.author) ?? undefined,
    created: shortDate(comment.created),
    updated: comment.updated !== comment.created ? shortDate(comment.updated) : undefined,
    visibility: visibility(comment.visibility),
    body: richText(comment.body, flavour, people),
  });
}

export function worklogView(w: Json, flavour: Flavour): Record<string, unknown> {
  return prune({
    author: personName(w.author) ?? undefined,
    timeSpent: w.timeSpent,
    started: shortDate(w.started),
    visibility: visibility(w.visibility),
    comment: richText(w.comment, flavour) || undefined,
  });
}

/** Exactly the requested fields, each simplified; `*all` gives every non-empty field. */
export function issueFields(issue: Json, fields: readonly string[], flavour: Flavour): Record<string, unknown> {
  const f = (issue.fields as Json | undefined) ?? {};
  const out: Record<string, unknown> = { key: issue.key };
  const wanted = fields.some((x) => x === '*all' || x === '*navigable') ? Object.keys(f) : fields;
  const names = issue.names as Json | undefined;
  const labels: Record<string, string> = {};
  for (const name of wanted) {
    if (name === 'key' || name === 'id') {
      out[name] = issue[name];
      continue;
    }
    const value = simplify(f[name], flavour);
    // A named field Jira sent empty stays as null (e.g. unassigned); one it did not send is absent.
    if (value !== undefined) out[name] = value;
    else if (wanted === fields && name in f) out[name] = null;
    if (name.startsWith('customfield_') && name in out && typeof names?.[name] === 'string') labels[name] = names[name];
  }
  if (Object.keys(labels).length > 0) out.field_names = labels;
  const changelog = changelogView(issue.changelog, personName, shortDate);
  if (changelog) out.changelog = changelog;
  const changes = changelogExtent(issue.changelog);
  if (changes) out.truncated = { changelog: changes };
  const rendered = renderedView(issue.renderedFields);
  if (rendered) out.rendered = rendered;
  return out;
}

const isSprint = (v: Json): boolean =>
  typeof v.name === 'string' &&
  typeof v.state === 'string' &&
  ('goal' in v || 'startDate' in v || 'originBoardId' in v);
const SPRINT_STRING = /^com\.atlassian\.greenhopper\.service\.sprint\.Sprint@/;

/** A field value reduced to what it means: names, values, Markdown, short dates. */
export function simplify(value: unknown, flavour: Flavour): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (SPRINT_STRING.test(value)) return sprintView(value);
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? shortDate(value) : value;
  }
  if (typeof value !== 'object') return value;
  if (isAdfDoc(value)) return adfToMarkdown(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => simplify(v, flavour)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const v = value as Json;
  if (typeof v.displayName === 'string') return v.displayName;
  if (typeof v.key === 'string' && v.fields && typeof v.fields === 'object')
    return `${v.key} ${textOf((v.fields as Json).summary, '')}`.trim();
  if (Array.isArray(v.comments)) return (v.comments as Json[]).map((c) => commentView(c, flavour));
  if (Array.isArray(v.worklogs)) return worklogField(v, flavour);
  if (isSprint(v)) return sprintView(v);
  // Cascading select: parent → child.
  const child = (v.child as Json | undefined)?.value;
  if (typeof v.value === 'string' && typeof child === 'string') return `${v.value} → ${child}`;
  for (const k of ['value', 'name', 'key']) if (typeof v[k] === 'string' || typeof v[k] === 'number') return v[k];
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries(v)) {
    if (k === 'self' || k === 'avatarUrls' || k === 'iconUrl' || k === 'expand') continue;
    const s = simplify(inner, flavour);
    if (s !== undefined) out[k] = s;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An issue's embedded worklog field: Jira embeds only the first 20, so a longer list says so. */
function worklogField(v: Json, flavour: Flavour): Record<string, unknown> {
  const worklogs = (v.worklogs as Json[]).map((w) => worklogView(w, flavour));
  const total = typeof v.total === 'number' ? v.total : worklogs.length;
  const shown =
    total > worklogs.length
      ? extentText({
          offset: 0,
          shown: worklogs.length,
          total,
          noun: 'worklogs',
          more: 'jira_get_worklog lists them all',
        })
      : undefined;
  return prune({ total, shown, worklogs });
}

/** One row of a search result. */
export function searchRow(issue: Json): Record<string, unknown> {
  const f = (issue.fields as Json | undefined) ?? {};
  return prune({
    key: issue.key,
    summary: f.summary,
    status: nameOf(f.status),
    type: nameOf(f.issuetype),
    priority: nameOf(f.priority),
    assignee: personName(f.assignee),
    updated: shortDate(f.updated),
    epic: agileEpic(f.epic),
    sprint: agileSprint(f.sprint),
  });
}

/** The agile API's `epic` member: "EPIC-77 (Epic Name)" — the key is what a model can act on. */
function agileEpic(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const epic = value as Json | undefined;
  if (!epic || typeof epic.key !== 'string') return undefined;
  return typeof epic.name === 'string' && epic.name ? `${epic.key} (${epic.name})` : epic.key;
}

/** The agile API's `sprint` member: "sprint 2 (future)". */
function agileSprint(value: unknown): string | undefined {
  const sprint = value as Json | undefined;
  if (!sprint || typeof sprint.name !== 'string') return undefined;
  return typeof sprint.state === 'string' ? `${sprint.name} (${sprint.state})` : sprint.name;
}

/** Drops undefined members (null stays: "unassigned" is information). */
export function prune<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
