// The state and JSON shapes behind the sandbox's Confluence attachments and inline comments (see
// files.ts for the routes): per-site records, Cloud v2 and v1 attachment JSON, multipart uploads.
import type { Request, Response } from 'express';
import { context } from '../context';
import { USERS } from '../data/users';
import type { MediaHost } from './media';
import { ConfluenceError, latest, parseBody, renderBody, type ConfluenceStore, type ContentRecord } from './store';

const MAX_UPLOAD = 20 * 1024 * 1024;
export const READ = ['read:confluence-content.all', 'read:attachment:confluence', 'read:page:confluence'];
export const WRITE = ['write:confluence-file', 'write:attachment:confluence'];
export const DELETE = ['write:confluence-file', 'delete:attachment:confluence'];
export const COMMENTS = ['read:confluence-content.all', 'read:comment:confluence'];
export const COMMENT_WRITE = ['write:confluence-content', 'write:comment:confluence'];

interface AttachmentVersion {
  readonly number: number;
  readonly data: Buffer;
  readonly mediaType: string;
  readonly comment: string;
  readonly minorEdit: boolean;
  readonly authorId: string;
  readonly createdAt: number;
}

interface AttachmentRecord {
  readonly id: string;
  readonly containerId: string;
  readonly title: string;
  status: 'current' | 'trashed';
  readonly versions: AttachmentVersion[];
}

export interface InlineCommentRecord {
  readonly id: string;
  readonly pageId: string;
  readonly body: ReturnType<typeof parseBody>;
  readonly selection: string;
  readonly markerRef: string;
  readonly authorId: string;
  readonly createdAt: number;
  resolution: 'open' | 'resolved';
}

interface FilesState {
  readonly attachments: Map<string, AttachmentRecord>;
  readonly inline: Map<string, InlineCommentRecord>;
  next: number;
}

const states = new WeakMap<ConfluenceStore, FilesState>();

export function state(store: ConfluenceStore): FilesState {
  let s = states.get(store);
  if (!s) states.set(store, (s = { attachments: new Map(), inline: new Map(), next: 7_340_001 }));
  return s;
}

/** Each site's store, by site name, once a request has reached it (tests seed through it). */
export const storesBySite = new Map<string, ConfluenceStore>();

/**
 * Adds an inline comment as Confluence's editor would: Data Center has no public REST call for it,
 * so tests of reading them seed one here.
 */
export function seedInlineComment(siteName: string, pageId: string, selection: string, storage: string): string {
  const store = storesBySite.get(siteName);
  if (!store) throw new Error(`No Confluence request has reached site ${siteName} yet.`);
  const s = state(store);
  const id = String(s.next++);
  s.inline.set(id, {
    id,
    pageId,
    body: parseBody({ representation: 'storage', value: storage }),
    selection,
    markerRef: `marker-${id}`,
    authorId: USERS[1]!.accountId,
    createdAt: store.currentTime(),
    resolution: 'open',
  });
  return id;
}

export function livePage(store: ConfluenceStore, id: string): ContentRecord {
  const page = store.content(id);
  if (!page || page.status !== 'current') throw new ConfluenceError(404, `No content found with id: ${id}`);
  return page;
}

export function liveAttachment(store: ConfluenceStore, id: string): AttachmentRecord {
  const a = state(store).attachments.get(id.replace(/^att/, ''));
  if (!a || a.status !== 'current' || store.content(a.containerId)?.status !== 'current')
    throw new ConfluenceError(404, `No attachment found with id: ${id}`);
  return a;
}

const top = <T>(list: readonly T[]): T => list[list.length - 1]!;

function downloadPath(a: AttachmentRecord): string {
  const v = top(a.versions);
  return `/download/attachments/${a.containerId}/${encodeURIComponent(a.title)}?version=${v.number}&modificationDate=${v.createdAt}&api=v2`;
}

export function cloudJson(a: AttachmentRecord): Record<string, unknown> {
  const v = top(a.versions);
  const download = downloadPath(a);
  const webui = `/pages/viewpageattachments.action?pageId=${a.containerId}&preview=${encodeURIComponent(`/${a.containerId}/${a.title}`)}`;
  return {
    id: `att${a.id}`,
    status: a.status,
    title: a.title,
    createdAt: new Date(v.createdAt).toISOString(),
    pageId: a.containerId,
    mediaType: v.mediaType,
    mediaTypeDescription: v.mediaType,
    comment: v.comment,
    fileId: `f${a.id}-${v.number}`,
    fileSize: v.data.length,
    webuiLink: webui,
    downloadLink: download,
    version: {
      number: v.number,
      createdAt: new Date(v.createdAt).toISOString(),
      message: v.comment,
      minorEdit: v.minorEdit,
      authorId: v.authorId,
    },
    _links: { download, webui },
  };
}

export function v1Json(store: ConfluenceStore, a: AttachmentRecord, base: string): Record<string, unknown> {
  const v = top(a.versions);
  const page = store.content(a.containerId)!;
  const space = store.space(page.spaceId)!;
  const user = USERS.find((u) => u.accountId === v.authorId);
  return {
    id: `att${a.id}`,
    type: 'attachment',
    status: a.status,
    title: a.title,
    version: {
      by: { type: 'known', displayName: user?.displayName ?? v.authorId, accountId: v.authorId },
      when: new Date(v.createdAt).toISOString(),
      number: v.number,
      minorEdit: v.minorEdit,
      message: v.comment,
    },
    container: { id: page.id, type: page.kind, title: latest(page).title, space: { key: space.key, name: space.name } },
    metadata: { mediaType: v.mediaType, comment: v.comment },
    extensions: { mediaType: v.mediaType, fileSize: v.data.length, comment: v.comment },
    _links: { download: downloadPath(a), webui: `/pages/viewpageattachments.action?pageId=${page.id}`, base },
  };
}

export function attachmentsOf(store: ConfluenceStore, pageId: string, req: Request): AttachmentRecord[] {
  const filename = typeof req.query.filename === 'string' ? req.query.filename : undefined;
  const mediaType = typeof req.query.mediaType === 'string' ? req.query.mediaType : undefined;
  return [...state(store).attachments.values()].filter(
    (a) =>
      a.containerId === pageId &&
      a.status === 'current' &&
      (!filename || a.title === filename) &&
      (!mediaType || top(a.versions).mediaType === mediaType),
  );
}

/** Multipart fields: files (`file`) and text fields, in order. */
function multipart(body: Buffer, boundary: string) {
  const files: { filename: string; type?: string; data: Buffer }[] = [];
  const fields: { name: string; value: string }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, from);
    if (next < 0) break;
    const part = body.subarray(from + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /\bname="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(headers)?.[1];
      const data = Buffer.from(part.subarray(split + 4));
      if (name === 'file' && filename)
        files.push({ filename, type: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim(), data });
      else fields.push({ name, value: data.toString('utf8') });
    }
    start = next;
  }
  return { files, fields };
}

export async function upload(req: Request, res: Response, store: ConfluenceStore): Promise<AttachmentRecord[]> {
  if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check')
    throw new ConfluenceError(403, 'XSRF check failed');
  const page = livePage(store, String(req.params.id));
  const boundary = /^multipart\/form-data\b.*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
    String(req.headers['content-type'] ?? ''),
  );
  if (!boundary) throw new ConfluenceError(415, 'Unsupported Media Type');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD) throw new ConfluenceError(413, 'The attachment is too large.');
    chunks.push(chunk);
  }
  const { files, fields } = multipart(Buffer.concat(chunks), boundary[1] ?? boundary[2]!);
  if (files.length === 0) throw new ConfluenceError(400, 'No file was attached in a multipart field named "file".');
  const comments = fields.filter((f) => f.name === 'comment').map((f) => f.value);
  const minorEdit = fields.find((f) => f.name === 'minorEdit')?.value === 'true';
  const s = state(store);
  return files.map((file, i) => {
    // PUT is create-or-update: the same file name on the same page becomes a new version.
    let a = [...s.attachments.values()].find(
      (x) => x.containerId === page.id && x.status === 'current' && x.title === file.filename,
    );
    if (!a) {
      a = { id: String(s.next++), containerId: page.id, title: file.filename, status: 'current', versions: [] };
      s.attachments.set(a.id, a);
    }
    a.versions.push({
      number: a.versions.length + 1,
      data: file.data,
      mediaType: file.type ?? 'application/octet-stream',
      comment: comments[i] ?? '',
      minorEdit,
      authorId: context(res).user.accountId,
      createdAt: store.currentTime(),
    });
    return a;
  });
}

/** Data Center serves the bytes; Cloud redirects to its media host (`media`). */
export function download(req: Request, res: Response, store: ConfluenceStore, media?: MediaHost): void {
  const a = [...state(store).attachments.values()].find(
    (x) => x.containerId === String(req.params.pageId) && x.title === String(req.params.file) && x.status === 'current',
  );
  if (!a || store.content(a.containerId)?.status !== 'current') throw new ConfluenceError(404, 'Not Found');
  const v = top(a.versions);
  if (media) {
    const origin = new URL(context(res).confluenceBase).origin;
    res.redirect(302, media.link(origin, { data: v.data, mediaType: v.mediaType, name: a.title }));
    return;
  }
  res.status(200).type(v.mediaType).setHeader('Content-Length', String(v.data.length));
  res.end(v.data);
}

export function inlineJson(
  c: InlineCommentRecord,
  flavour: 'cloud' | 'datacenter',
  base: string,
): Record<string, unknown> {
  const when = new Date(c.createdAt).toISOString();
  if (flavour === 'cloud')
    return {
      id: c.id,
      status: 'current',
      pageId: c.pageId,
      resolutionStatus: c.resolution,
      properties: { inlineMarkerRef: c.markerRef, inlineOriginalSelection: c.selection },
      version: { number: 1, createdAt: when, authorId: c.authorId },
      body: {
        atlas_doc_format: { representation: 'atlas_doc_format', value: renderBody(c.body, 'atlas_doc_format', base) },
      },
    };
  const user = USERS.find((u) => u.accountId === c.authorId);
  return {
    id: c.id,
    type: 'comment',
    status: 'current',
    version: { by: { type: 'known', displayName: user?.displayName ?? c.authorId }, when, number: 1 },
    body: { storage: { value: renderBody(c.body, 'storage', base), representation: 'storage' } },
    extensions: {
      location: 'inline',
      inlineProperties: { originalSelection: c.selection, markerRef: c.markerRef },
      resolution: { status: c.resolution },
    },
  };
}

export function pageOf(req: Request, all: unknown[], cursorLink: (offset: number) => string) {
  const start = Number(
    req.query.start ?? (req.query.cursor ? Buffer.from(String(req.query.cursor), 'base64url').toString() : 0),
  );
  const limit = Math.min(Number(req.query.limit ?? 25), 250);
  const results = all.slice(start, start + limit);
  return { results, next: start + limit < all.length ? cursorLink(start + limit) : undefined, start, limit };
}
