// What the issue detail view's actions do on Jira, editor-free: transitions with the fields their
// screens require, assigning to anyone, editing summary and description (Markdown in, ADF or wiki
// out), and fetching an attachment's bytes within a hard limit.
import * as l10n from '@vscode/l10n';
import type { JiraApi, Json } from '../../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../../atlassian/markdown';
import type { Attachment } from './issueDetail';
import { textOf } from '../../core/text';

/** Images inline in the view are fetched up to this size each; larger ones stay a download. */
export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
/** Attachments opened or saved from the view. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

export interface FieldChoice {
  readonly id: string;
  readonly name: string;
}

/** A field the transition's screen asks for. */
export interface ScreenField {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  /** The choices Jira allows, for option-like fields; undefined for free text. */
  readonly allowed: readonly FieldChoice[] | undefined;
}

export interface TransitionWithFields {
  readonly id: string;
  readonly name: string;
  readonly to: string;
  /** Required fields without a default: the person must fill these in. */
  readonly required: readonly ScreenField[];
}

export async function transitionsWithFields(
  api: JiraApi,
  key: string,
  signal?: AbortSignal,
): Promise<TransitionWithFields[]> {
  const transitions = await api.transitionsWithFields(key, signal);
  return transitions.map((t) => {
    const fields = (t.fields ?? {}) as Record<string, Json>;
    const required = Object.entries(fields)
      .filter(([, f]) => f.required === true && f.hasDefaultValue !== true)
      .map(([id, f]) => ({
        id,
        name: textOf(f.name, id),
        required: true,
        allowed: Array.isArray(f.allowedValues)
          ? (f.allowedValues as Json[]).slice(0, 500).map((v) => ({
              id: String(v.id ?? v.value ?? v.name),
              name: String(v.name ?? v.value ?? v.id),
            }))
          : undefined,
      }));
    return { id: String(t.id), name: String(t.name ?? t.id), to: textOf(((t.to ?? {}) as Json).name, ''), required };
  });
}

/** The value Jira takes for a screen field: `{id}` for a choice, the text itself otherwise. */
export type FieldValue = { readonly id: string } | string;

export async function transitionWithFields(
  api: JiraApi,
  key: string,
  transitionId: string,
  values: Readonly<Record<string, FieldValue>>,
  signal?: AbortSignal,
): Promise<void> {
  const fields = Object.keys(values).length > 0 ? { fields: { ...values } } : {};
  await api.transition(key, transitionId, fields, signal);
}

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
