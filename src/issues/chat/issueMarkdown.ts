// An issue as the Markdown document chat attaches (model-facing, so English): its fields, description,
// sub-tasks, links, attachments and newest comments, each list saying how much of it is shown.
// Editor-free; the read-only document provider in src/vscode/chatContext.ts serves it.
import type { JiraApi, Json } from '../../atlassian/jira';
import { textOf } from '../../core/text';
import { richTextToMarkdown } from '../detail/richText';
import {
  DETAIL_FIELDS,
  LIMITS,
  linkedIssue,
  issueRef,
  list,
  names,
  person,
  record,
  sprintNames,
  text,
  SPRINT_FIELD,
  type IssueRef,
} from '../detail/issueDetail';

/** Newest comments the document carries; the rest are named by count. */
export const CHAT_COMMENTS = 20;
/** A longer body is cut there (chat attachments count against the model's context). */
export const MAX_BODY_CHARS = 20_000;

export interface IssueForChat {
  readonly issue: Json;
  readonly comments: readonly Json[];
  readonly commentTotal: number;
  readonly siteName: string;
  readonly url: string;
}

export async function loadIssueForChat(
  api: JiraApi,
  key: string,
  site: { readonly siteName: string; readonly siteUrl: string },
  signal?: AbortSignal,
): Promise<IssueForChat> {
  const [issue, page] = await Promise.all([
    api.getIssue(key, { fields: DETAIL_FIELDS, signal }),
    api.comments(key, { limit: CHAT_COMMENTS, signal }),
  ]);
  const issueKey = textOf(issue.key, key);
  return {
    issue,
    comments: page.comments,
    commentTotal: page.total,
    siteName: site.siteName,
    url: `${site.siteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(issueKey)}`,
  };
}

export function issueMarkdown(input: IssueForChat): string {
  const f = record(input.issue.fields);
  const key = textOf(input.issue.key, '?');
  const out: string[] = [`# ${key}: ${oneLine(text(f.summary) ?? '')}`, ''];
  const facts: [string, string | undefined][] = [
    ['Site', `${input.siteName} (${input.url})`],
    ['Type', text(record(f.issuetype).name)],
    ['Status', text(record(f.status).name)],
    ['Priority', text(record(f.priority).name)],
    ['Assignee', person(f.assignee)?.name ?? 'Unassigned'],
    ['Reporter', person(f.reporter)?.name],
    ['Created', text(f.created)],
    ['Updated', text(f.updated)],
    ['Due', text(f.duedate)],
    ['Resolution', text(record(f.resolution).name)],
    ['Labels', joined(Array.isArray(f.labels) ? f.labels.slice(0, LIMITS.labels).map(String) : [])],
    ['Components', joined(names(f.components))],
    ['Fix versions', joined(names(f.fixVersions))],
    ['Sprint', joined(sprintNames(f[SPRINT_FIELD]))],
    ['Parent', f.parent ? refLine(issueRef(record(f.parent))) : undefined],
  ];
  for (const [label, value] of facts) if (value) out.push(`- ${label}: ${oneLine(value)}`);

  out.push('', '## Description', '', bounded(richTextToMarkdown(f.description, [])) || '(none)');

  const subtasks = list(f.subtasks, LIMITS.subtasks);
  if (subtasks.length)
    section(
      out,
      'Sub-tasks',
      subtasks.map((s) => refLine(issueRef(s))),
      countOf(f.subtasks),
    );
  const links = list(f.issuelinks, LIMITS.links).flatMap(linkedIssue);
  if (links.length)
    section(
      out,
      'Links',
      links.map((l) => `${l.relation} ${refLine(l)}`),
      countOf(f.issuelinks),
    );
  const attachments = list(f.attachment, LIMITS.attachments);
  if (attachments.length)
    section(
      out,
      'Attachments',
      attachments.map((a) => `${text(a.filename) ?? textOf(a.id, '?')} (${text(a.mimeType) ?? 'unknown type'})`),
      countOf(f.attachment),
    );

  const comments = input.comments.slice(0, CHAT_COMMENTS);
  const shown =
    comments.length < input.commentTotal ? `${comments.length} of ${input.commentTotal}` : `${comments.length}`;
  out.push('', `## Comments (${shown}, newest first)`);
  if (comments.length < input.commentTotal)
    out.push('', `Older comments are not included: read them with the jira_get_issue tool (comment_limit).`);
  for (const c of comments) {
    out.push(
      '',
      `### ${person(c.author)?.name ?? 'Someone'}, ${text(c.created) ?? 'undated'}`,
      '',
      bounded(richTextToMarkdown(c.body, [])) || '(empty)',
    );
  }
  return `${out.join('\n')}\n`;
}

function section(out: string[], title: string, lines: string[], total: number): void {
  out.push('', lines.length < total ? `## ${title} (${lines.length} of ${total})` : `## ${title}`, '');
  for (const line of lines) out.push(`- ${oneLine(line)}`);
}

function refLine(ref: IssueRef): string {
  return `${ref.key} ${ref.summary}${ref.status ? ` (${ref.status})` : ''}`;
}

function countOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function joined(values: readonly string[]): string | undefined {
  return values.length ? values.join(', ') : undefined;
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Cuts a long body at a line break and says so. */
export function bounded(markdown: string, max = MAX_BODY_CHARS): string {
  const trimmed = markdown.trim();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.lastIndexOf('\n', max);
  return `${trimmed.slice(0, cut > max / 2 ? cut : max)}\n\n[… cut at ${max} of ${trimmed.length} characters]`;
}
