// Every tool the bridge offers; tooling.ts decides which ones a configuration exposes.
import { confluenceTools } from './confluenceTools';
import { jiraTools } from './jiraTools';
import type { ToolDef } from './tooling';

const siteTools: ToolDef[] = [
  {
    name: 'atlassian_list_sites',
    title: 'List Atlassian sites',
    description:
      'The connected Jira/Confluence sites: name (pass it as `site` to other tools), URL, cloud id, Cloud or Data Center.',
    toolset: 'atlassian',
    core: true,
    product: 'atlassian',
    params: {},
    async run(args, ctx) {
      const sites = await ctx.directory.sites(ctx.signal);
      const ref = typeof args.site === 'string' ? args.site : undefined;
      return Promise.all(sites.filter((s) => !ref || s.matches(ref)).map((s) => s.describe(ctx.signal)));
    },
  },
];

export const ALL_TOOLS: readonly ToolDef[] = [...siteTools, ...jiraTools, ...confluenceTools];
