// Reading Confluence pages (toolset confluence_pages): by id, URL or title, children, history.
import { AtlassianError } from '../../../atlassian/errors';
import type { Json } from '../../../atlassian/jira';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, decodeCursor, encodeCursor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, pageIdFrom, spaceIdOf, allowSpace, readPage, pageUrl, bodyOf, displayNames } from './shared';
import { textOf } from '../../../core/text';

function readFormat(args: Record<string, unknown>): 'markdown' | 'storage' | 'adf' {
  const explicit = args.content_format as string | undefined;
  if (explicit === 'storage' || explicit === 'adf' || explicit === 'markdown') return explicit;
  if (explicit === 'wiki')
    throw new InputError('Invalid argument `content_format`: pages can be read as markdown, storage or adf.');
  return args.convert_to_markdown === false ? 'storage' : 'markdown';
}

export const confluenceGetPage: ToolDef = {
  name: 'confluence_get_page',
  title: 'Get Confluence page',
  description:
    'Read a Confluence page (doc, spec, runbook) by id or URL, or by title + space_key. Content is Markdown unless content_format asks for storage or adf (raw, for lossless edits).',
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
    if (args.page_id) id = pageIdFrom(textOf(args.page_id), 'page_id');
    else if (args.title && args.space_key) {
      const key = textOf(args.space_key).toUpperCase();
      allowSpace(ctx, key, `Space ${key}`);
      const spaceId = await spaceIdOf(confluence, key, 'space_key', ctx.signal);
      const found = await confluence.pageByTitle(spaceId, textOf(args.title), bodyFormat, ctx.signal);
      if (!found)
        throw new InputError(
          `No page titled "${textOf(args.title)}" in space ${key}. Titles must match exactly; try confluence_search.`,
        );
      id = String(found.id);
    } else throw new InputError('Missing argument: give `page_id` (id or URL), or `title` and `space_key`.');
    const { page, spaceKey } = await readPage(ctx, confluence, id, bodyFormat);
    const content = await bodyOf(page, format);
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
      // Named only when it is not the default, so the common read stays small.
      format: format === 'markdown' ? undefined : format,
      content,
    });
  },
};

export const confluenceGetPageChildren: ToolDef = {
  name: 'confluence_get_page_children',
  title: 'Get Confluence child pages',
  description:
    "Child pages of a Confluence page (id, title), optionally with their content as Markdown: to walk a section of a space's page tree.",
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
          row.content = await bodyOf(full, format);
        }
        return row;
      }),
    );
    return prune({ pages: children, next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined });
  },
};

export const confluenceGetPageHistory: ToolDef = {
  name: 'confluence_get_page_history',
  title: 'Get Confluence page history',
  description:
    "A Confluence page's versions (number, author, date, message), newest first. With `version`: that version's title and content (Markdown unless convert_to_markdown is false or content_format says storage/adf).",
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
        content: await bodyOf(page, format),
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
};
