// The issue detail view's model: one issue read from Jira (Cloud v3 or Data Center v2) and shaped
// into plain data the webview renders. Editor-free; the panel adapter lives in src/vscode/.
import type { JiraApi, Json } from '../../atlassian/jira';
import type { ConnectionInfo } from '../../auth/connections';
import { browseUrl, toIssueSummary, type IssueSummary } from '../issue';
import { richTextToHtml, richTextToMarkdown, type AttachmentRef } from './richText';
import { textOf } from '../../core/text';
import { ISSUE_CORE_FIELDS } from '../../atlassian/issueFields';

/** Comments arrive this many at a time, newest first. */
export const COMMENT_PAGE = 20;
/** Hard limits on what one issue may bring into the view. */
export const LIMITS = { subtasks: 200, links: 200, attachments: 200, labels: 100, changelog: 1000 } as const;

export const SPRINT_FIELD = 'customfield_10020';
export const DETAIL_FIELDS: readonly string[] = [...ISSUE_CORE_FIELDS, 'attachment', 'project', SPRINT_FIELD];

export interface Person {
  readonly name: string;
  /** accountId on Cloud, user name on Data Center. */
  readonly id: string | undefined;
}

export interface IssueRef {
  readonly key: string;
  readonly summary: string;
  readonly status: string | undefined;
}

export interface LinkedIssue extends IssueRef {
  /** How this issue relates to the other, e.g. "blocks", "is blocked by". */
  readonly relation: string;
}

export interface Attachment {
  readonly id: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly size: number;
  readonly created: string | undefined;
  readonly author: string | undefined;
  /** Where Jira serves the bytes; the extension fetches them, the webview never sees it. */
  readonly content: string | undefined;
}

export interface CommentView {
  readonly id: string;
  readonly author: string;
  readonly created: string | undefined;
  readonly updated: string | undefined;
  readonly html: string;
}

export interface CommentPage {
  readonly comments: readonly CommentView[];
  readonly total: number;
  /** Offset of the next (older) page, when there is one. */
  readonly nextStartAt: number | undefined;
}

export interface IssueDetail {
  readonly connectionId: string;
  readonly siteName: string;
  readonly cloud: boolean;
  readonly key: string;
  readonly url: string;
  readonly project: string | undefined;
  readonly summary: IssueSummary;
  readonly reporter: Person | undefined;
  readonly assignee: Person | undefined;
  readonly created: string | undefined;
  readonly due: string | undefined;
  readonly resolution: string | undefined;
  readonly labels: readonly string[];
  readonly components: readonly string[];
  readonly fixVersions: readonly string[];
  readonly sprints: readonly string[];
  readonly parent: IssueRef | undefined;
  readonly subtasks: readonly IssueRef[];
  readonly links: readonly LinkedIssue[];
  readonly attachments: readonly Attachment[];
  readonly descriptionHtml: string;
  /** The description as Markdown, to edit it. */
  readonly descriptionMarkdown: string;
  readonly comments: CommentPage;
}

/** Reads the issue and its newest comments in parallel and shapes them for the view. */
export async function loadIssueDetail(
  api: JiraApi,
  connection: ConnectionInfo,
  key: string,
  signal?: AbortSignal,
): Promise<IssueDetail> {
  const [issue, comments] = await Promise.all([
    api.getIssue(key, { fields: DETAIL_FIELDS, signal }),
    api.comments(key, { limit: COMMENT_PAGE, signal }),
  ]);
  const fields = record(issue.fields);
  const attachments = list(fields.attachment, LIMITS.attachments).map(toAttachment);
  const refs = attachments as readonly AttachmentRef[];
  return {
    connectionId: connection.id,
    siteName: connection.siteName,
    cloud: api.cloud,
    key: textOf(issue.key, key),
    url: browseUrl(connection, textOf(issue.key, key)),
    project: text(record(fields.project).name),
    summary: toIssueSummary(issue),
    reporter: person(fields.reporter),
    assignee: person(fields.assignee),
    created: text(fields.created),
    due: text(fields.duedate),
    resolution: text(record(fields.resolution).name),
    labels: Array.isArray(fields.labels) ? fields.labels.slice(0, LIMITS.labels).map(String) : [],
    components: names(fields.components),
    fixVersions: names(fields.fixVersions),
    sprints: sprintNames(fields[SPRINT_FIELD]),
    parent: fields.parent ? issueRef(record(fields.parent)) : undefined,
    subtasks: list(fields.subtasks, LIMITS.subtasks).map(issueRef),
    links: list(fields.issuelinks, LIMITS.links).flatMap(linkedIssue),
    attachments,
    descriptionHtml: await richTextToHtml(fields.description, refs),
    descriptionMarkdown: richTextToMarkdown(fields.description, []),
    comments: await commentPage(comments, 0, refs),
  };
}

/** The next (older) page of comments. */
export async function loadComments(
  api: JiraApi,
  key: string,
  startAt: number,
  attachments: readonly AttachmentRef[],
  signal?: AbortSignal,
): Promise<CommentPage> {
  return commentPage(await api.comments(key, { limit: COMMENT_PAGE, startAt, signal }), startAt, attachments);
}

async function commentPage(
  page: { comments: Json[]; total: number },
  startAt: number,
  attachments: readonly AttachmentRef[],
): Promise<CommentPage> {
  const comments = await Promise.all(
    page.comments.slice(0, COMMENT_PAGE).map(async (c) => ({
      id: textOf(c.id, ''),
      author: person(c.author)?.name ?? '',
      created: text(c.created),
      updated: text(c.updated),
      html: await richTextToHtml(c.body, attachments),
    })),
  );
  const next = startAt + page.comments.length;
  return { comments, total: page.total, nextStartAt: page.comments.length > 0 && next < page.total ? next : undefined };
}

export interface ChangeEntry {
  readonly author: string;
  readonly created: string | undefined;
  readonly changes: readonly { readonly field: string; readonly from: string; readonly to: string }[];
}

/** The change history, newest first. */
export async function loadChangelog(api: JiraApi, key: string, signal?: AbortSignal): Promise<ChangeEntry[]> {
  const histories = (await api.changelog(key, signal)).slice(-LIMITS.changelog);
  return histories.reverse().map((h) => ({
    author: person(h.author)?.name ?? '',
    created: text(h.created),
    changes: list(h.items, 100).map((item) => ({
      field: textOf(item.field, ''),
      from: textOf(item.fromString ?? item.from, ''),
      // Own property only: an item without `toString` would otherwise print Object.prototype.toString.
      to: textOf(
        (Object.hasOwn(item, 'toString') ? (item as { toString?: unknown }).toString : undefined) ?? item.to,
        '',
      ),
    })),
  }));
}

function toAttachment(a: Json): Attachment {
  return {
    id: textOf(a.id, ''),
    filename: text(a.filename) ?? textOf(a.id, ''),
    mimeType: text(a.mimeType) ?? 'application/octet-stream',
    size: typeof a.size === 'number' ? a.size : 0,
    created: text(a.created),
    author: person(a.author)?.name,
    content: text(a.content),
  };
}

// The readers below are shared with the chat rendering (src/issues/chat/issueMarkdown.ts).
export function issueRef(json: Json): IssueRef {
  const fields = record(json.fields);
  return {
    key: textOf(json.key ?? json.id, '?'),
    summary: text(fields.summary) ?? '',
    status: text(record(fields.status).name),
  };
}

export function linkedIssue(link: Json): LinkedIssue[] {
  const type = record(link.type);
  if (link.outwardIssue)
    return [{ ...issueRef(record(link.outwardIssue)), relation: text(type.outward) ?? text(type.name) ?? '' }];
  if (link.inwardIssue)
    return [{ ...issueRef(record(link.inwardIssue)), relation: text(type.inward) ?? text(type.name) ?? '' }];
  return [];
}

export function person(value: unknown): Person | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Json;
  return {
    name: text(p.displayName) ?? text(p.name) ?? text(p.accountId) ?? '?',
    id: text(p.accountId) ?? text(p.name),
  };
}

export function names(value: unknown): string[] {
  return list(value, 100)
    .map((v) => text(v.name))
    .filter((n): n is string => n !== undefined);
}

/** Cloud sends sprint objects; older Data Center versions send `…Sprint@1[id=1,name=Sprint 4,…]` strings. */
export function sprintNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, 50)
    .map((s: unknown) =>
      typeof s === 'string' ? /(?:^|[[,])name=([^,\]]*)/.exec(s)?.[1] : text(record(s as Json | undefined).name),
    )
    .filter((n): n is string => !!n);
}

export function list(value: unknown, max: number): Json[] {
  return Array.isArray(value) ? (value.slice(0, max).filter((v) => v && typeof v === 'object') as Json[]) : [];
}

export function record(value: unknown): Json {
  return value && typeof value === 'object' ? (value as Json) : {};
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
