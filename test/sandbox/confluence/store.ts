// Per-site Confluence state: spaces, pages, blog posts, footer comments and labels, seeded
// deterministically and changed only through the operations below (which enforce Confluence's rules).
import type { SiteRecord } from '../context';
import { USERS } from '../data/users';
import { confluenceSeed, hashString, type SeedLinks } from '../data/confluence-seed';
import type { CqlDocument } from '../cql';
import { mentionedAccountIds, normalizeDoc, plainText, type Doc } from './model';
import { toStorage, fromStorage } from './storage';
import { fromAdfString, toAdf, AdfError } from './adf';
import { fromWiki } from './wiki';
import { toView } from './view';
import { XhtmlError } from './xhtml';

/** A rule violation; the router turns it into Confluence's error envelope. */
export class ConfluenceError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | null = null,
  ) {
    super(detail ?? `HTTP ${status}`);
  }
}

export type WriteRepresentation = 'storage' | 'atlas_doc_format' | 'wiki';
export type ReadRepresentation =
  'storage' | 'atlas_doc_format' | 'view' | 'export_view' | 'anonymous_export_view' | 'styled_view' | 'editor';

export interface StoredBody {
  readonly doc: Doc;
  /** The body exactly as a client wrote it, returned verbatim in the same representation. */
  readonly raw: { readonly representation: 'storage' | 'atlas_doc_format'; readonly value: string } | null;
}

export interface VersionRecord {
  readonly number: number;
  readonly authorId: string;
  readonly createdAt: number;
  readonly message: string;
  readonly minorEdit: boolean;
  readonly title: string;
  readonly body: StoredBody;
}

export interface LabelRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: 'global' | 'my' | 'team';
}

export interface SpaceRecord {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly type: 'global';
  readonly status: 'current' | 'archived';
  readonly authorId: string;
  readonly createdAt: number;
  homepageId: string | null;
}

export type ContentStatus = 'current' | 'draft' | 'archived' | 'trashed';

export interface ContentRecord {
  readonly id: string;
  readonly kind: 'page' | 'blogpost';
  /** Changes only when a page moves to another space (v1 move). */
  spaceId: string;
  parentId: string | null;
  position: number;
  status: ContentStatus;
  readonly authorId: string;
  ownerId: string;
  readonly createdAt: number;
  readonly versions: VersionRecord[];
  readonly labels: LabelRecord[];
}

export interface CommentRecord {
  readonly id: string;
  readonly containerId: string;
  readonly parentCommentId: string | null;
  status: 'current' | 'trashed';
  readonly authorId: string;
  readonly createdAt: number;
  readonly versions: VersionRecord[];
}

export interface BodyInput {
  readonly representation: WriteRepresentation;
  readonly value: string;
}

export interface CreatePageInput {
  readonly spaceId: string;
  readonly title: string | null;
  readonly parentId: string | null;
  readonly status: 'current' | 'draft';
  readonly body: BodyInput | null;
  readonly rootLevel: boolean;
}

export interface UpdatePageInput {
  readonly status: 'current' | 'draft';
  readonly title: string;
  readonly spaceId: string | null;
  readonly parentId: string | null;
  readonly ownerId: string | null;
  readonly body: BodyInput;
  readonly versionNumber: number;
  readonly versionMessage: string;
}

export function displayNameOf(accountId: string): string {
  return USERS.find((u) => u.accountId === accountId)?.displayName ?? 'Unknown User';
}

/** Parses a body a client sent; malformed storage or ADF is a 400 as in Confluence. */
export function parseBody(input: BodyInput): StoredBody {
  try {
    switch (input.representation) {
      case 'storage':
        return { doc: fromStorage(input.value, displayNameOf), raw: { representation: 'storage', value: input.value } };
      case 'atlas_doc_format': {
        const doc = fromAdfString(input.value);
        // Confluence hands ADF back compacted, whatever whitespace it was sent with.
        return { doc, raw: { representation: 'atlas_doc_format', value: JSON.stringify(JSON.parse(input.value)) } };
      }
      case 'wiki':
        return { doc: fromWiki(input.value, displayNameOf), raw: null };
    }
  } catch (error) {
    if (error instanceof XhtmlError || error instanceof AdfError) throw new ConfluenceError(400, error.message);
    throw error;
  }
}

/** Renders a stored body in any readable representation. */
export function renderBody(body: StoredBody, representation: ReadRepresentation, wikiBase: string): string {
  switch (representation) {
    case 'storage':
    case 'editor':
      return body.raw?.representation === 'storage' ? body.raw.value : toStorage(body.doc);
    case 'atlas_doc_format':
      return body.raw?.representation === 'atlas_doc_format' ? body.raw.value : JSON.stringify(toAdf(body.doc));
    default:
      return toView(body.doc, wikiBase);
  }
}

const DAY = 86_400_000;

function idBase(site: SiteRecord, salt: string, scale: number): number {
  return ((hashString(`${site.name}/${salt}`) % 900) + 100) * scale + 1;
}

export class ConfluenceStore {
  readonly spaces: SpaceRecord[] = [];
  readonly contents = new Map<string, ContentRecord>();
  readonly comments = new Map<string, CommentRecord>();
  private readonly labelsByName = new Map<string, LabelRecord>();
  private nextContentId: number;
  private nextSpaceId: number;
  private nextLabelId: number;

  constructor(
    readonly site: SiteRecord,
    private readonly now: () => number,
  ) {
    // Numeric ids in a site-specific range, like real Cloud sites, so mixing sites up shows.
    this.nextContentId = idBase(site, 'content', 4096);
    this.nextSpaceId = idBase(site, 'space', 32768);
    this.nextLabelId = idBase(site, 'label', 1024);
    this.seed();
  }

  // ---- seeding ----

  private seed(): void {
    // Anchor on the start of the current day so data is stable across a run and always in the past.
    const anchor = Math.floor(this.now() / DAY) * DAY;
    for (const seedSpace of confluenceSeed(this.site.name, anchor)) {
      const space: SpaceRecord = {
        id: String(this.nextSpaceId++),
        key: seedSpace.key,
        name: seedSpace.name,
        description: seedSpace.description,
        type: 'global',
        status: 'current',
        authorId: seedSpace.authorId,
        createdAt: seedSpace.createdAt,
        homepageId: null,
      };
      this.spaces.push(space);
      const ids = seedSpace.pages.map(() => String(this.nextContentId++));
      const byTitle = new Map(seedSpace.pages.map((p, i) => [p.title, ids[i]!]));
      const links: SeedLinks = {
        page: (title) => {
          const id = byTitle.get(title);
          return id
            ? `${this.site.url}/wiki${webuiPath(space.key, id, title)}`
            : `${this.site.url}/wiki/spaces/${space.key}`;
        },
      };
      const siblingCount = new Map<string | null, number>();
      seedSpace.pages.forEach((seedPage, i) => {
        const parentId = seedPage.parent === null ? null : ids[seedPage.parent]!;
        const position = siblingCount.get(parentId) ?? 0;
        siblingCount.set(parentId, position + 1);
        this.contents.set(ids[i]!, {
          id: ids[i]!,
          kind: 'page',
          spaceId: space.id,
          parentId,
          position,
          status: seedPage.status,
          authorId: seedPage.versions[0]!.authorId,
          ownerId: seedPage.versions[0]!.authorId,
          createdAt: seedPage.versions[0]!.createdAt,
          versions: seedPage.versions.map((v, n) => ({
            number: n + 1,
            authorId: v.authorId,
            createdAt: v.createdAt,
            message: v.message,
            minorEdit: v.minorEdit,
            title: seedPage.title,
            body: { doc: normalizeDoc(v.body(links)), raw: null },
          })),
          labels: seedPage.labels.map((name) => this.label(name)),
        });
      });
      space.homepageId = ids[0] ?? null;
      for (const blog of seedSpace.blogPosts) {
        const id = String(this.nextContentId++);
        this.contents.set(id, {
          id,
          kind: 'blogpost',
          spaceId: space.id,
          parentId: null,
          position: 0,
          status: 'current',
          authorId: blog.authorId,
          ownerId: blog.authorId,
          createdAt: blog.createdAt,
          versions: [
            {
              number: 1,
              authorId: blog.authorId,
              createdAt: blog.createdAt,
              message: '',
              minorEdit: false,
              title: blog.title,
              body: { doc: normalizeDoc(blog.body), raw: null },
            },
          ],
          labels: blog.labels.map((name) => this.label(name)),
        });
      }
      // Comments get ids after the pages, as they were written later.
      seedSpace.pages.forEach((seedPage, i) => {
        for (const comment of seedPage.comments) {
          const id = String(this.nextContentId++);
          this.comments.set(id, {
            id,
            containerId: ids[i]!,
            parentCommentId: null,
            status: 'current',
            authorId: comment.authorId,
            createdAt: comment.createdAt,
            versions: [
              {
                number: 1,
                authorId: comment.authorId,
                createdAt: comment.createdAt,
                message: '',
                minorEdit: false,
                title: `Re: ${seedPage.title}`,
                body: { doc: normalizeDoc(comment.body), raw: null },
              },
            ],
          });
        }
      });
    }
  }

  private label(name: string): LabelRecord {
    let label = this.labelsByName.get(name);
    if (!label) {
      label = { id: String(this.nextLabelId++), name, prefix: 'global' };
      this.labelsByName.set(name, label);
    }
    return label;
  }

  // ---- reads ----

  currentTime(): number {
    return this.now();
  }

  space(id: string): SpaceRecord | undefined {
    return this.spaces.find((s) => s.id === id);
  }

  spaceByKey(key: string): SpaceRecord | undefined {
    return this.spaces.find((s) => s.key === key);
  }

  content(id: string): ContentRecord | undefined {
    return this.contents.get(id);
  }

  page(id: string): ContentRecord | undefined {
    const content = this.contents.get(id);
    return content?.kind === 'page' ? content : undefined;
  }

  pagesOf(kind: 'page' | 'blogpost'): ContentRecord[] {
    return [...this.contents.values()].filter((c) => c.kind === kind);
  }

  children(parentId: string): ContentRecord[] {
    return this.pagesOf('page')
      .filter((p) => p.parentId === parentId && (p.status === 'current' || p.status === 'archived'))
      .sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id));
  }

  /** Root first, direct parent last. */
  ancestors(page: ContentRecord): ContentRecord[] {
    const out: ContentRecord[] = [];
    let parentId = page.parentId;
    while (parentId !== null) {
      const parent = this.contents.get(parentId);
      if (!parent) break;
      out.unshift(parent);
      parentId = parent.parentId;
    }
    return out;
  }

  commentsOn(containerId: string): CommentRecord[] {
    return [...this.comments.values()].filter((c) => c.containerId === containerId && c.status === 'current');
  }

  /** Direct replies to a footer comment. */
  repliesTo(commentId: string): CommentRecord[] {
    return [...this.comments.values()].filter((c) => c.parentCommentId === commentId && c.status === 'current');
  }

  /** Every page below `page` (any depth), trashed ones included: they move with it. */
  descendants(page: ContentRecord): ContentRecord[] {
    const out: ContentRecord[] = [];
    const visit = (id: string): void => {
      for (const child of this.pagesOf('page').filter((p) => p.parentId === id)) {
        out.push(child);
        visit(child.id);
      }
    };
    visit(page.id);
    return out;
  }

  // ---- writes ----

  createPage(input: CreatePageInput, authorId: string): ContentRecord {
    const space = this.space(input.spaceId);
    if (!space)
      throw new ConfluenceError(
        404,
        `Space with id ${input.spaceId} does not exist or you do not have permission to view it.`,
      );
    const title = input.title?.trim() ?? '';
    if (input.status === 'current' && title === '')
      throw new ConfluenceError(400, 'Title is required when publishing a page.');
    if (input.status === 'current') this.assertTitleFree(space, title, null);
    if (input.rootLevel && input.parentId !== null)
      throw new ConfluenceError(400, 'A parentId cannot be given together with root-level=true.');
    const parentId = input.rootLevel ? null : (input.parentId ?? space.homepageId);
    if (parentId !== null) this.assertParent(space, parentId, null);
    const body = input.body ? parseBody(input.body) : { doc: [], raw: null };
    const now = this.now();
    const page: ContentRecord = {
      id: String(this.nextContentId++),
      kind: 'page',
      spaceId: space.id,
      parentId,
      position: this.nextPosition(parentId, space.id),
      status: input.status,
      authorId,
      ownerId: authorId,
      createdAt: now,
      versions: [
        { number: 1, authorId, createdAt: now, message: '', minorEdit: false, title: title || 'Untitled', body },
      ],
      labels: [],
    };
    this.contents.set(page.id, page);
    return page;
  }

  updatePage(id: string, input: UpdatePageInput, authorId: string): ContentRecord {
    const page = this.page(id);
    if (!page || (page.status === 'trashed' && input.status !== 'current')) {
      throw new ConfluenceError(404, `Page with id ${id} does not exist or you do not have permission to update it.`);
    }
    if (page.status === 'trashed') {
      // Restoring from the trash only changes the status, as documented.
      page.status = 'current';
      return page;
    }
    const space = this.space(page.spaceId)!;
    if (input.spaceId !== null && input.spaceId !== page.spaceId)
      throw new ConfluenceError(400, 'Moving a page to a different space is not supported.');
    const current = latest(page);
    const wasDraft = page.status === 'draft';
    if (wasDraft) {
      // A draft stays at version 1 until it is published.
      const accepted = input.status === 'draft' ? [1] : [1, 2];
      if (!accepted.includes(input.versionNumber)) throw versionConflict(current.number);
    } else {
      if (input.status === 'draft')
        throw new ConfluenceError(400, 'A published page cannot be turned back into a draft.');
      if (input.versionNumber !== current.number + 1) throw versionConflict(current.number);
    }
    const title = input.title.trim();
    if (title === '') throw new ConfluenceError(400, 'Title is required when publishing a page.');
    if (input.status === 'current') this.assertTitleFree(space, title, page.id);
    if (input.parentId !== null && input.parentId !== page.parentId) {
      this.assertParent(space, input.parentId, page.id);
      page.parentId = input.parentId;
      page.position = this.nextPosition(input.parentId, space.id);
    }
    if (input.ownerId !== null) page.ownerId = input.ownerId;
    const version: VersionRecord = {
      number: wasDraft ? 1 : current.number + 1,
      authorId,
      createdAt: this.now(),
      message: input.versionMessage,
      minorEdit: false,
      title,
      body: parseBody(input.body),
    };
    if (wasDraft) page.versions.splice(0, page.versions.length, version);
    else page.versions.push(version);
    page.status = input.status;
    return page;
  }

  /** Moves a page to the trash (children move up to its parent), or purges a trashed page. */
  deletePage(id: string, purge: boolean): void {
    const page = this.page(id);
    if (!page || (page.status === 'trashed' && !purge))
      throw new ConfluenceError(404, `Page with id ${id} does not exist or you do not have permission to delete it.`);
    if (purge) {
      if (page.status !== 'trashed')
        throw new ConfluenceError(400, 'Only a trashed page can be purged; delete it first.');
      this.contents.delete(id);
      return;
    }
    if (page.status === 'draft') {
      this.contents.delete(id);
      return;
    }
    for (const child of this.pagesOf('page').filter((p) => p.parentId === id)) {
      child.parentId = page.parentId;
      child.position = this.nextPosition(page.parentId, page.spaceId);
    }
    page.status = 'trashed';
    const space = this.space(page.spaceId);
    if (space?.homepageId === id) space.homepageId = null;
  }

  /**
   * v1 `PUT /content/{id}/move/{position}/{targetId}`: `append` makes the page the target's last
   * child, `before`/`after` its sibling. Descendants come along, across spaces too; no new version.
   */
  movePage(id: string, position: 'before' | 'after' | 'append', targetId: string): ContentRecord {
    const page = this.page(id);
    const target = this.page(targetId);
    const movable = (p: ContentRecord | undefined): p is ContentRecord =>
      p !== undefined && (p.status === 'current' || p.status === 'archived');
    if (!movable(page)) throw new ConfluenceError(404, `No content found with id: ${id}`);
    if (!movable(target)) throw new ConfluenceError(404, `No content found with id: ${targetId}`);
    if (page.id === target.id) throw new ConfluenceError(400, 'Cannot move a page relative to itself.');
    const parentId = position === 'append' ? target.id : target.parentId;
    const subtree = this.descendants(page);
    if (parentId !== null && (parentId === page.id || subtree.some((d) => d.id === parentId))) {
      throw new ConfluenceError(
        400,
        'Cannot move a page below itself or one of its descendants: the move would create a parent-child loop.',
      );
    }
    const spaceId = target.spaceId;
    if (spaceId !== page.spaceId) {
      const space = this.space(spaceId)!;
      for (const moving of [page, ...subtree].filter((p) => p.status === 'current' || p.status === 'archived')) {
        this.assertTitleFree(space, latest(moving).title, moving.id);
      }
    }
    // Siblings at the destination make room for the page (before/after), or it goes last (append).
    const siblings = this.pagesOf('page').filter(
      (p) => p.parentId === parentId && p.spaceId === spaceId && p.id !== page.id,
    );
    let slot: number;
    if (position === 'append') {
      slot = siblings.reduce((max, p) => Math.max(max, p.position + 1), 0);
    } else {
      slot = position === 'before' ? target.position : target.position + 1;
      for (const sibling of siblings) if (sibling.position >= slot) sibling.position++;
    }
    if (spaceId !== page.spaceId) {
      const from = this.space(page.spaceId);
      if (from?.homepageId === page.id) from.homepageId = null;
      for (const moving of [page, ...subtree]) moving.spaceId = spaceId;
    }
    page.parentId = parentId;
    page.position = slot;
    return page;
  }

  /** v1 `POST /content/{id}/label`: adds what is missing, keeps the rest; answers every label. */
  addLabels(contentId: string, labels: readonly { prefix: 'global' | 'my' | 'team'; name: string }[]): ContentRecord {
    const content = this.contents.get(contentId);
    if (!content || content.status === 'trashed' || content.status === 'draft')
      throw new ConfluenceError(404, `No content found with id: ${contentId}`);
    for (const { prefix, name } of labels) {
      if (content.labels.some((l) => l.prefix === prefix && l.name === name)) continue;
      content.labels.push(prefix === 'global' ? this.label(name) : { id: String(this.nextLabelId++), name, prefix });
    }
    return content;
  }

  createFooterComment(
    containerId: string | null,
    parentCommentId: string | null,
    body: BodyInput,
    authorId: string,
  ): CommentRecord {
    let container: ContentRecord | undefined;
    let parent: CommentRecord | undefined;
    if (parentCommentId !== null) {
      parent = this.comments.get(parentCommentId);
      if (!parent || parent.status !== 'current')
        throw new ConfluenceError(
          404,
          `Comment with id ${parentCommentId} does not exist or you do not have permission to view it.`,
        );
      container = this.contents.get(parent.containerId);
    } else if (containerId !== null) {
      container = this.contents.get(containerId);
    }
    if (!container || container.status === 'trashed' || container.status === 'draft') {
      throw new ConfluenceError(
        404,
        `Content with id ${containerId ?? parent?.containerId} does not exist or you do not have permission to comment on it.`,
      );
    }
    const stored = parseBody(body);
    if (plainText(stored.doc).trim() === '') throw new ConfluenceError(400, 'Comment body cannot be empty.');
    const now = this.now();
    const title = `Re: ${container.versions[container.versions.length - 1]!.title}`;
    const comment: CommentRecord = {
      id: String(this.nextContentId++),
      containerId: container.id,
      parentCommentId,
      status: 'current',
      authorId,
      createdAt: now,
      versions: [{ number: 1, authorId, createdAt: now, message: '', minorEdit: false, title, body: stored }],
    };
    this.comments.set(comment.id, comment);
    return comment;
  }

  private nextPosition(parentId: string | null, spaceId: string): number {
    const siblings = this.pagesOf('page').filter((p) => p.parentId === parentId && p.spaceId === spaceId);
    return siblings.reduce((max, p) => Math.max(max, p.position + 1), 0);
  }

  private assertTitleFree(space: SpaceRecord, title: string, exceptId: string | null): void {
    const clash = this.pagesOf('page').some(
      (p) =>
        p.spaceId === space.id &&
        p.id !== exceptId &&
        (p.status === 'current' || p.status === 'archived') &&
        latest(p).title.toLowerCase() === title.toLowerCase(),
    );
    if (clash)
      throw new ConfluenceError(
        400,
        'A page with this title already exists: A page already exists with the same TITLE in this space',
      );
  }

  private assertParent(space: SpaceRecord, parentId: string, movingId: string | null): void {
    const parent = this.contents.get(parentId);
    if (!parent || parent.kind !== 'page' || parent.status === 'trashed')
      throw new ConfluenceError(400, `The parent page with id ${parentId} does not exist.`);
    if (parent.spaceId !== space.id)
      throw new ConfluenceError(400, 'The parent page must be in the same space as the page.');
    if (movingId !== null && (parentId === movingId || this.ancestors(parent).some((a) => a.id === movingId))) {
      throw new ConfluenceError(400, 'A page cannot be moved below itself or one of its descendants.');
    }
  }

  // ---- search ----

  /** Everything CQL can find: current pages, blog posts and footer comments. */
  cqlDocuments(): CqlDocument[] {
    const docs: CqlDocument[] = [];
    for (const content of this.contents.values()) {
      if (content.status !== 'current') continue;
      const space = this.space(content.spaceId)!;
      const version = latest(content);
      const ancestors = content.kind === 'page' ? this.ancestors(content).map((a) => a.id) : [];
      docs.push({
        id: content.id,
        type: content.kind,
        spaceKey: space.key,
        spaceTitle: space.name,
        title: version.title,
        body: plainText(version.body.doc),
        labels: content.labels.map((l) => l.name),
        creatorId: content.authorId,
        contributorIds: [...new Set(content.versions.map((v) => v.authorId))],
        mentionIds: mentionedAccountIds(version.body.doc),
        ancestorIds: ancestors,
        parentId: content.parentId,
        containerId: null,
        created: content.createdAt,
        lastModified: version.createdAt,
      });
    }
    for (const comment of this.comments.values()) {
      const container = this.contents.get(comment.containerId);
      if (comment.status !== 'current' || !container || container.status !== 'current') continue;
      const space = this.space(container.spaceId)!;
      const version = latest(comment);
      docs.push({
        id: comment.id,
        type: 'comment',
        spaceKey: space.key,
        spaceTitle: space.name,
        title: version.title,
        body: plainText(version.body.doc),
        labels: [],
        creatorId: comment.authorId,
        contributorIds: [...new Set(comment.versions.map((v) => v.authorId))],
        mentionIds: mentionedAccountIds(version.body.doc),
        ancestorIds: [...(container.kind === 'page' ? this.ancestors(container).map((a) => a.id) : []), container.id],
        parentId: comment.parentCommentId,
        containerId: container.id,
        created: comment.createdAt,
        lastModified: version.createdAt,
      });
    }
    return docs;
  }
}

function versionConflict(current: number): ConfluenceError {
  return new ConfluenceError(409, `Version must be incremented on update. Current version is: ${current}`);
}

export function latest<T extends { versions: readonly VersionRecord[] }>(record: T): VersionRecord {
  return record.versions[record.versions.length - 1]!;
}

/** `/spaces/KEY/pages/ID/Title+With+Pluses`, as Confluence builds web UI links. */
export function webuiPath(spaceKey: string, id: string, title: string): string {
  return `/spaces/${spaceKey}/pages/${id}/${encodeURIComponent(title).replace(/%20/g, '+')}`;
}

export function createConfluenceStore(site: SiteRecord, options: { now: () => number }): ConfluenceStore {
  return new ConfluenceStore(site, options.now);
}
