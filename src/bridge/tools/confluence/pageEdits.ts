// Writing Confluence pages (toolset confluence_pages): create and update in Markdown (or raw
// storage/ADF/wiki for lossless edits), delete, move.
import type { BodyRepresentation } from '../../../atlassian/confluence';
import { AtlassianError } from '../../../atlassian/errors';
import { withNotFound, type Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import {
  PAGE_ID,
  FORMATS,
  type Format,
  attempt,
  pageIdFrom,
  spaceKeyOf,
  spaceIdOf,
  allowSpace,
  readPage,
  pageUrl,
  bodyOf,
  writeBody,
} from './shared';
import { markdownUpdateBody } from './lossless';
import { textOf } from '../../../core/text';

/** mcp-atlassian's words for positions, and Confluence's own. */
const MOVE_POSITIONS = { append: 'append', above: 'before', below: 'after', before: 'before', after: 'after' } as const;

function conflictHint(err: unknown, id: string): unknown {
  if (err instanceof AtlassianError && err.kind === 'conflict') {
    return new AtlassianError(
      `Page ${id} changed while it was being updated (version conflict). Read it again and reapply the change.`,
      { kind: 'conflict', host: err.host, status: err.status },
    );
  }
  return withNotFound(err, `Page ${id}`);
}

export const confluenceCreatePage: ToolDef = {
  name: 'confluence_create_page',
  title: 'Create Confluence page',
  description:
    'Create a Confluence page (doc, design note, meeting notes, runbook) in a space, optionally under a parent page. Content is Markdown unless content_format says storage, wiki or adf.',
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
    const parentId = args.parent_id ? pageIdFrom(textOf(args.parent_id), 'parent_id') : undefined;
    if (parentId) await readPage(ctx, confluence, parentId, undefined);
    const body = await writeBody(
      args.content,
      (args.content_format as Format | undefined) ?? 'markdown',
      'content',
      confluence.flavour,
    );
    const page = await confluence.createPage({ spaceId, title: String(args.title), parentId, body }, ctx.signal);
    return prune({
      id: page.id,
      title: page.title,
      space: key,
      version: (page.version as Json | undefined)?.number,
      url: pageUrl(site, page),
    });
  },
};

export const confluenceUpdatePage: ToolDef = {
  name: 'confluence_update_page',
  title: 'Update Confluence page',
  description:
    'Edit a Confluence page: replace its title and/or content (Markdown unless content_format says storage, wiki or adf). The version number is handled for you. Markdown that would drop macros the page has is refused: edit it as storage/adf instead.',
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
    const format = (args.content_format as Format | undefined) ?? 'markdown';
    // Without new content, the current body is sent back as storage (lossless); a Markdown body is
    // checked against the current one (ADF on Cloud, storage on DC) so no macro is silently dropped.
    const withBody = args.content === undefined ? 'storage' : format === 'markdown' ? 'atlas_doc_format' : undefined;
    const { page } = await readPage(ctx, confluence, id, withBody);
    const parentId = args.parent_id ? pageIdFrom(textOf(args.parent_id), 'parent_id') : undefined;
    if (parentId) await readPage(ctx, confluence, parentId, undefined);
    let body: { representation: BodyRepresentation; value: string };
    if (args.content === undefined) body = { representation: 'storage', value: String(await bodyOf(page, 'storage')) };
    else if (format === 'markdown' && typeof args.content === 'string')
      body = await markdownUpdateBody(page, args.content, id, confluence.flavour);
    else body = await writeBody(args.content, format, 'content', confluence.flavour);
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
};

export const confluenceDeletePage: ToolDef = {
  name: 'confluence_delete_page',
  title: 'Delete Confluence page',
  description:
    'Move a Confluence page to the trash (a space admin can restore it). Its child pages are not deleted: they move up to its parent.',
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
};

export const confluenceMovePage: ToolDef = {
  name: 'confluence_move_page',
  title: 'Move Confluence page',
  description:
    "Move a Confluence page, with its children, under another page (position append), next to one (above/below), or into another space (target_space_key alone: under that space's home page).",
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
    const spaceArg = args.target_space_key ? textOf(args.target_space_key).trim().toUpperCase() : undefined;
    if (!args.target_parent_id && !spaceArg)
      throw new InputError('Missing argument: give `target_parent_id` (a page) or `target_space_key` (a space).');
    await readPage(ctx, confluence, id, undefined);
    let targetId: string;
    if (args.target_parent_id) {
      targetId = pageIdFrom(textOf(args.target_parent_id), 'target_parent_id');
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
      const space = (await confluence.spacesByKeys([key], ctx.signal)).find((s) => String(s.key).toUpperCase() === key);
      if (!space)
        throw new InputError(
          `Invalid argument \`target_space_key\`: no space with key ${key} (or no permission to see it).`,
        );
      if (!space.homepageId)
        throw new InputError(`Space ${key} has no home page to move the page under; give \`target_parent_id\`.`);
      targetId = textOf(space.homepageId);
      if (targetId === id) throw new InputError(`Page ${id} is the home page of space ${key} already.`);
    }
    await confluence
      .movePage(id, position, targetId, ctx.signal)
      .catch((err: unknown) => Promise.reject(withNotFound(err, `Page ${id} or target page ${targetId}`)));
    const moved = await attempt(`Page ${id}`, () => confluence.page(id, undefined, ctx.signal));
    return prune({
      id: moved.id,
      title: moved.title,
      space: moved.spaceId !== undefined ? await spaceKeyOf(confluence, textOf(moved.spaceId), ctx.signal) : undefined,
      parent_id: moved.parentId ?? null,
      url: pageUrl(site, moved),
    });
  },
};
