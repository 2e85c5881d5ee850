// resource_link content for tool results that name issues or pages, so a client can attach them
// or read them later (resources/read) without another tool call. The text result stays first and
// whole for clients that ignore links. A link is added only when its resource can be read here.
import { textOf } from '../../core/text';
import { resolveSite, type Product } from '../sites';
import type { ContentBlock, ToolContext, ToolOutput } from '../tooling';
import { READER, type ResourceHost } from './read';
import { resourceUri, type ResourceRef } from './uris';

/** Links per result: a page of search results, not more. */
const MAX_LINKS = 50;

type Row = Record<string, unknown>;

/** Tools whose results name issues (a single issue or an `issues` list) or pages. */
const ISSUE_TOOLS = new Set([
  'jira_get_issue',
  'jira_create_issue',
  'jira_search',
  'jira_get_project_issues',
  'jira_get_sprint_issues',
  'jira_get_board_issues',
]);
const PAGE_TOOLS = new Set(['confluence_get_page', 'confluence_search', 'confluence_get_page_children']);

/** The rows of a list result (`issues`, `results`, `pages`), or the single object itself. */
function rowsOf(output: ToolOutput): Row[] {
  if (!output || typeof output !== 'object' || Array.isArray(output) || 'blocks' in output) return [];
  const rows = ['issues', 'results', 'pages'].map((list) => (output as Row)[list]).find(Array.isArray);
  if (rows) return rows.filter((r): r is Row => !!r && typeof r === 'object');
  return [output];
}

function link(ref: ResourceRef, name: string, title: string | undefined, mimeType: string): ContentBlock {
  return { type: 'resource_link', uri: resourceUri(ref), name, ...(title ? { title } : {}), mimeType };
}

/** The resource_link blocks for one tool's output; [] when it names nothing linkable. */
export async function resourceLinks(
  host: ResourceHost,
  toolName: string,
  args: Record<string, unknown>,
  output: ToolOutput,
  ctx: ToolContext,
): Promise<ContentBlock[]> {
  const product: Product | undefined = ISSUE_TOOLS.has(toolName)
    ? 'jira'
    : PAGE_TOOLS.has(toolName)
      ? 'confluence'
      : undefined;
  if (!product) return [];
  const rows = host.tool(product === 'jira' ? READER.issue : READER.page) ? rowsOf(output).slice(0, MAX_LINKS) : [];
  const linkSet = toolName === 'jira_search' && typeof args.jql === 'string' && host.tool(READER.search);
  if (rows.length === 0 && !linkSet) return [];
  const site = (await resolveSite(ctx.directory, args.site as string | undefined, product, ctx.signal)).name;
  const links: ContentBlock[] = [];
  for (const row of rows) {
    if (product === 'jira') {
      const key = textOf(row.key, '');
      const summary = textOf(row.summary, '');
      if (key)
        links.push(
          link({ kind: 'issue', site, key }, key, summary ? `${key}: ${summary}` : undefined, 'text/markdown'),
        );
    } else {
      const id = textOf(row.id, '');
      if (id && (row.type === undefined || row.type === 'page'))
        links.push(link({ kind: 'page', site, id }, `page ${id}`, textOf(row.title, '') || undefined, 'text/markdown'));
    }
  }
  if (linkSet)
    links.push(
      link(
        { kind: 'search', site, jql: String(args.jql) },
        'JQL result',
        `JQL: ${String(args.jql)}`,
        'application/json',
      ),
    );
  return links;
}
