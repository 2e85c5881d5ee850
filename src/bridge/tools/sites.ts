// The site list (toolset atlassian): which Jira/Confluence sites the bridge is connected to.
import type { ToolDef } from '../tooling';

export const atlassianListSites: ToolDef = {
  name: 'atlassian_list_sites',
  title: 'List Atlassian sites',
  description:
    'The Atlassian sites (Jira, Confluence; Cloud or Data Center) this bridge is connected to: name, URL, cloud id. When several are connected, pass a name as `site` to any other tool.',
  toolset: 'atlassian',
  core: true,
  product: 'atlassian',
  params: {},
  async run(args, ctx) {
    const sites = await ctx.directory.sites(ctx.signal);
    const ref = typeof args.site === 'string' ? args.site : undefined;
    return Promise.all(sites.filter((s) => !ref || s.matches(ref)).map((s) => s.describe(ctx.signal)));
  },
};
