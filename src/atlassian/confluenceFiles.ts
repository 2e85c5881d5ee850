// Confluence attachments and inline comments on both deployments. Cloud: REST v2 where it has the
// operation (list, read, delete attachments; inline comments), v1 for uploads (v2 has none). Data
// Center: its `/rest/api/content` API. Answers are reshaped into one form the tools read.
import type { ConfluenceApi, BodyRepresentation, Paged } from './confluence';
import { notOnDataCenter } from './confluenceDc';
import { AtlassianError } from './errors';
import { pathSegment } from './ids';
import type { Json } from './jira';
import { textOf } from '../core/text';

const READ = ['read:confluence-content.all', 'read:attachment:confluence'];
const WRITE = ['write:confluence-file', 'write:attachment:confluence'];
const DELETE = ['write:confluence-file', 'delete:attachment:confluence'];
const COMMENT_READ = ['read:confluence-content.all', 'read:comment:confluence'];
const COMMENT_WRITE = ['write:confluence-content', 'write:comment:confluence'];

/** One attachment, the same on Cloud and Data Center. */
export interface Attachment {
  readonly id: string;
  readonly title: string;
  readonly mediaType: string;
  readonly fileSize?: number;
  readonly comment?: string;
  readonly version?: number;
  readonly createdAt?: string;
  /** The page or blog post it belongs to. */
  readonly containerId?: string;
  /** Known without another request on Data Center (the container's space). */
  readonly spaceKey?: string;
  /** Below the Confluence base URL (`/download/attachments/…`). */
  readonly downloadPath?: string;
  readonly webui?: string;
}

export interface AttachmentQuery {
  readonly limit: number;
  readonly cursor?: string;
  readonly filename?: string;
  readonly mediaType?: string;
  readonly signal?: AbortSignal;
}

export async function listAttachments(
  c: ConfluenceApi,
  contentId: string,
  q: AttachmentQuery,
): Promise<Paged<Attachment>> {
  const id = pathSegment(contentId);
  if (c.flavour === 'datacenter') {
    const start = Number(q.cursor ?? 0);
    const body = await c.http.request<Json>({
      path: `/rest/api/content/${id}/child/attachment`,
      query: { start, limit: q.limit, filename: q.filename, mediaType: q.mediaType, expand: 'version,container' },
      scopes: READ,
      signal: q.signal,
    });
    const results = list(body).map(dcAttachment);
    const more = typeof (body._links as Json | undefined)?.next === 'string';
    return { results, cursor: more ? String(start + results.length) : undefined };
  }
  const body = await c.http.request<Json>({
    path: `/api/v2/pages/${id}/attachments`,
    query: { limit: q.limit, cursor: q.cursor, filename: q.filename, mediaType: q.mediaType },
    scopes: READ,
    signal: q.signal,
  });
  const next = (body._links as Json | undefined)?.next;
  return {
    results: list(body).map(cloudAttachment),
    cursor: typeof next === 'string' ? (new URL(next, 'http://x').searchParams.get('cursor') ?? undefined) : undefined,
  };
}

export async function getAttachment(c: ConfluenceApi, attachmentId: string, signal?: AbortSignal): Promise<Attachment> {
  const id = pathSegment(attachmentId);
  if (c.flavour === 'datacenter') {
    const body = await c.http.request<Json>({
      path: `/rest/api/content/${id}`,
      query: { expand: 'version,container.space' },
      scopes: READ,
      signal,
    });
    // Any content id answers here; only an attachment is one.
    if (body.type !== 'attachment')
      throw new AtlassianError(`Content ${attachmentId} is not an attachment.`, {
        kind: 'notFound',
        host: c.http.host,
      });
    return dcAttachment(body);
  }
  return cloudAttachment(await c.http.request<Json>({ path: `/api/v2/attachments/${id}`, scopes: READ, signal }));
}

/** The file's bytes; the caller has checked its size against its own bound. */
export function downloadAttachment(c: ConfluenceApi, a: Attachment, signal?: AbortSignal): Promise<Uint8Array> {
  if (!a.downloadPath) throw new Error(`Confluence gave no download link for attachment ${a.id}.`);
  // Cloud redirects downloads to its media host; that hop carries its own token, not ours.
  return c.http.request<Uint8Array>({
    path: a.downloadPath,
    responseType: 'bytes',
    scopes: READ,
    signal,
    followRedirectWithoutCredentials: true,
  });
}

export interface UploadFile {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly mimeType: string;
}

/**
 * Adds files to a page or blog post, or a new version of a file with the same name (v1 PUT, the
 * create-or-update operation, on both deployments). Never repeated: each upload makes a version.
 */
export async function uploadAttachments(
  c: ConfluenceApi,
  contentId: string,
  files: readonly UploadFile[],
  options: { comment?: string; minorEdit?: boolean; signal?: AbortSignal },
): Promise<Attachment[]> {
  const boundary = `----amb${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'),
    );
  for (const file of files) {
    const name = file.filename.replace(/["\r\n\\]/g, '_');
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`,
        'utf8',
      ),
      Buffer.from(file.data),
      Buffer.from('\r\n', 'utf8'),
    );
    // One comment per file, in file order, as the v1 API pairs them.
    if (options.comment !== undefined) field('comment', options.comment.replace(/[\r\n]+/g, ' '));
  }
  field('minorEdit', String(options.minorEdit ?? true));
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  const body = await c.http.request<Json>({
    method: 'PUT',
    path: `/rest/api/content/${pathSegment(contentId)}/child/attachment`,
    rawBody: { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` },
    headers: { 'X-Atlassian-Token': 'no-check' },
    scopes: WRITE,
    retryable: false,
    signal: options.signal,
  });
  return list(body).map(dcAttachment);
}

/** Moves an attachment to the trash (Cloud v2; Data Center's content delete). */
export async function deleteAttachment(c: ConfluenceApi, attachmentId: string, signal?: AbortSignal): Promise<void> {
  const id = pathSegment(attachmentId);
  const path = c.flavour === 'datacenter' ? `/rest/api/content/${id}` : `/api/v2/attachments/${id}`;
  await c.http.request({ method: 'DELETE', path, scopes: DELETE, signal });
}

/** One inline comment: its body, the text it is anchored to, and whether it was resolved. */
export interface InlineComment {
  readonly id: string;
  readonly body: Json;
  readonly selection?: string;
  readonly markerRef?: string;
  readonly resolution?: string;
  readonly authorId?: string;
  readonly createdAt?: string;
  readonly parentCommentId?: string;
}

export async function inlineComments(
  c: ConfluenceApi,
  pageId: string,
  options: { limit: number; cursor?: string; signal?: AbortSignal },
): Promise<Paged<InlineComment>> {
  const id = pathSegment(pageId);
  if (c.flavour === 'datacenter') {
    const start = Number(options.cursor ?? 0);
    const body = await c.http.request<Json>({
      path: `/rest/api/content/${id}/child/comment`,
      query: {
        location: 'inline',
        start,
        limit: options.limit,
        expand: 'body.storage,version,extensions.inlineProperties,extensions.resolution,ancestors',
      },
      scopes: COMMENT_READ,
      signal: options.signal,
    });
    const results = list(body).map((raw): InlineComment => {
      const ext = (raw.extensions as Json | undefined) ?? {};
      const inline = (ext.inlineProperties as Json | undefined) ?? {};
      const version = (raw.version as Json | undefined) ?? {};
      const by = (version.by as Json | undefined) ?? {};
      const ancestors = (raw.ancestors as Json[] | undefined) ?? [];
      return {
        id: String(raw.id),
        body: { storage: ((raw.body as Json | undefined) ?? {}).storage },
        selection: str(inline.originalSelection),
        markerRef: str(inline.markerRef),
        resolution: str(((ext.resolution as Json | undefined) ?? {}).status),
        authorId: str(by.displayName ?? by.username),
        createdAt: str(version.when),
        parentCommentId: ancestors.length ? String(ancestors[ancestors.length - 1]!.id) : undefined,
      };
    });
    const more = typeof (body._links as Json | undefined)?.next === 'string';
    return { results, cursor: more ? String(start + results.length) : undefined };
  }
  const body = await c.http.request<Json>({
    path: `/api/v2/pages/${id}/inline-comments`,
    query: { limit: options.limit, cursor: options.cursor, 'body-format': 'atlas_doc_format' },
    scopes: COMMENT_READ,
    signal: options.signal,
  });
  const next = (body._links as Json | undefined)?.next;
  return {
    results: list(body).map(cloudInlineComment),
    cursor: typeof next === 'string' ? (new URL(next, 'http://x').searchParams.get('cursor') ?? undefined) : undefined,
  };
}

/** Cloud only: Data Center's REST API has no public way to anchor a comment to a selection. */
export async function addInlineComment(
  c: ConfluenceApi,
  pageId: string,
  body: { representation: BodyRepresentation; value: string },
  anchor: { text: string; matchCount: number; matchIndex: number },
  signal?: AbortSignal,
): Promise<InlineComment> {
  if (c.flavour === 'datacenter') throw notOnDataCenter('Adding an inline comment (anchored to a text selection)');
  const created = await c.http.request<Json>({
    method: 'POST',
    path: '/api/v2/inline-comments',
    body: {
      pageId,
      body,
      inlineCommentProperties: {
        textSelection: anchor.text,
        textSelectionMatchCount: anchor.matchCount,
        textSelectionMatchIndex: anchor.matchIndex,
      },
    },
    scopes: COMMENT_WRITE,
    signal,
  });
  return cloudInlineComment(created);
}

function cloudInlineComment(raw: Json): InlineComment {
  const props = (raw.properties as Json | undefined) ?? {};
  const version = (raw.version as Json | undefined) ?? {};
  return {
    id: String(raw.id),
    body: (raw.body as Json | undefined) ?? {},
    selection: str(props.inlineOriginalSelection ?? props['inline-original-selection']),
    markerRef: str(props.inlineMarkerRef ?? props['inline-marker-ref']),
    resolution: str(raw.resolutionStatus),
    authorId: str(version.authorId),
    createdAt: str(version.createdAt),
    parentCommentId: str(raw.parentCommentId),
  };
}

function cloudAttachment(raw: Json): Attachment {
  const version = (raw.version as Json | undefined) ?? {};
  const links = (raw._links as Json | undefined) ?? {};
  return {
    id: String(raw.id),
    title: textOf(raw.title, ''),
    mediaType: textOf(raw.mediaType, 'application/octet-stream'),
    fileSize: num(raw.fileSize),
    comment: str(raw.comment),
    version: num(version.number),
    createdAt: str(raw.createdAt ?? version.createdAt),
    containerId: str(raw.pageId ?? raw.blogPostId),
    downloadPath: str(raw.downloadLink ?? links.download),
    webui: str(raw.webuiLink ?? links.webui),
  };
}

/** A v1 attachment (Data Center, and v1 upload answers on Cloud). */
function dcAttachment(raw: Json): Attachment {
  const ext = (raw.extensions as Json | undefined) ?? {};
  const meta = (raw.metadata as Json | undefined) ?? {};
  const version = (raw.version as Json | undefined) ?? {};
  const links = (raw._links as Json | undefined) ?? {};
  const container = (raw.container as Json | undefined) ?? {};
  return {
    id: String(raw.id),
    title: textOf(raw.title, ''),
    mediaType: textOf(ext.mediaType ?? meta.mediaType, 'application/octet-stream'),
    fileSize: num(ext.fileSize),
    comment: str(ext.comment ?? meta.comment),
    version: num(version.number),
    createdAt: str(version.when ?? version.createdAt),
    containerId: str(container.id),
    spaceKey: str(((container.space as Json | undefined) ?? (raw.space as Json | undefined) ?? {}).key),
    downloadPath: str(links.download),
    webui: str(links.webui),
  };
}

function list(body: Json): Json[] {
  return (body.results as Json[] | undefined) ?? [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
