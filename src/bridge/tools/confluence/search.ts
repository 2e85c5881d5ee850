// Confluence search (toolset confluence_pages): CQL or plain text.
import type { Json } from '../../../atlassian/jira';
import { prune, shortDate } from '../../format';
import { p } from '../../schema';
import { effectiveFilter, quoteValue, restrictQuery } from '../../scope';
import { confluenceFor, decodeCursor, encodeCursor, type ToolDef } from '../../tooling';
import { textOf } from '../../../core/text';

function looksLikeCql(query: string): boolean {
  const outsideQuotes = query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return (
    /[=~<>]|\b(and|or|not|in|order\s+by)\b/i.test(outsideQuotes) &&
    /^\s*[\w.]+\s*(!?[=~]|[<>]=?|\bin\b|\bnot\b)/i.test(outsideQuotes)
  );
}

export const confluenceSearch: ToolDef = {
  name: 'confluence_search',
  title: 'Search Confluence',
  description:
    'Search Confluence (wiki pages, docs, specs, runbooks, meeting notes) by plain text or CQL: space = DEV AND title ~ "release", label = runbook. Returns id, title, space, url and an excerpt; next_page_token when there is more.',
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
      args.spaces_filter ? textOf(args.spaces_filter).split(',') : undefined,
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
    // The search answer's own base carries DC's context path; Cloud's is the site's /wiki.
    const base = result.base ?? `${site.spec.url.replace(/\/+$/, '')}/wiki`;
    const rows = result.results
      .map((r) => {
        const content = (r.content as Json | undefined) ?? {};
        const container = (r.resultGlobalContainer as Json | undefined) ?? {};
        const space =
          ((content.space as Json | undefined)?.key as string | undefined) ??
          /\/spaces\/([^/]+)/.exec(textOf(container.displayUrl, ''))?.[1];
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
      total: rows.length === result.results.length ? result.totalSize : undefined,
      next_page_token: result.cursor ? encodeCursor({ c: result.cursor }) : undefined,
    });
  },
};
