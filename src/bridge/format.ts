// Shapes Atlassian JSON into what a model needs: names instead of objects, Markdown instead of ADF
// or wiki markup, short dates, and nothing empty (no avatars, `self` links or expansions).
import { adfToMarkdown, isAdfDoc } from '../atlassian/adf';
import type { Flavour, Json } from '../atlassian/jira';
import { wikiToMarkdown } from '../atlassian/markdown';

/** What jira_get_issue asks Jira for when the caller names no fields. */
export const ISSUE_VIEW_FIELDS = [
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
  'comment',
] as const;

/** What jira_search returns per issue when the caller names no fields. */
export const SEARCH_ROW_FIELDS = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'updated'] as const;

/** ADF (Cloud) or wiki markup (Data Center) as Markdown. */
export function richText(value: unknown, flavour: Flavour): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (isAdfDoc(value)) return adfToMarkdown(value);
  if (typeof value === 'string') return flavour === 'datacenter' ? wikiToMarkdown(value) : value;
  return undefined;
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
    .map((x) => (typeof x === 'string' ? x : String((x as Json).name ?? (x as Json).value ?? (x as Json).key ?? '')))
    .filter(Boolean);
};
const nameOf = (v: unknown): string | undefined =>
  v && typeof v === 'object' ? ((v as Json).name as string | undefined) : undefined;

/** The default issue view. */
export function issueView(
  issue: Json,
  browseUrl: string,
  flavour: Flavour,
  commentLimit: number,
): Record<string, unknown> {
  const f = (issue.fields as Json | undefined) ?? {};
  const parent = f.parent as Json | undefined;
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
      ? `${String(parent.key)} ${String((parent.fields as Json | undefined)?.summary ?? '')}`.trim()
      : undefined,
    subtasks: Array.isArray(f.subtasks) && f.subtasks.length > 0 ? (f.subtasks as Json[]).map((s) => s.key) : undefined,
    links: links(f.issuelinks),
    description: richText(f.description, flavour) || undefined,
  };
  const comment = f.comment as Json | undefined;
  if (comment && Array.isArray(comment.comments) && commentLimit > 0) {
    const all = comment.comments as Json[];
    const total = typeof comment.total === 'number' ? comment.total : all.length;
    view.comments = all.slice(-commentLimit).map((c) => commentView(c, flavour));
    if (total > commentLimit) view.comments_total = total;
  }
  return prune(view);
}

/** "blocks ENG-5", "is blocked by ENG-7". */
function links(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return (value as Json[]).map((link) => {
    const type = (link.type as Json | undefined) ?? {};
    if (link.outwardIssue) return `${String(type.outward ?? type.name)} ${String((link.outwardIssue as Json).key)}`;
    return `${String(type.inward ?? type.name)} ${String((link.inwardIssue as Json | undefined)?.key)}`;
  });
}

export function commentView(comment: Json, flavour: Flavour): Record<string, unknown> {
  return prune({
    id: comment.id,
    author: personName(comment.author),
    created: shortDate(comment.created),
    updated: comment.updated !== comment.created ? shortDate(comment.updated) : undefined,
    body: richText(comment.body, flavour),
  });
}

/** Exactly the requested fields, each simplified; `*all` gives every non-empty field. */
export function issueFields(issue: Json, fields: readonly string[], flavour: Flavour): Record<string, unknown> {
  const f = (issue.fields as Json | undefined) ?? {};
  const out: Record<string, unknown> = { key: issue.key };
  const wanted = fields.some((x) => x === '*all' || x === '*navigable') ? Object.keys(f) : fields;
  for (const name of wanted) {
    if (name === 'key' || name === 'id') {
      out[name] = issue[name];
      continue;
    }
    const value = simplify(f[name], flavour);
    // Named fields stay even when empty, so the caller sees them; `*all` leaves out the empty ones.
    if (value !== undefined || wanted === fields) out[name] = value ?? null;
  }
  return out;
}

/** A field value reduced to what it means: names, values, Markdown, short dates. */
export function simplify(value: unknown, flavour: Flavour): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? shortDate(value) : value;
  if (typeof value !== 'object') return value;
  if (isAdfDoc(value)) return adfToMarkdown(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => simplify(v, flavour)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const v = value as Json;
  if (typeof v.displayName === 'string') return v.displayName;
  if (typeof v.key === 'string' && v.fields && typeof v.fields === 'object')
    return `${v.key} ${String((v.fields as Json).summary ?? '')}`.trim();
  if (Array.isArray(v.comments)) return (v.comments as Json[]).map((c) => commentView(c, flavour));
  if (Array.isArray(v.worklogs))
    return {
      total: v.total,
      worklogs: (v.worklogs as Json[]).map((w) => ({
        author: personName(w.author),
        timeSpent: w.timeSpent,
        started: shortDate(w.started),
      })),
    };
  for (const k of ['value', 'name', 'key']) if (typeof v[k] === 'string' || typeof v[k] === 'number') return v[k];
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries(v)) {
    if (k === 'self' || k === 'avatarUrls' || k === 'iconUrl' || k === 'expand') continue;
    const s = simplify(inner, flavour);
    if (s !== undefined) out[k] = s;
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
  });
}

/** Drops undefined members (null stays: "unassigned" is information). */
export function prune<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
