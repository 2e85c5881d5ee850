// Jira attachments (toolset jira_attachments): small ones come back inline, uploads are size-capped.
import type { Json } from '../../../atlassian/jira';
import { personName, prune, shortDate } from '../../format';
import { knownMimeType } from '../../mime';
import { InputError, p } from '../../schema';
import type { ContentBlock, ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, attempt } from './shared';
import { textOf } from '../../../core/text';

/** Attachments up to this size come back inline; larger ones as metadata only. */
const INLINE_ATTACHMENT_BYTES = 1024 * 1024;

/** All inline attachments of one call together. */
const INLINE_TOTAL_BYTES = 5 * 1024 * 1024;

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const TEXT_TYPE = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-sh|sql)\b)|\+(json|xml)\b/i;

export const jiraDownloadAttachments: ToolDef = {
  name: 'jira_download_attachments',
  title: 'Download Jira attachments',
  description: `Read the files attached to a Jira issue (logs, screenshots, documents): metadata for each, and the content of files up to ${INLINE_ATTACHMENT_BYTES / 1024 / 1024} MB as embedded resources (text as text, others as base64). Larger files are listed with a note.`,
  toolset: 'jira_attachments',
  core: true,
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
      const mimeType = textOf(a.mimeType, 'application/octet-stream');
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
    const included = listed.filter((a) => a.included).length;
    const shown =
      included < listed.length
        ? `${included} of ${listed.length} attachments included; the others are listed with a note saying why`
        : undefined;
    return { blocks: [{ type: 'text', text: JSON.stringify(prune({ key, shown, attachments: listed })) }, ...blocks] };
  },
};

export const jiraUploadAttachment: ToolDef = {
  name: 'jira_upload_attachment',
  title: 'Upload Jira attachment',
  description: `Attach a file (log, report, screenshot) to a Jira issue: pass \`content\` (text) or \`content_base64\` (any file, up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB). Each call adds a new attachment, even with the same name.`,
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
    // mime_type ends up in a multipart part header: only a plain type/subtype (with parameters) may pass.
    if (
      typeof args.mime_type === 'string' &&
      args.mime_type &&
      !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\p{Cc}]*"|[\w.+-]+))*$/u.test(args.mime_type)
    )
      throw new InputError('Invalid argument `mime_type`: expected a media type such as text/plain or image/png.');
    const mimeType =
      typeof args.mime_type === 'string' && args.mime_type
        ? args.mime_type
        : (knownMimeType(filename) ?? (hasText ? 'text/plain' : 'application/octet-stream'));
    const { jira, key } = await issueFor(ctx, args);
    const added = await attempt(`Issue ${key}`, () =>
      jira.uploadAttachment(key, { filename, data, mimeType }, ctx.signal),
    );
    return {
      key,
      attachments: added.map((a) => prune({ id: a.id, filename: a.filename, mime_type: a.mimeType, size: a.size })),
    };
  },
};

/** Per image and per call: screenshots run larger than the files jira_download_attachments inlines. */
const IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TOTAL_BYTES = 10 * 1024 * 1024;

/** Jira stores what a browser sent; a screenshot pasted as octet-stream is still an image by its name. */
function imageType(a: Json): string | undefined {
  const declared = textOf(a.mimeType, '').toLowerCase();
  if (declared.startsWith('image/')) return declared;
  const guessed = knownMimeType(textOf(a.filename, ''));
  return guessed?.startsWith('image/') ? guessed : undefined;
}

export const jiraGetIssueImages: ToolDef = {
  name: 'jira_get_issue_images',
  title: 'Get Jira issue images',
  description: `Images attached to an issue (screenshots, mock-ups, diagrams) as inline image content the model can see, each up to ${IMAGE_BYTES / 1024 / 1024} MB and ${IMAGE_TOTAL_BYTES / 1024 / 1024} MB per call; larger ones are listed with a note. Other attachments: jira_download_attachments.`,
  toolset: 'jira_attachments',
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const attachments = await attempt(`Issue ${key}`, () => jira.attachments(key, ctx.signal));
    const images: Json[] = [];
    const blocks: ContentBlock[] = [];
    let budget = IMAGE_TOTAL_BYTES;
    for (const a of attachments) {
      const mimeType = imageType(a);
      if (!mimeType) continue;
      const size = typeof a.size === 'number' ? a.size : Number(a.size ?? 0);
      const entry: Json = prune({ id: a.id, filename: a.filename, mime_type: mimeType, size, included: false });
      images.push(entry);
      if (size > IMAGE_BYTES || size > budget) {
        entry.note =
          size > IMAGE_BYTES
            ? `Larger than ${IMAGE_BYTES / 1024 / 1024} MB: not included. Open it in Jira.`
            : 'Not included: this call already returned its share of images.';
        continue;
      }
      const data = await attempt(`Attachment ${String(a.id)}`, () =>
        jira.attachmentContent(a, ctx.signal, Math.min(IMAGE_BYTES, budget)),
      );
      budget -= data.byteLength;
      entry.included = true;
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      // Vision models read raster images; an SVG is text they can read as such.
      blocks.push(
        mimeType === 'image/svg+xml'
          ? {
              type: 'resource',
              resource: {
                uri: textOf(a.content, `jira-attachment:${String(a.id)}`),
                mimeType,
                text: bytes.toString('utf8'),
              },
            }
          : { type: 'image', data: bytes.toString('base64'), mimeType },
      );
    }
    const others = attachments.length - images.length;
    return {
      blocks: [
        {
          type: 'text',
          text: JSON.stringify(prune({ key, images, other_attachments: others > 0 ? others : undefined })),
        },
        ...blocks,
      ],
    };
  },
};
