// Page view analytics (toolset confluence_analytics): Confluence Cloud counts views and viewers;
// Data Center has no such REST API.
import { ConfluenceAdmin } from '../../../atlassian/confluenceAdmin';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import { prune } from '../../format';
import { p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, pageIdFrom, readPage } from './shared';

export const confluenceGetPageViews: ToolDef = {
  name: 'confluence_get_page_views',
  title: 'Get Confluence page views',
  description: 'How often a page was viewed, and by how many distinct people, since it was created. Cloud only.',
  toolset: 'confluence_analytics',
  product: 'confluence',
  params: { page_id: PAGE_ID, include_title: p.bool("Include the page's title (default true)") },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    if (confluence.flavour === 'datacenter') throw notOnDataCenter('Page view analytics (/rest/api/analytics)');
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const { page } = await readPage(ctx, confluence, id, undefined);
    const stats = await attempt(`Page ${id}`, () => new ConfluenceAdmin(confluence).pageViews(id, ctx.signal));
    return prune({
      page_id: id,
      title: args.include_title === false ? undefined : page.title,
      views: stats.views,
      distinct_viewers: stats.viewers,
    });
  },
};
