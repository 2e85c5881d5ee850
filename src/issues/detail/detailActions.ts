// What the issue detail view's actions do on Jira, editor-free: assigning to anyone, editing summary
// and description (Markdown in, ADF or wiki out), and fetching an attachment's bytes within a hard
// limit. Transitions with the fields their screens require are in ../transitions.
import * as l10n from '@vscode/l10n';
import type { JiraApi } from '../../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../../atlassian/markdown';
import type { Attachment } from './issueDetail';
import { textOf } from '../../core/text';

/** Images inline in the view are fetched up to this size each; larger ones stay a download. */
export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
/** Attachments opened or saved from the view. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

export async function editSummary(api: JiraApi, key: string, summary: string, signal?: AbortSignal): Promise<void> {
  await api.editIssue(key, { summary: summary.trim() }, undefined, signal);
}

export async function editDescription(
  api: JiraApi,
  key: string,
  markdown: string,
  signal?: AbortSignal,
): Promise<void> {
  const description = markdown.trim()
    ? api.cloud
      ? await markdownToAdf(markdown)
      : await markdownToWiki(markdown)
    : null;
  await api.editIssue(key, { description }, undefined, signal);
}

export interface UserChoice {
  /** accountId on Cloud, user name on Data Center: what the assign call takes. */
  readonly id: string;
  readonly name: string;
  readonly detail: string | undefined;
}

export async function findUsers(api: JiraApi, query: string, signal?: AbortSignal): Promise<UserChoice[]> {
  const users = await api.findUsers(query, 20, signal);
  return users
    .filter((u) => u.active !== false)
    .map((u) => ({
      id: textOf(api.cloud ? u.accountId : u.name, ''),
      name: textOf(u.displayName ?? u.name ?? u.accountId, ''),
      detail: typeof u.emailAddress === 'string' ? u.emailAddress : undefined,
    }))
    .filter((u) => u.id);
}

/** An attachment's bytes, refused above `limit` (Jira reports the size up front). */
export async function attachmentBytes(
  api: JiraApi,
  attachment: Attachment,
  limit = MAX_ATTACHMENT_BYTES,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (attachment.size > limit)
    throw new Error(
      l10n.t(
        '{0} is {1} MB; attachments over {2} MB open only in the browser.',
        attachment.filename,
        (attachment.size / 1048576).toFixed(1),
        Math.round(limit / 1048576),
      ),
    );
  const bytes = await api.attachmentContent(
    { id: attachment.id, ...(attachment.content ? { content: attachment.content } : {}) },
    signal,
    // One byte over the limit is enough to know it is too large, without reading the rest.
    limit + 1,
  );
  if (bytes.byteLength > limit)
    throw new Error(l10n.t('{0} is larger than Jira said; it was not opened.', attachment.filename));
  return bytes;
}

/** A data: URI for an inline image (the webview may load nothing else). */
export function imageDataUri(attachment: Attachment, bytes: Uint8Array): string | undefined {
  if (!/^image\/(png|jpeg|gif|webp|bmp)$/i.test(attachment.mimeType)) return undefined;
  return `data:${attachment.mimeType.toLowerCase()};base64,${Buffer.from(bytes).toString('base64')}`;
}
