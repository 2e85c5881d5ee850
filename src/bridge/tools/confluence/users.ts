// Confluence people search (toolset confluence_users).
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { p } from '../../schema';
import { quoteValue } from '../../scope';
import { confluenceFor, decodeCursor, encodeCursor, type ToolDef } from '../../tooling';

/** User CQL (user, user.fullname, user.accountid, type = user) as opposed to a name to look for. */
function looksLikeUserCql(query: string): boolean {
  return (
    /[=~<>]/.test(query) ||
    /\buser\.\w+/i.test(query) ||
    /\s(AND|OR)\s/.test(query) ||
    /^\s*(user|type)\s+(not\s+)?in\s*\(/i.test(query)
  );
}

export const confluenceSearchUser: ToolDef = {
  name: 'confluence_search_user',
  title: 'Search Confluence users',
  description:
    'Find Confluence people by name (plain text matches the start of names) or by user CQL: user.fullname ~ "ada", user = "<account id>", type = user. Returns account id, display name, e-mail.',
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
};
