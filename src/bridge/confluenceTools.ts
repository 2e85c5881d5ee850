// Confluence tools (Cloud): CQL or plain-text search, pages by id, URL or title, children, history,
// writes in Markdown (or raw storage/ADF/wiki for lossless edits), moves and deletes, footer
// comments and replies, labels, and people.
import { adfToMarkdown, isAdfDoc, type AdfDoc } from '../atlassian/adf';
import type { BodyRepresentation, ConfluenceApi } from '../atlassian/confluence';
import { AtlassianError } from '../atlassian/errors';
import { withNotFound, type Json } from '../atlassian/jira';
import { markdownToAdf } from '../atlassian/markdown';
import { prune, shortDate } from './format';
import { InputError, p } from './schema';
import { effectiveFilter, quoteValue, restrictQuery } from './scope';
import type { Site } from './sites';
import { confluenceFor, decodeCursor, encodeCursor, type ToolContext, type ToolDef } from './tooling';

const PAGE_ID = p.str('Page id, or the page URL');
const FORMATS = ['markdown', 'storage', 'adf', 'wiki'] as const;
type Format = (typeof FORMATS)[number];

async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withNotFound(err, what);
  }
}

/** A page id from an id, a page URL (…/pages/123/Title, ?pageId=123) or a tiny link (/x/AbCd). */
export function pageIdFrom(value: string, argument: string): string {
  const v = value.trim();
  if (/^\d+$/.test(v)) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InputError(
      `Invalid argument \`${argument}\`: expected a page id (digits) or a Confluence page URL, got "${v}".`,
    );
  }
  const byPath = /\/pages\/(\d+)/.exec(url.pathname)?.[1] ?? url.searchParams.get('pageId');
  if (byPath && /^\d+$/.test(byPath)) return byPath;
  const tiny = /\/x\/([A-Za-z0-9_-]+)/.exec(url.pathname)?.[1];
  if (tiny) {
    // Tiny links are the page id's little-endian bytes in URL-ish base64.
    let b64 = tiny.replace(/-/g, '/').replace(/_/g, '+');
    while (b64.length < 8 || b64.length % 4 !== 0) b64 += 'A';
    const bytes = Buffer.from(b64, 'base64');
    let id = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) id = (id << 8n) | BigInt(bytes[i]!);
    return id.toString();
  }
  throw new InputError(`Invalid argument \`${argument}\`: no page id in the URL ${v}.`);
}

/** Space keys by id and ids by key, per site (they never change). */
const spaceKeys = new Map<string, Map<string, string>>();

async function spaceKeyOf(
  confluence: ConfluenceApi,
  spaceId: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const cache = spaceKeys.get(confluence.http.baseUrl) ?? new Map<string, string>();
  spaceKeys.set(confluence.http.baseUrl, cache);
  if (!cache.has(spaceId)) {
    const space = await confluence.space(spaceId, signal).catch(() => undefined);
    if (space && typeof space.key === 'string') cache.set(spaceId, space.key);
  }
  return cache.get(spaceId);
}

async function spaceIdOf(
  confluence: ConfluenceApi,
  key: string,
  argument: string,
  signal: AbortSignal,
): Promise<string> {
  const spaces = await confluence.spacesByKeys([key], signal);
  const space = spaces.find((s) => String(s.key).toUpperCase() === key.toUpperCase());
  if (!space)
    throw new InputError(`Invalid argument \`${argument}\`: no space with key ${key} (or no permission to see it).`);
  return String(space.id);
}

function allowSpace(ctx: ToolContext, key: string | undefined, what: string): void {
  const allowed = ctx.config.spacesFilter;
  if (allowed && !allowed.includes(String(key ?? '').toUpperCase())) {
    throw new InputError(
      `${what} is outside this bridge's allowed spaces (${allowed.join(', ')}; CONFLUENCE_SPACES_FILTER).`,
    );
  }
}

/** Reads a page and refuses it when its space is outside CONFLUENCE_SPACES_FILTER. */
async function readPage(
  ctx: ToolContext,
  confluence: ConfluenceApi,
  id: string,
  bodyFormat: 'storage' | 'atlas_doc_format' | undefined,
): Promise<{ page: Json; spaceKey?: string }> {
  const page = await attempt(`Page ${id}`, () => confluence.page(id, bodyFormat, ctx.signal));
  const spaceKey =
    page.spaceId !== undefined ? await spaceKeyOf(confluence, String(page.spaceId), ctx.signal) : undefined;
  allowSpace(ctx, spaceKey, `Page ${id}`);
  return { page, spaceKey };
}

function pageUrl(site: Site, page: Json): string | undefined {
  const links = (page._links as Json | undefined) ?? {};
  if (typeof links.webui !== 'string') return undefined;
  const base = typeof links.base === 'string' ? links.base : `${site.spec.url.replace(/\/+$/, '')}/wiki`;
  return base + links.webui;
}

/** The page body in the requested form: Markdown from ADF, or the raw representation. */
function bodyOf(page: Json, format: 'markdown' | 'storage' | 'adf'): unknown {
  const body = (page.body as Json | undefined) ?? {};
  if (format === 'storage') return ((body.storage as Json | undefined)?.value as string | undefined) ?? '';
  const raw = (body.atlas_doc_format as Json | undefined)?.value;
  let adf: unknown = raw;
  if (typeof raw === 'string') {
    try {
      adf = JSON.parse(raw);
    } catch {
      adf = undefined;
    }
  }
  if (format === 'adf') return adf ?? null;
  return isAdfDoc(adf) ? adfToMarkdown(adf) : '';
}

function readFormat(args: Record<string, unknown>): 'markdown' | 'storage' | 'adf' {
  const explicit = args.content_format as string | undefined;
  if (explicit === 'storage' || explicit === 'adf' || explicit === 'markdown') return explicit;
  if (explicit === 'wiki')
    throw new InputError('Invalid argument `content_format`: pages can be read as markdown, storage or adf.');
  return args.convert_to_markdown === false ? 'storage' : 'markdown';
}

/** A body to write: Markdown becomes ADF; storage, wiki and ADF pass through unchanged. */
async function writeBody(
  content: unknown,
  format: Format,
  argument: string,
): Promise<{ representation: BodyRepresentation; value: string }> {
  if (format === 'markdown') {
    if (typeof content !== 'string') throw new InputError(`Invalid argument \`${argument}\`: expected Markdown text.`);
    return { representation: 'atlas_doc_format', value: JSON.stringify(await markdownToAdf(content)) };
  }
  if (format === 'adf') {
    let doc: unknown = content;
    if (typeof content === 'string') {
      try {
        doc = JSON.parse(content);
      } catch {
        doc = undefined;
      }
    }
    if (!isAdfDoc(doc))
      throw new InputError(
        `Invalid argument \`${argument}\`: content_format is adf, so the content must be an ADF document ({"type":"doc","version":1,...}).`,
      );
    return { representation: 'atlas_doc_format', value: JSON.stringify(doc as AdfDoc) };
  }
  return { representation: format, value: String(content) };
}

/** Sites whose user lookup was refused (scope, permission), and until when not to ask again. */
const userLookupOff = new Map<string, number>();
const USER_LOOKUP_PAUSE_MS = 10 * 60_000;
const USERS_PER_LOOKUP = 250;

/**
 * Display names for account ids, looked up in bulk once per call. Best effort: whatever cannot be
 * looked up is simply missing (callers show the id), and a refused lookup is not retried for a while
 * (a scope-less OAuth token would otherwise cost a token refresh on every call).
 */
async function displayNames(
  confluence: ConfluenceApi,
  accountIds: readonly unknown[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(accountIds.filter((id): id is string => typeof id === 'string' && id !== ''))];
  const site = confluence.http.baseUrl;
  if (ids.length === 0 || (userLookupOff.get(site) ?? 0) > Date.now()) return names;
  try {
    for (let i = 0; i < ids.length; i += USERS_PER_LOOKUP) {
      for (const user of await confluence.usersByAccountIds(ids.slice(i, i + USERS_PER_LOOKUP), signal)) {
        const name = user.displayName ?? user.publicName;
        if (typeof user.accountId === 'string' && typeof name === 'string' && name) names.set(user.accountId, name);
      }
    }
  } catch (err) {
    if (err instanceof AtlassianError && err.kind === 'cancelled') throw err;
    if (err instanceof AtlassianError && ['scope', 'forbidden', 'notFound', 'gone'].includes(err.kind))
      userLookupOff.set(site, Date.now() + USER_LOOKUP_PAUSE_MS);
  }
  return names;
}

/** Characters Confluence refuses in a label (a space would split it into several). */
const LABEL_INVALID = /[!#&()*,.:;<>?@[\]^]/;

function labelName(value: unknown): string {
  const name = String(value).trim().toLowerCase();
  if (/\s/.test(name))
    throw new InputError(
      'Invalid argument `name`: a label cannot contain spaces (Confluence would split it into several labels). Use hyphens (e.g. "needs-review"), or call once per label.',
    );
  const bad = LABEL_INVALID.exec(name)?.[0];
  if (bad)
    throw new InputError(
      `Invalid argument \`name\`: "${bad}" is not allowed in a label (nor any of ! # & ( ) * , . : ; < > ? @ [ ] ^). Use letters, digits, hyphens or underscores.`,
    );
  if (name.length > 255) throw new InputError('Invalid argument `name`: a label can have at most 255 characters.');
  return name;
}

/** User CQL (user, user.fullname, user.accountid, type = user) as opposed to a name to look for. */
function looksLikeUserCql(query: string): boolean {
  return (
    /[=~<>]/.test(query) ||
    /\buser\.\w+/i.test(query) ||
    /\s(AND|OR)\s/.test(query) ||
    /^\s*(user|type)\s+(not\s+)?in\s*\(/i.test(query)
  );
}

/** mcp-atlassian's words for positions, and Confluence's own. */
const MOVE_POSITIONS = { append: 'append', above: 'before', below: 'after', before: 'before', after: 'after' } as const;

function looksLikeCql(query: string): boolean {
  const outsideQuotes = query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return (
    /[=~<>]|\b(and|or|not|in|order\s+by)\b/i.test(outsideQuotes) &&
    /^\s*[\w.]+\s*(!?[=~]|[<>]=?|\bin\b|\bnot\b)/i.test(outsideQuotes)
  );
}

function conflictHint(err: unknown, id: string): unknown {
  if (err instanceof AtlassianError && err.kind === 'conflict') {
    return new AtlassianError(
      `Page ${id} changed while it was being updated (version conflict). Read it again and reapply the change.`,
      { kind: 'conflict', host: err.host, status: err.status },
    );
  }
  return withNotFound(err, `Page ${id}`);
}

export const confluenceTools: ToolDef[] = [
  {
    name: 'confluence_search',
    title: 'Search Confluence',
    description:
      'Search pages with CQL (e.g. space = DEV AND title ~ "release") or plain text. Returns id, title, space, url, excerpt; next_page_token when there is more.',
    toolset: 'confluence_pages',
    core: true,
    product: 'confluence',
    params: {
      query: p.str('CQL, or words to search for'),
      limit: p.int('Results per page (default 10)', 1, 50),
      spaces_filter: p.str('Comma-separated space keys to restrict to'),
      page_token: p.str('next_page_token from the previous page'),
    },
    required: ['query'],
    async run(args, ctx) {
      const { site, confluence } = await confluenceFor(ctx, args);
      const query = String(args.query).trim();
      const filter = effectiveFilter(
        ctx.config.spacesFilter,
        args.spaces_filter ? String(args.spaces_filter).split(',') : undefined,
        'space',
        'spaces_filter',
      );
      const cql = looksLikeCql(query) ? query : `siteSearch ~ ${quoteValue(query)} AND type in (page, blogpost)`;
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const result = await confluence.search(restrictQuery(cql, 'space', filter, 'CQL', 'query'), {
        limit: (args.limit as number | undefined) ?? 10,
        cursor: cursor?.c as string | undefined,
        signal: ctx.signal,
      });
      const base = `${site.spec.url.replace(/\/+$/, '')}/wiki`;
      const rows = result.results
        .map((r) => {
          const content = (r.content as Json | undefined) ?? {};
          const container = (r.resultGlobalContainer as Json | undefined) ?? {};
          const space =
            ((content.space as Json | undefined)?.key as string | undefined) ??
            /\/spaces\/([^/]+)/.exec(String(container.displayUrl ?? ''))?.[1];
          return prune({
            id: content.id,
            title: content.title ?? (typeof r.title === 'string' ? r.title.replace(/@@@(end)?hl@@@/g, '') : undefined),
            type: content.type,
            space,
            url: typeof r.url === 'string' ? base + r.url : undefined,
            updated: shortDate(r.lastModified),
            excerpt:
              typeof r.excerpt === 'string'
                ? r.excerpt
                    .replace(/@@@(end)?hl@@@/g, '')
                    .replace(/\s+/g, ' ')
                    .trim() || undefined
                : undefined,
          });
        })
        // Defence in depth: nothing from outside the allowed spaces leaves the bridge.
        .filter((row) => !filter || filter.includes(String(row.space ?? '').toUpperCase()));
      return prune({
        results: rows,
        total: result.totalSize,
        next_page_token: result.cursor ? encodeCursor({ c: result.cursor }) : undefined,
      });
    },
  },
  {
    name: 'confluence_get_page',
    title: 'Get Confluence page',
    description:
      'Get a page by id or URL, or by title + space_key. Content is Markdown unless content_format asks for storage or adf (raw, for lossless edits).',
    toolset: 'confluence_pages',
    core: true,
    product: 'confluence',
    params: {
      page_id: PAGE_ID,
      title: p.str('Exact page title (with space_key)'),
      space_key: p.str('Space key, with title'),
      include_metadata: p.bool('Include space, version, dates, url (default true)'),
      convert_to_markdown: p.bool('false returns the storage (XHTML) body'),
      content_format: p.oneOf(['markdown', 'storage', 'adf'], 'Body format (overrides convert_to_markdown)'),
    },
    async run(args, ctx) {
      const { site, confluence } = await confluenceFor(ctx, args);
      const format = readFormat(args);
      const bodyFormat = format === 'storage' ? 'storage' : 'atlas_doc_format';
      let id: string;
      if (args.page_id) id = pageIdFrom(String(args.page_id), 'page_id');
      else if (args.title && args.space_key) {
        const key = String(args.space_key).toUpperCase();
        allowSpace(ctx, key, `Space ${key}`);
        const spaceId = await spaceIdOf(confluence, key, 'space_key', ctx.signal);
        const found = await confluence.pageByTitle(spaceId, String(args.title), bodyFormat, ctx.signal);
        if (!found)
          throw new InputError(
            `No page titled "${String(args.title)}" in space ${key}. Titles must match exactly; try confluence_search.`,
          );
        id = String(found.id);
      } else throw new InputError('Missing argument: give `page_id` (id or URL), or `title` and `space_key`.');
      const { page, spaceKey } = await readPage(ctx, confluence, id, bodyFormat);
      const content = bodyOf(page, format);
      if (args.include_metadata === false) return { title: page.title, content };
      const version = (page.version as Json | undefined) ?? {};
      return prune({
        id: page.id,
        title: page.title,
        space: spaceKey,
        version: version.number,
        updated: shortDate(version.createdAt),
        parent_id: page.parentId ?? undefined,
        url: pageUrl(site, page),
        format,
        content,
      });
    },
  },
  {
    name: 'confluence_get_page_children',
    title: 'Get Confluence child pages',
    description: 'Child pages of a page (id, title), optionally with their content as Markdown.',
    toolset: 'confluence_pages',
    core: true,
    product: 'confluence',
    params: {
      parent_id: PAGE_ID,
      limit: p.int('Children per page (default 25)', 1, 50),
      include_content: p.bool("Include each child's content"),
      convert_to_markdown: p.bool('With include_content: false gives storage XHTML'),
      page_token: p.str('next_page_token from the previous page'),
      expand: p.str(undefined, { hidden: true }),
      start: p.int(undefined, 0),
    },
    required: ['parent_id'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.parent_id), 'parent_id');
      await readPage(ctx, confluence, id, undefined);
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const page = await attempt(`Page ${id}`, () =>
        confluence.children(id, {
          limit: (args.limit as number | undefined) ?? 25,
          cursor: cursor?.c as string | undefined,
          signal: ctx.signal,
        }),
      );
      const format = args.convert_to_markdown === false ? 'storage' : 'markdown';
      const children = await Promise.all(
        page.results.map(async (child) => {
          const row: Record<string, unknown> = { id: child.id, title: child.title };
          if (args.include_content) {
            const full = await confluence.page(
              String(child.id),
              format === 'storage' ? 'storage' : 'atlas_doc_format',
              ctx.signal,
            );
            row.content = bodyOf(full, format);
          }
          return row;
        }),
      );
      return prune({ pages: children, next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined });
    },
  },
  {
    name: 'confluence_create_page',
    title: 'Create Confluence page',
    description: 'Create a page. content is Markdown unless content_format says storage, wiki or adf.',
    toolset: 'confluence_pages',
    core: true,
    product: 'confluence',
    write: true,
    params: {
      space_key: p.str('Space key'),
      title: p.str(),
      content: p.str('Page body (Markdown by default)'),
      parent_id: p.str('Parent page id'),
      content_format: p.oneOf(FORMATS, 'Format of content (default markdown)'),
    },
    required: ['space_key', 'title', 'content'],
    async run(args, ctx) {
      const { site, confluence } = await confluenceFor(ctx, args);
      const key = String(args.space_key).toUpperCase();
      allowSpace(ctx, key, `Space ${key}`);
      const spaceId = await spaceIdOf(confluence, key, 'space_key', ctx.signal);
      const parentId = args.parent_id ? pageIdFrom(String(args.parent_id), 'parent_id') : undefined;
      if (parentId) await readPage(ctx, confluence, parentId, undefined);
      const body = await writeBody(args.content, (args.content_format as Format | undefined) ?? 'markdown', 'content');
      const page = await confluence.createPage({ spaceId, title: String(args.title), parentId, body }, ctx.signal);
      return prune({
        id: page.id,
        title: page.title,
        space: key,
        version: (page.version as Json | undefined)?.number,
        url: pageUrl(site, page),
      });
    },
  },
  {
    name: 'confluence_update_page',
    title: 'Update Confluence page',
    description:
      "Replace a page's title and/or content (Markdown unless content_format says storage, wiki or adf). The version number is handled for you.",
    toolset: 'confluence_pages',
    core: true,
    product: 'confluence',
    write: true,
    destructive: true,
    params: {
      page_id: PAGE_ID,
      title: p.str('New title (default: unchanged)'),
      content: p.str('New body (default: unchanged)'),
      content_format: p.oneOf(FORMATS, 'Format of content (default markdown)'),
      is_minor_edit: p.bool('Do not notify watchers'),
      version_comment: p.str('Version message'),
      parent_id: p.str('Move under this parent page'),
    },
    required: ['page_id'],
    async run(args, ctx) {
      const { site, confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      if (args.content === undefined && args.title === undefined && args.parent_id === undefined)
        throw new InputError('Missing argument: give `content`, `title` or `parent_id` to change.');
      // Without new content, the current body is sent back as storage (lossless).
      const { page } = await readPage(ctx, confluence, id, args.content === undefined ? 'storage' : undefined);
      const parentId = args.parent_id ? pageIdFrom(String(args.parent_id), 'parent_id') : undefined;
      if (parentId) await readPage(ctx, confluence, parentId, undefined);
      const body =
        args.content === undefined
          ? { representation: 'storage' as const, value: String(bodyOf(page, 'storage')) }
          : await writeBody(args.content, (args.content_format as Format | undefined) ?? 'markdown', 'content');
      const current = Number((page.version as Json | undefined)?.number ?? 0);
      const updated = await confluence
        .updatePage(
          id,
          {
            title: String(args.title ?? page.title),
            parentId,
            body,
            version: prune({
              number: current + 1,
              message: args.version_comment as string | undefined,
              minorEdit: args.is_minor_edit as boolean | undefined,
            }),
          },
          ctx.signal,
        )
        .catch((err: unknown) => Promise.reject(conflictHint(err, id)));
      return prune({
        id: updated.id,
        title: updated.title,
        version: (updated.version as Json | undefined)?.number,
        url: pageUrl(site, updated),
      });
    },
  },
  {
    name: 'confluence_add_comment',
    title: 'Comment on Confluence page',
    description: 'Add a footer comment (Markdown) to a page.',
    toolset: 'confluence_comments',
    core: true,
    product: 'confluence',
    write: true,
    params: { page_id: PAGE_ID, body: p.str('Markdown') },
    required: ['page_id', 'body'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      await readPage(ctx, confluence, id, undefined);
      const comment = await attempt(`Page ${id}`, async () =>
        confluence.addFooterComment(id, await writeBody(args.body, 'markdown', 'body'), ctx.signal),
      );
      return prune({
        id: comment.id,
        page_id: id,
        created: shortDate((comment.version as Json | undefined)?.createdAt),
      });
    },
  },
  {
    name: 'confluence_get_comments',
    title: 'Get Confluence comments',
    description: 'Footer comments of a page, as Markdown, with author names.',
    toolset: 'confluence_comments',
    core: true,
    product: 'confluence',
    params: {
      page_id: PAGE_ID,
      limit: p.int('Comments per page (default 25)', 1, 100),
      page_token: p.str('next_page_token from the previous page'),
    },
    required: ['page_id'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      await readPage(ctx, confluence, id, undefined);
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const page = await attempt(`Page ${id}`, () =>
        confluence.footerComments(id, {
          limit: (args.limit as number | undefined) ?? 25,
          cursor: cursor?.c as string | undefined,
          bodyFormat: 'atlas_doc_format',
          signal: ctx.signal,
        }),
      );
      const authorOf = (c: Json) => ((c.version as Json | undefined) ?? {}).authorId;
      const names = await displayNames(confluence, page.results.map(authorOf), ctx.signal);
      return prune({
        comments: page.results.map((c) => {
          const version = (c.version as Json | undefined) ?? {};
          const authorId = authorOf(c) as string | undefined;
          return prune({
            id: c.id,
            author: authorId === undefined ? undefined : (names.get(authorId) ?? authorId),
            author_id: authorId,
            created: shortDate(version.createdAt),
            body: bodyOf(c, 'markdown'),
          });
        }),
        next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined,
      });
    },
  },
  {
    name: 'confluence_get_labels',
    title: 'Get Confluence labels',
    description: 'Labels of a page.',
    toolset: 'confluence_labels',
    product: 'confluence',
    params: { page_id: PAGE_ID },
    required: ['page_id'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      await readPage(ctx, confluence, id, undefined);
      const labels = await attempt(`Page ${id}`, () => confluence.labels(id, ctx.signal));
      return labels.map((l) => l.name);
    },
  },

  // --- opt-in ---------------------------------------------------------------------------------------
  {
    name: 'confluence_get_page_history',
    title: 'Get Confluence page history',
    description:
      "A page's versions (number, author, date, message), newest first. With `version`: that version's title and content (Markdown unless convert_to_markdown is false or content_format says storage/adf).",
    toolset: 'confluence_pages',
    product: 'confluence',
    params: {
      page_id: PAGE_ID,
      version: p.int('A version number: return that version instead of the list', 1),
      convert_to_markdown: p.bool('With version: false gives the storage (XHTML) body'),
      content_format: p.oneOf(
        ['markdown', 'storage', 'adf'],
        'With version: body format (overrides convert_to_markdown)',
      ),
      limit: p.int('Versions per page (default 25)', 1, 100),
      page_token: p.str('next_page_token from the previous page'),
    },
    required: ['page_id'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      const { page: current } = await readPage(ctx, confluence, id, undefined);
      const latest = (current.version as Json | undefined)?.number;
      if (args.version !== undefined) {
        const number = args.version as number;
        const format = readFormat(args);
        const page = await confluence
          .pageAtVersion(id, number, format === 'storage' ? 'storage' : 'atlas_doc_format', ctx.signal)
          .catch((err: unknown) => {
            if (err instanceof AtlassianError && err.kind === 'notFound') {
              throw new InputError(
                `Page ${id} has no version ${number}${typeof latest === 'number' ? ` (its versions are 1 to ${latest})` : ''}. Call confluence_get_page_history without \`version\` to list them.`,
              );
            }
            throw err;
          });
        const version = (page.version as Json | undefined) ?? {};
        const names = await displayNames(confluence, [version.authorId], ctx.signal);
        return prune({
          id: page.id,
          title: page.title,
          version: version.number,
          latest_version: latest,
          author: typeof version.authorId === 'string' ? (names.get(version.authorId) ?? version.authorId) : undefined,
          created: shortDate(version.createdAt),
          message: version.message || undefined,
          format,
          content: bodyOf(page, format),
        });
      }
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const versions = await attempt(`Page ${id}`, () =>
        confluence.pageVersions(id, {
          limit: (args.limit as number | undefined) ?? 25,
          cursor: cursor?.c as string | undefined,
          signal: ctx.signal,
        }),
      );
      const names = await displayNames(
        confluence,
        versions.results.map((v) => v.authorId),
        ctx.signal,
      );
      return prune({
        id,
        title: current.title,
        latest_version: latest,
        versions: versions.results.map((v) =>
          prune({
            version: v.number,
            author: typeof v.authorId === 'string' ? (names.get(v.authorId) ?? v.authorId) : undefined,
            created: shortDate(v.createdAt),
            message: v.message || undefined,
            minor_edit: v.minorEdit === true ? true : undefined,
          }),
        ),
        next_page_token: versions.cursor ? encodeCursor({ c: versions.cursor }) : undefined,
      });
    },
  },
  {
    name: 'confluence_delete_page',
    title: 'Delete Confluence page',
    description:
      'Move a page to the trash (a space admin can restore it). Its child pages are not deleted: they move up to its parent.',
    toolset: 'confluence_pages',
    product: 'confluence',
    write: true,
    destructive: true,
    idempotent: true,
    params: { page_id: PAGE_ID },
    required: ['page_id'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      const { page, spaceKey } = await readPage(ctx, confluence, id, undefined);
      await attempt(`Page ${id}`, () => confluence.deletePage(id, ctx.signal));
      return prune({ deleted: id, title: page.title, space: spaceKey });
    },
  },
  {
    name: 'confluence_move_page',
    title: 'Move Confluence page',
    description:
      "Move a page, with its children, under another page (position append), next to one (above/below), or into another space (target_space_key alone: under that space's home page).",
    toolset: 'confluence_pages',
    product: 'confluence',
    write: true,
    destructive: true,
    idempotent: true,
    params: {
      page_id: PAGE_ID,
      target_parent_id: p.str('Target page id or URL: the new parent (append), or the page to sit above/below'),
      target_space_key: p.str("Target space key; alone, the page goes under that space's home page"),
      position: p.oneOf(
        Object.keys(MOVE_POSITIONS),
        'append (default): last child of the target; above/below (or before/after): its sibling, just before/after it',
      ),
    },
    required: ['page_id'],
    async run(args, ctx) {
      const { site, confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      const position = MOVE_POSITIONS[(args.position as keyof typeof MOVE_POSITIONS | undefined) ?? 'append'];
      const spaceArg = args.target_space_key ? String(args.target_space_key).trim().toUpperCase() : undefined;
      if (!args.target_parent_id && !spaceArg)
        throw new InputError('Missing argument: give `target_parent_id` (a page) or `target_space_key` (a space).');
      await readPage(ctx, confluence, id, undefined);
      let targetId: string;
      if (args.target_parent_id) {
        targetId = pageIdFrom(String(args.target_parent_id), 'target_parent_id');
        if (targetId === id)
          throw new InputError('Invalid argument `target_parent_id`: a page cannot be moved relative to itself.');
        const { spaceKey: targetSpace } = await readPage(ctx, confluence, targetId, undefined);
        if (spaceArg && targetSpace && spaceArg !== targetSpace.toUpperCase()) {
          throw new InputError(
            `Invalid argument \`target_space_key\`: page ${targetId} is in space ${targetSpace}, not ${spaceArg}. Give one or the other.`,
          );
        }
      } else {
        const key = spaceArg!;
        allowSpace(ctx, key, `Space ${key}`);
        if (position !== 'append')
          throw new InputError(
            'Invalid argument `position`: above/below need `target_parent_id` (the page to sit next to).',
          );
        const space = (await confluence.spacesByKeys([key], ctx.signal)).find(
          (s) => String(s.key).toUpperCase() === key,
        );
        if (!space)
          throw new InputError(
            `Invalid argument \`target_space_key\`: no space with key ${key} (or no permission to see it).`,
          );
        if (!space.homepageId)
          throw new InputError(`Space ${key} has no home page to move the page under; give \`target_parent_id\`.`);
        targetId = String(space.homepageId);
        if (targetId === id) throw new InputError(`Page ${id} is the home page of space ${key} already.`);
      }
      await confluence
        .movePage(id, position, targetId, ctx.signal)
        .catch((err: unknown) => Promise.reject(withNotFound(err, `Page ${id} or target page ${targetId}`)));
      const moved = await attempt(`Page ${id}`, () => confluence.page(id, undefined, ctx.signal));
      return prune({
        id: moved.id,
        title: moved.title,
        space:
          moved.spaceId !== undefined ? await spaceKeyOf(confluence, String(moved.spaceId), ctx.signal) : undefined,
        parent_id: moved.parentId ?? null,
        url: pageUrl(site, moved),
      });
    },
  },
  {
    name: 'confluence_reply_to_comment',
    title: 'Reply to Confluence comment',
    description: 'Reply (Markdown) in the thread of a footer comment; comment ids come from confluence_get_comments.',
    toolset: 'confluence_comments',
    product: 'confluence',
    write: true,
    params: { comment_id: p.str('Id of the footer comment to reply to'), body: p.str('Markdown') },
    required: ['comment_id', 'body'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const commentId = String(args.comment_id).trim();
      if (!/^\d+$/.test(commentId))
        throw new InputError(`Invalid argument \`comment_id\`: expected a comment id (digits), got "${commentId}".`);
      const parent = await attempt(`Footer comment ${commentId}`, () =>
        confluence.footerComment(commentId, ctx.signal),
      );
      if (parent.pageId !== undefined) await readPage(ctx, confluence, String(parent.pageId), undefined);
      else if (parent.blogPostId !== undefined) {
        const post = await attempt(`Blog post ${String(parent.blogPostId)}`, () =>
          confluence.blogPost(String(parent.blogPostId), ctx.signal),
        );
        allowSpace(
          ctx,
          post.spaceId !== undefined ? await spaceKeyOf(confluence, String(post.spaceId), ctx.signal) : undefined,
          `Blog post ${String(parent.blogPostId)}`,
        );
      } else allowSpace(ctx, undefined, `Comment ${commentId}`);
      const body = await writeBody(args.body, 'markdown', 'body');
      const reply = await attempt(`Footer comment ${commentId}`, () =>
        confluence.replyToFooterComment(commentId, body, ctx.signal),
      );
      return prune({
        id: reply.id,
        parent_comment_id: commentId,
        page_id: parent.pageId,
        blog_post_id: parent.blogPostId,
        created: shortDate((reply.version as Json | undefined)?.createdAt),
      });
    },
  },
  {
    name: 'confluence_add_label',
    title: 'Add Confluence label',
    description: 'Add a label to a page and return all its labels. Labels are lower case, without spaces.',
    toolset: 'confluence_labels',
    product: 'confluence',
    write: true,
    idempotent: true,
    params: { page_id: PAGE_ID, name: p.str('Label, e.g. needs-review') },
    required: ['page_id', 'name'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const id = pageIdFrom(String(args.page_id), 'page_id');
      const name = labelName(args.name);
      await readPage(ctx, confluence, id, undefined);
      const labels = await attempt(`Page ${id}`, () =>
        confluence.addLabels(id, [{ prefix: 'global', name }], ctx.signal),
      );
      return labels.map((l) => l.name);
    },
  },
  {
    name: 'confluence_search_user',
    title: 'Search Confluence users',
    description:
      'Find people by name (plain text matches the start of names) or by user CQL: user.fullname ~ "ada", user = "<account id>", type = user. Returns account id, display name, e-mail.',
    toolset: 'confluence_users',
    product: 'confluence',
    params: {
      query: p.str('A name, or CQL on user fields'),
      limit: p.int('Results per page (default 10)', 1, 50),
      page_token: p.str('next_page_token from the previous page'),
      group_name: p.str(undefined, { hidden: true }),
    },
    required: ['query'],
    async run(args, ctx) {
      const { confluence } = await confluenceFor(ctx, args);
      const query = String(args.query).trim();
      const cql = looksLikeUserCql(query) ? query : `user.fullname ~ ${quoteValue(query)}`;
      const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
      const start = typeof cursor?.s === 'number' ? cursor.s : 0;
      const limit = (args.limit as number | undefined) ?? 10;
      const found = await confluence.searchUsers(cql, { limit, start, signal: ctx.signal });
      const users = found.results
        .map((r) => r.user as Json | undefined)
        .filter((u): u is Json => !!u && typeof u.accountId === 'string')
        .map((u) =>
          prune({
            account_id: u.accountId,
            display_name: u.displayName ?? u.publicName,
            email: typeof u.email === 'string' && u.email ? u.email : undefined,
          }),
        );
      return prune({
        users,
        total: found.totalSize,
        next_page_token: found.more ? encodeCursor({ s: start + found.results.length }) : undefined,
      });
    },
  },
];
