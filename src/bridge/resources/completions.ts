// completion/complete for the variables of resource templates and the arguments of prompts, by
// argument name. Values come from the read tools (so the projects and spaces filters hold exactly as
// for the model): issue keys from jira_search, projects, boards and versions from their list tools,
// page ids and space keys from confluence_search, sites from the configured sites. A value that is
// only half typed (a JQL error) completes to nothing; an Atlassian failure is reported, never hidden.
import { AtlassianError } from '../../atlassian/errors';
import { textOf } from '../../core/text';
import { InputError } from '../schema';
import { quoteValue } from '../scope';
import type { Product } from '../sites';
import type { ToolContext, ToolDef } from '../tooling';
import type { ResourceHost } from './read';

/** At most this many values per answer (the protocol's limit is 100). */
const MAX_VALUES = 50;

export interface CompletionHost extends ResourceHost {
  /** A read tool of the whole table, exposed or not: completions serve the person, not the model. */
  readTool(name: string): ToolDef | undefined;
}

export interface CompletionAnswer {
  readonly completion: { values: string[]; total?: number; hasMore?: boolean };
}

type Completer = (
  value: string,
  args: Record<string, string>,
  ctx: ToolContext,
  host: CompletionHost,
) => Promise<string[]>;

const COMPLETERS: Record<string, Completer> = {
  key: issueKeys,
  issue_key: issueKeys,
  project: projectKeys,
  project_key: projectKeys,
  board: boardNames,
  version: versionNames,
  fix_version: versionNames,
  id: pageIds,
  page_id: pageIds,
  space: spaceKeys,
  space_key: spaceKeys,
};

export async function complete(
  host: CompletionHost,
  argument: { name: string; value: string },
  context: Record<string, string>,
  signal: AbortSignal,
  /** The product a resource template or prompt is about: only its sites complete `site`. */
  product?: Product,
): Promise<CompletionAnswer> {
  const ctx: ToolContext = { config: host.config, directory: host.directory, signal };
  const completer: Completer | undefined =
    argument.name === 'site' ? (value) => siteNames(value, ctx, product) : COMPLETERS[argument.name];
  if (!completer) return { completion: { values: [] } };
  try {
    const all = [...new Set(await completer(argument.value ?? '', context, ctx, host))];
    const values = all.slice(0, MAX_VALUES);
    return { completion: { values, total: all.length, hasMore: all.length > values.length } };
  } catch (err) {
    // Half-typed input (a JQL that does not parse yet, no site chosen yet) has no completions.
    if (err instanceof InputError || (err instanceof AtlassianError && err.kind === 'badRequest'))
      return { completion: { values: [] } };
    throw err;
  }
}

const startsWith = (value: string) => (candidate: string) => candidate.toLowerCase().startsWith(value.toLowerCase());

async function run(host: CompletionHost, name: string, args: Record<string, unknown>, ctx: ToolContext) {
  const tool = host.readTool(name);
  if (!tool || tool.write) return undefined;
  return tool.run(args, ctx);
}

async function siteNames(value: string, ctx: ToolContext, product?: Product): Promise<string[]> {
  const sites = await ctx.directory.sites(ctx.signal);
  return sites
    .filter((s) => !product || s.has(product))
    .map((s) => s.name)
    .filter(startsWith(value));
}

/**
 * Keys of recently updated issues: of one project once `ABC-` is typed, matching words otherwise. A
 * complete key is also looked up on its own, so an old issue outside the recent ones still completes.
 */
async function issueKeys(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const typed = value.trim();
  const project = /^([A-Za-z][A-Za-z0-9_]*)-\d*$/.exec(typed)?.[1];
  const keyish = typed === '' || /^[A-Za-z][A-Za-z0-9_]*(-\d*)?$/.test(typed);
  const where = project
    ? `project = ${quoteValue(project.toUpperCase())}`
    : keyish
      ? 'updated >= -3650d'
      : `text ~ ${quoteValue(typed)}`;
  const exact = /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(typed) ? exactKey(typed.toUpperCase(), args, ctx, host) : [];
  const [own, keys] = await Promise.all([exact, searchKeys(`${where} ORDER BY updated DESC`, args, ctx, host)]);
  return [...own, ...(keyish ? keys.filter(startsWith(typed)) : keys)];
}

async function searchKeys(jql: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const found = (await run(host, 'jira_search', { jql, site: args.site, limit: 100, fields: 'summary' }, ctx)) as
    { issues?: { key?: unknown }[] } | undefined;
  return (found?.issues ?? []).map((i) => textOf(i.key, '')).filter(Boolean);
}

/** The typed key itself when the issue exists (Jira refuses `key = X` for a key it does not know: no value). */
async function exactKey(key: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  try {
    return await searchKeys(`key = ${quoteValue(key)}`, args, ctx, host);
  } catch (err) {
    if (err instanceof AtlassianError && err.kind === 'badRequest') return [];
    throw err;
  }
}

async function projectKeys(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const projects = (await run(host, 'jira_get_all_projects', { site: args.site }, ctx)) as
    { key?: unknown }[] | undefined;
  return (projects ?? []).map((p) => textOf(p.key, '')).filter((k) => k && startsWith(value)(k));
}

async function boardNames(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const boards = (await run(
    host,
    'jira_get_agile_boards',
    { site: args.site, board_name: value || undefined, project_key: args.project || undefined, limit: 50 },
    ctx,
  )) as { name?: unknown }[] | undefined;
  return (boards ?? []).map((b) => textOf(b.name, '')).filter(Boolean);
}

/** Versions of the project named in `project` (asked first), unreleased ones first. */
async function versionNames(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const project = args.project ?? args.project_key;
  if (!project) return [];
  const versions = (await run(host, 'jira_get_project_versions', { site: args.site, project_key: project }, ctx)) as
    { name?: unknown; released?: unknown }[] | undefined;
  return (versions ?? [])
    .sort((a, b) => Number(a.released === true) - Number(b.released === true))
    .map((v) => textOf(v.name, ''))
    .filter((name) => name && startsWith(value)(name));
}

async function recentPages(query: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const found = (await run(host, 'confluence_search', { query, site: args.site, limit: 50 }, ctx)) as
    { results?: { id?: unknown; space?: unknown; type?: unknown }[] } | undefined;
  return found?.results ?? [];
}

/** Ids of pages whose title matches what was typed (recently changed pages for nothing typed or digits). */
async function pageIds(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const typed = value.trim();
  const words = typed && !/^\d+$/.test(typed);
  const space = args.space ? ` AND space = ${quoteValue(args.space.toUpperCase())}` : '';
  const query = `type = page${space}${words ? ` AND title ~ ${quoteValue(typed)}` : ''} ORDER BY lastmodified DESC`;
  const ids = (await recentPages(query, args, ctx, host)).map((r) => textOf(r.id, '')).filter(Boolean);
  return words ? ids : ids.filter(startsWith(typed));
}

/** The allowed spaces when CONFLUENCE_SPACES_FILTER is set, else the spaces of recently changed pages. */
async function spaceKeys(value: string, args: Record<string, string>, ctx: ToolContext, host: CompletionHost) {
  const allowed = ctx.config.spacesFilter;
  if (allowed) return allowed.filter(startsWith(value));
  const pages = await recentPages('type = page ORDER BY lastmodified DESC', args, ctx, host);
  return pages.map((r) => textOf(r.space, '')).filter((k) => k && startsWith(value)(k));
}
