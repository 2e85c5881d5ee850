// Confluence attachments (toolset confluence_attachments). Files reach the model as bytes only when
// asked (`inline`, or the images tool): downloads are written below a directory the operator allows
// and come back as resource links; uploads read only from those directories.
import type { ConfluenceApi } from '../../../atlassian/confluence';
import {
  deleteAttachment,
  downloadAttachment,
  getAttachment,
  listAttachments,
  uploadAttachments,
  type Attachment,
  type UploadFile,
} from '../../../atlassian/confluenceFiles';
import { prune, shortDate } from '../../format';
import { readUpload, requireDirectory, saveDownload } from '../../files';
import { mimeTypeOf } from '../../mime';
import { InputError, p } from '../../schema';
import {
  confluenceFor,
  decodeCursor,
  encodeCursor,
  type ContentBlock,
  type ToolContext,
  type ToolDef,
} from '../../tooling';
import { allowSpace, attempt, pageIdFrom, readPage } from './shared';

/** Largest file written to disk or read for upload. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Largest file returned inline, and all inline files of one call together. */
const INLINE_BYTES = 1024 * 1024;
const INLINE_TOTAL_BYTES = 5 * 1024 * 1024;
const MAX_FILES_PER_CALL = 50;
/** All files one call writes together. */
const MAX_CALL_BYTES = 200 * 1024 * 1024;

const CONTENT_ID = p.str('Page id or page URL the attachments belong to');
const ATTACHMENT_ID = p.str('Attachment id (att…), from confluence_get_attachments');
const TEXT_TYPE = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-sh|sql)\b)|\+(json|xml)\b/i;

function summary(a: Attachment): Record<string, unknown> {
  return prune({
    id: a.id,
    filename: a.title,
    media_type: a.mediaType,
    size: a.fileSize,
    version: a.version,
    created: shortDate(a.createdAt),
    comment: a.comment,
    page_id: a.containerId,
  });
}

/** The attachment, refused when its page's space is outside CONFLUENCE_SPACES_FILTER. */
async function allowedAttachment(ctx: ToolContext, confluence: ConfluenceApi, rawId: string): Promise<Attachment> {
  const id = rawId.trim();
  if (!/^(att)?\d+$/.test(id))
    throw new InputError(
      `Invalid argument \`attachment_id\`: expected an attachment id such as att123456, got "${id}".`,
    );
  const attachment = await attempt(`Attachment ${id}`, () => getAttachment(confluence, id, ctx.signal));
  if (attachment.spaceKey !== undefined) allowSpace(ctx, attachment.spaceKey, `Attachment ${id}`);
  else if (attachment.containerId) await readPage(ctx, confluence, attachment.containerId, undefined);
  else allowSpace(ctx, undefined, `Attachment ${id}`);
  return attachment;
}

async function fetchBytes(confluence: ConfluenceApi, a: Attachment, limit: number, signal: AbortSignal) {
  if ((a.fileSize ?? 0) > limit)
    throw new InputError(`Attachment ${a.id} (${a.title}) is ${a.fileSize} bytes; the limit here is ${limit} bytes.`);
  const data = await attempt(`Attachment ${a.id}`, () => downloadAttachment(confluence, a, signal));
  // Confluence's size is a claim; the bytes received are what count.
  if (data.byteLength > limit)
    throw new InputError(`Attachment ${a.id} sent ${data.byteLength} bytes; the limit here is ${limit} bytes.`);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Saves one attachment and answers its resource link (and the entry for the JSON summary). */
async function saveOne(ctx: ToolContext, confluence: ConfluenceApi, a: Attachment) {
  const data = await fetchBytes(confluence, a, MAX_FILE_BYTES, ctx.signal);
  const saved = await saveDownload(ctx.config.attachmentDirs, `confluence-${a.containerId ?? 'files'}`, a.title, data);
  const link: ContentBlock = prune({
    type: 'resource_link',
    uri: saved.uri,
    name: a.title,
    mimeType: a.mediaType,
    size: data.byteLength,
  });
  return { entry: { ...summary(a), path: saved.path }, link };
}

export const confluenceGetAttachments: ToolDef = {
  name: 'confluence_get_attachments',
  title: 'List Confluence attachments',
  description:
    'List the files attached to a Confluence page: id, file name, media type, size, version, comment. Filter by file name or media type.',
  toolset: 'confluence_attachments',
  product: 'confluence',
  params: {
    content_id: CONTENT_ID,
    limit: p.int('Attachments per page (default 50)', 1, 100),
    start: p.int('Offset of the first attachment (Data Center); on Cloud use page_token', 0),
    page_token: p.str('next_page_token from the previous page'),
    filename: p.str('Only the attachment with this exact file name'),
    media_type: p.str('Only attachments of this media type, e.g. image/png'),
  },
  required: ['content_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.content_id), 'content_id');
    await readPage(ctx, confluence, id, undefined);
    const token = decodeCursor(args.page_token as string | undefined, 'page_token');
    let cursor = token?.c as string | undefined;
    const start = args.start as number | undefined;
    if (!cursor && start) {
      if (confluence.flavour !== 'datacenter')
        throw new InputError('Invalid argument `start`: Confluence Cloud pages by cursor; pass `page_token` instead.');
      cursor = String(start);
    }
    const page = await attempt(`Page ${id}`, () =>
      listAttachments(confluence, id, {
        limit: (args.limit as number | undefined) ?? 50,
        cursor,
        filename: args.filename as string | undefined,
        mediaType: args.media_type as string | undefined,
        signal: ctx.signal,
      }),
    );
    return prune({
      page_id: id,
      attachments: page.results.map(summary),
      next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined,
    });
  },
};

export const confluenceDownloadAttachment: ToolDef = {
  name: 'confluence_download_attachment',
  title: 'Download Confluence attachment',
  description: `Download one Confluence attachment into the operator's attachment directory (ATLASSIAN_ATTACHMENT_DIRS) and return its path as a resource link. With inline=true the content comes back in the answer instead (files up to ${INLINE_BYTES / 1024 / 1024} MB).`,
  toolset: 'confluence_attachments',
  product: 'confluence',
  params: {
    attachment_id: ATTACHMENT_ID,
    inline: p.bool('Return the content in the answer instead of saving a file (small files only)'),
  },
  required: ['attachment_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const a = await allowedAttachment(ctx, confluence, String(args.attachment_id));
    if (args.inline === true) {
      const data = await fetchBytes(confluence, a, INLINE_BYTES, ctx.signal);
      const uri = `confluence-attachment:${a.id}`;
      const resource = TEXT_TYPE.test(a.mediaType)
        ? { uri, mimeType: a.mediaType, text: data.toString('utf8') }
        : { uri, mimeType: a.mediaType, blob: data.toString('base64') };
      return {
        blocks: [
          { type: 'text', text: JSON.stringify(summary(a)) },
          { type: 'resource', resource },
        ],
      };
    }
    const { entry, link } = await saveOne(ctx, confluence, a);
    return { blocks: [{ type: 'text', text: JSON.stringify(entry) }, link] };
  },
};

export const confluenceDownloadContentAttachments: ToolDef = {
  name: 'confluence_download_content_attachments',
  title: 'Download all Confluence page attachments',
  description: `Download every attachment of a Confluence page (up to ${MAX_FILES_PER_CALL}) into the operator's attachment directory (ATLASSIAN_ATTACHMENT_DIRS); returns each file's path as a resource link.`,
  toolset: 'confluence_attachments',
  product: 'confluence',
  params: { content_id: CONTENT_ID },
  required: ['content_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.content_id), 'content_id');
    await readPage(ctx, confluence, id, undefined);
    requireDirectory(ctx.config.attachmentDirs, 'Downloading to a file');
    const listed = await attempt(`Page ${id}`, () =>
      listAttachments(confluence, id, { limit: MAX_FILES_PER_CALL, signal: ctx.signal }),
    );
    const files: Record<string, unknown>[] = [];
    const links: ContentBlock[] = [];
    let budget = MAX_CALL_BYTES;
    for (const a of listed.results) {
      if ((a.fileSize ?? 0) > budget) {
        files.push({
          ...summary(a),
          note: `Not downloaded: this call already wrote ${MAX_CALL_BYTES / 1024 / 1024} MB.`,
        });
        continue;
      }
      const { entry, link } = await saveOne(ctx, confluence, { ...a, containerId: a.containerId ?? id });
      budget -= Number(link.size ?? 0);
      files.push(entry);
      links.push(link);
    }
    const note = listed.cursor
      ? `Only the first ${MAX_FILES_PER_CALL} attachments were considered; use confluence_download_attachment for the rest.`
      : undefined;
    return { blocks: [{ type: 'text', text: JSON.stringify(prune({ page_id: id, files, note })) }, ...links] };
  },
};

export const confluenceGetPageImages: ToolDef = {
  name: 'confluence_get_page_images',
  title: 'Get Confluence page images',
  description: `Images attached to a Confluence page, returned as inline image content the model can see (each up to ${INLINE_BYTES / 1024 / 1024} MB, ${INLINE_TOTAL_BYTES / 1024 / 1024} MB per call); larger ones are listed with a note.`,
  toolset: 'confluence_attachments',
  product: 'confluence',
  params: { content_id: CONTENT_ID },
  required: ['content_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.content_id), 'content_id');
    await readPage(ctx, confluence, id, undefined);
    const listed = await attempt(`Page ${id}`, () =>
      listAttachments(confluence, id, { limit: 100, signal: ctx.signal }),
    );
    const images: Record<string, unknown>[] = [];
    const blocks: ContentBlock[] = [];
    let budget = INLINE_TOTAL_BYTES;
    for (const a of listed.results.filter((x) => x.mediaType.startsWith('image/'))) {
      const entry: Record<string, unknown> = { ...summary(a), included: false };
      images.push(entry);
      const size = a.fileSize ?? 0;
      if (size > INLINE_BYTES || size > budget) {
        entry.note =
          size > INLINE_BYTES
            ? `Larger than ${INLINE_BYTES / 1024 / 1024} MB: use confluence_download_attachment.`
            : 'Not included: this call already returned its share of images.';
        continue;
      }
      const data = await fetchBytes(confluence, a, Math.min(INLINE_BYTES, budget), ctx.signal);
      budget -= data.byteLength;
      entry.included = true;
      blocks.push({ type: 'image', data: data.toString('base64'), mimeType: a.mediaType });
    }
    return { blocks: [{ type: 'text', text: JSON.stringify({ page_id: id, images }) }, ...blocks] };
  },
};

function base64File(value: unknown, filename: unknown): UploadFile {
  if (typeof filename !== 'string' || !filename.trim())
    throw new InputError('Missing argument `filename`: content_base64 needs the file name to show in Confluence.');
  const encoded = String(value).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) throw new InputError('Invalid argument `content_base64`: not base64.');
  const data = Buffer.from(encoded, 'base64');
  if (data.length > MAX_FILE_BYTES)
    throw new InputError(`Invalid argument \`content_base64\`: the limit here is ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  return { filename: filename.trim(), data, mimeType: mimeTypeOf(filename) };
}

async function pathFile(ctx: ToolContext, filePath: string, filename?: string): Promise<UploadFile> {
  const { path, data } = await readUpload(ctx.config.attachmentDirs, filePath, MAX_FILE_BYTES);
  const name = filename?.trim() || path.split(/[\\/]/).pop()!;
  return { filename: name, data, mimeType: mimeTypeOf(name) };
}

async function upload(ctx: ToolContext, args: Record<string, unknown>, files: () => Promise<UploadFile[]>) {
  const { confluence } = await confluenceFor(ctx, args);
  const id = pageIdFrom(String(args.content_id), 'content_id');
  // The page's space is checked first, then the files are read (and refused) before anything is sent.
  await readPage(ctx, confluence, id, undefined);
  const ready = await files();
  const added = await attempt(`Page ${id}`, () =>
    uploadAttachments(confluence, id, ready, {
      comment: args.comment as string | undefined,
      minorEdit: (args.minor_edit as boolean | undefined) ?? true,
      signal: ctx.signal,
    }),
  );
  return { page_id: id, attachments: added.map(summary) };
}

const UPLOAD_COMMON = {
  content_id: p.str('Page id or page URL to attach to'),
  comment: p.str('Comment stored with the attachment version'),
  minor_edit: p.bool('Do not notify watchers (default true)'),
};

export const confluenceUploadAttachment: ToolDef = {
  name: 'confluence_upload_attachment',
  title: 'Upload Confluence attachment',
  description: `Attach a file to a Confluence page, from \`file_path\` (inside the operator's ATLASSIAN_ATTACHMENT_DIRS) or \`content_base64\` + \`filename\`. A file with the same name becomes a new version of that attachment. Up to ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
  toolset: 'confluence_attachments',
  product: 'confluence',
  write: true,
  destructive: true,
  params: {
    ...UPLOAD_COMMON,
    file_path: p.str('Path of the file, absolute or relative to the first allowed directory'),
    content_base64: p.str('File content, base64-encoded (instead of file_path)'),
    filename: p.str('File name shown in Confluence (required with content_base64)'),
  },
  required: ['content_id'],
  run: (args, ctx) =>
    upload(ctx, args, async () => {
      const hasPath = typeof args.file_path === 'string' && args.file_path !== '';
      const hasData = typeof args.content_base64 === 'string';
      if (hasPath === hasData) throw new InputError('Pass exactly one of `file_path` or `content_base64`.');
      return [
        hasPath
          ? await pathFile(ctx, String(args.file_path), args.filename as string | undefined)
          : base64File(args.content_base64, args.filename),
      ];
    }),
};

export const confluenceUploadAttachments: ToolDef = {
  name: 'confluence_upload_attachments',
  title: 'Upload Confluence attachments',
  description: `Attach several files to a Confluence page in one request, from paths inside the operator's ATLASSIAN_ATTACHMENT_DIRS (up to ${MAX_FILE_BYTES / 1024 / 1024} MB in all). Files with existing names become new versions.`,
  toolset: 'confluence_attachments',
  product: 'confluence',
  write: true,
  destructive: true,
  params: {
    ...UPLOAD_COMMON,
    file_paths: p.list('Paths of the files (absolute, or relative to the first allowed directory)'),
  },
  required: ['content_id', 'file_paths'],
  run: (args, ctx) =>
    upload(ctx, args, async () => {
      const paths = (args.file_paths as string[]).filter((x) => x.trim() !== '');
      if (paths.length === 0 || paths.length > MAX_FILES_PER_CALL)
        throw new InputError(`Invalid argument \`file_paths\`: give 1 to ${MAX_FILES_PER_CALL} paths.`);
      const files: UploadFile[] = [];
      let total = 0;
      for (const path of paths) {
        const file = await pathFile(ctx, path);
        total += file.data.byteLength;
        if (total > MAX_FILE_BYTES)
          throw new InputError(`Invalid argument \`file_paths\`: together over ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
        files.push(file);
      }
      return files;
    }),
};

export const confluenceDeleteAttachment: ToolDef = {
  name: 'confluence_delete_attachment',
  title: 'Delete Confluence attachment',
  description:
    'Delete an attachment from its Confluence page (it goes to the space trash, where a space admin can restore or purge it).',
  toolset: 'confluence_attachments',
  product: 'confluence',
  write: true,
  destructive: true,
  idempotent: true,
  params: { attachment_id: ATTACHMENT_ID },
  required: ['attachment_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const a = await allowedAttachment(ctx, confluence, String(args.attachment_id));
    await attempt(`Attachment ${a.id}`, () => deleteAttachment(confluence, a.id, ctx.signal));
    return prune({ deleted: a.id, filename: a.title, page_id: a.containerId });
  },
};
