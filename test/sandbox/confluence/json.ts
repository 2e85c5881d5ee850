// Confluence v2 response shapes (SpaceBulk, PageBulk/PageSingle, BlogPost, ChildPage, comments…),
// following the official OpenAPI spec's field names and order.
import {
  latest,
  renderBody,
  webuiPath,
  type CommentRecord,
  type ConfluenceStore,
  type ContentRecord,
  type LabelRecord,
  type ReadRepresentation,
  type SpaceRecord,
  type StoredBody,
  type VersionRecord,
} from './store';
import { escapeXml } from './xhtml';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Confluence's tiny links: the id's little-endian bytes in URL-safe base64, trailing padding dropped. */
export function tinyId(id: string): string {
  let n = BigInt(id);
  const bytes: number[] = [];
  do {
    bytes.push(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  while (bytes.length < 4) bytes.push(0);
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/=+$/, '')
    .replace(/A+$/, '')
    .replace(/\//g, '-')
    .replace(/\+/g, '_');
}

export function versionJson(version: VersionRecord): Record<string, unknown> {
  return {
    createdAt: iso(version.createdAt),
    message: version.message,
    number: version.number,
    minorEdit: version.minorEdit,
    authorId: version.authorId,
  };
}

export function bodyJson(
  body: StoredBody,
  format: ReadRepresentation | null,
  wikiBase: string,
): Record<string, unknown> {
  if (format === null) return {};
  return { [format]: { representation: format, value: renderBody(body, format, wikiBase) } };
}

export function labelJson(label: LabelRecord): Record<string, unknown> {
  return { id: label.id, name: label.name, prefix: label.prefix };
}

export function spaceJson(
  space: SpaceRecord,
  options: { descriptionFormat: 'plain' | 'view' | null; includeIcon: boolean },
): Record<string, unknown> {
  const description =
    options.descriptionFormat === null
      ? null
      : options.descriptionFormat === 'plain'
        ? { plain: { representation: 'plain', value: space.description } }
        : { view: { representation: 'view', value: `<p>${escapeXml(space.description)}</p>` } };
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    createdAt: iso(space.createdAt),
    homepageId: space.homepageId,
    description,
    icon: options.includeIcon
      ? {
          path: '/wiki/aa-avatar/default-space-icon.png',
          apiDownloadLink: `/download/attachments/${space.id}/space-icon.png`,
        }
      : null,
    currentActiveAlias: space.key,
    _links: { webui: `/spaces/${space.key}` },
  };
}

export interface ContentJsonOptions {
  readonly format: ReadRepresentation | null;
  readonly wikiBase: string;
  /** Which version to show; defaults to the latest. */
  readonly version?: VersionRecord;
  readonly includeVersion?: boolean;
  readonly single?: boolean;
}

function contentLinks(
  store: ConfluenceStore,
  content: ContentRecord,
  title: string,
  options: ContentJsonOptions,
): Record<string, string> {
  const space = store.space(content.spaceId)!;
  const webui =
    content.kind === 'page'
      ? webuiPath(space.key, content.id, title)
      : `/spaces/${space.key}/blog/${iso(content.createdAt).slice(0, 10).replace(/-/g, '/')}/${content.id}/${encodeURIComponent(title).replace(/%20/g, '+')}`;
  return {
    editui: `/pages/resumedraft.action?draftId=${content.id}`,
    webui,
    edituiv2: `/spaces/${space.key}/${content.kind === 'page' ? 'pages' : 'blog'}/edit-v2/${content.id}`,
    tinyui: `/x/${tinyId(content.id)}`,
    ...(options.single ? { base: options.wikiBase } : {}),
  };
}

/** PageBulk / PageSingle. */
export function pageJson(
  store: ConfluenceStore,
  page: ContentRecord,
  options: ContentJsonOptions,
): Record<string, unknown> {
  const version = options.version ?? latest(page);
  return {
    id: page.id,
    status: page.status,
    title: version.title,
    spaceId: page.spaceId,
    parentId: page.parentId,
    parentType: page.parentId === null ? null : 'page',
    position: page.position,
    authorId: page.authorId,
    ownerId: page.ownerId,
    lastOwnerId: null,
    createdAt: iso(page.createdAt),
    ...(options.includeVersion === false ? {} : { version: versionJson(version) }),
    body: bodyJson(version.body, options.format, options.wikiBase),
    _links: contentLinks(store, page, version.title, options),
  };
}

/** BlogPostBulk / BlogPostSingle. */
export function blogPostJson(
  store: ConfluenceStore,
  post: ContentRecord,
  options: ContentJsonOptions,
): Record<string, unknown> {
  const version = options.version ?? latest(post);
  return {
    id: post.id,
    status: post.status,
    title: version.title,
    spaceId: post.spaceId,
    authorId: post.authorId,
    createdAt: iso(post.createdAt),
    ...(options.includeVersion === false ? {} : { version: versionJson(version) }),
    body: bodyJson(version.body, options.format, options.wikiBase),
    _links: contentLinks(store, post, version.title, options),
  };
}

/** ChildPage (`/children`) or ChildrenResponse (`/direct-children`, which adds `type`). */
export function childJson(page: ContentRecord, withType: boolean): Record<string, unknown> {
  return {
    id: page.id,
    status: page.status,
    title: latest(page).title,
    ...(withType ? { type: 'page' } : {}),
    spaceId: page.spaceId,
    childPosition: page.position,
  };
}

/** DetailedVersion (`/pages/{id}/versions/{n}`). */
export function detailedVersionJson(
  versions: readonly VersionRecord[],
  version: VersionRecord,
): Record<string, unknown> {
  const index = versions.indexOf(version);
  return {
    number: version.number,
    authorId: version.authorId,
    message: version.message,
    createdAt: iso(version.createdAt),
    minorEdit: version.minorEdit,
    contentTypeModified: false,
    collaborators: [version.authorId],
    ...(index > 0 ? { prevVersion: versions[index - 1]!.number } : {}),
    ...(index >= 0 && index < versions.length - 1 ? { nextVersion: versions[index + 1]!.number } : {}),
  };
}

/** ChildrenCommentModel (`/footer-comments/{id}/children`). */
export function childCommentJson(
  store: ConfluenceStore,
  comment: CommentRecord,
  options: ContentJsonOptions,
): Record<string, unknown> {
  const {
    id,
    status,
    title,
    version,
    body,
    _links: links,
  } = commentJson(store, comment, { ...options, single: false });
  return { id, status, title, parentCommentId: comment.parentCommentId, version, body, _links: links };
}

/** PageCommentModel (page listing) or FooterCommentModel (single / created). */
export function commentJson(
  store: ConfluenceStore,
  comment: CommentRecord,
  options: ContentJsonOptions,
): Record<string, unknown> {
  const version = latest(comment);
  const container = store.content(comment.containerId)!;
  const space = store.space(container.spaceId)!;
  const containerTitle = latest(container).title;
  const containerField = container.kind === 'page' ? { pageId: container.id } : { blogPostId: container.id };
  const webui =
    container.kind === 'page'
      ? `${webuiPath(space.key, container.id, containerTitle)}?focusedCommentId=${comment.id}`
      : `/spaces/${space.key}/blog/${container.id}?focusedCommentId=${comment.id}`;
  return {
    id: comment.id,
    status: comment.status,
    title: version.title,
    ...containerField,
    ...(options.single && comment.parentCommentId !== null ? { parentCommentId: comment.parentCommentId } : {}),
    version: versionJson(version),
    body: bodyJson(version.body, options.format, options.wikiBase),
    _links: { webui, ...(options.single ? { base: options.wikiBase } : {}) },
  };
}
