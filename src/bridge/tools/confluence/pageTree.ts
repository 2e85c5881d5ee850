// A space's page hierarchy as one flat list (toolset confluence_pages): every page with its parent
// and depth, in tree order, so a model sees the whole structure in one call.
import { ConfluenceAdmin, type TreePage } from '../../../atlassian/confluenceAdmin';
import { p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { allowSpace, attempt, spaceIdOf } from './shared';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Depth-first order (siblings by position, then as Confluence listed them), with each page's depth. */
function treeOrder(pages: readonly TreePage[]): { page: TreePage; depth: number }[] {
  const ids = new Set(pages.map((page) => page.id));
  const children = new Map<string | undefined, TreePage[]>();
  for (const page of pages) {
    // A parent outside the list (the space root, or a page past the limit) makes a root here.
    const parent = page.parentId && ids.has(page.parentId) ? page.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), page]);
  }
  const out: { page: TreePage; depth: number }[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    const kids = [...(children.get(parent) ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    for (const kid of kids) {
      out.push({ page: kid, depth });
      visit(kid.id, depth + 1);
    }
  };
  visit(undefined, 0);
  return out;
}

export const confluenceGetSpacePageTree: ToolDef = {
  name: 'confluence_get_space_page_tree',
  title: 'Get Confluence space page tree',
  description:
    "A space's page hierarchy as a flat list in tree order: id, title, parent_id and depth of every page (up to limit; says when truncated). Use it to find where a page sits or to map a space.",
  toolset: 'confluence_pages',
  product: 'confluence',
  params: {
    space_key: p.str('Space key'),
    limit: p.int(`Most pages to list (default ${DEFAULT_LIMIT})`, 1, MAX_LIMIT),
  },
  required: ['space_key'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const key = String(args.space_key).trim().toUpperCase();
    allowSpace(ctx, key, `Space ${key}`);
    const space = { id: await spaceIdOf(confluence, key, 'space_key', ctx.signal), key };
    const admin = new ConfluenceAdmin(confluence);
    const limit = (args.limit as number | undefined) ?? DEFAULT_LIMIT;
    const batch = confluence.flavour === 'datacenter' ? 100 : 250;
    const pages: TreePage[] = [];
    let cursor: string | undefined;
    let more: boolean;
    do {
      const page = await attempt(`Space ${key}`, () =>
        admin.spacePages(space, { limit: batch, cursor, signal: ctx.signal }),
      );
      pages.push(...page.results);
      cursor = page.cursor;
      more = pages.length > limit || (pages.length === limit && cursor !== undefined);
    } while (cursor && pages.length < limit);
    const shown = treeOrder(pages.slice(0, limit));
    return {
      space: key,
      count: shown.length,
      ...(more ? { truncated: `More pages exist; raise limit (at most ${MAX_LIMIT}).` } : {}),
      pages: shown.map(({ page, depth }) => ({
        id: page.id,
        title: page.title,
        parent_id: page.parentId ?? null,
        depth,
      })),
    };
  },
};
