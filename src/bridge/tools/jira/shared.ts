// Helpers shared by the Jira tools: the projects filter, user and field resolution, rich text input,
// batch parsing and error reporting.
import { isAdfDoc } from '../../../atlassian/adf';
import { withNotFound, type Json, type JiraApi } from '../../../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../../../atlassian/markdown';
import { InputError, p } from '../../schema';
import { projectOfIssueKey } from '../../scope';
import { jiraFor, type ToolContext } from '../../tooling';
import { textOf } from '../../../core/text';

export const ISSUE_KEY = p.str('Issue key, e.g. PROJ-123');

export const FIELDS_HELP = 'Comma-separated field ids to return (e.g. summary,status,customfield_10016), or *all';

export function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : textOf(value).split(',')).map((s) => String(s).trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** The site, its Jira and the `issue_key` argument, once the projects filter allows that issue. */
export async function issueFor(ctx: ToolContext, args: Record<string, unknown>) {
  const { site, jira } = await jiraFor(ctx, args);
  const key = String(args.issue_key).trim();
  await allowIssue(ctx, jira, key);
  return { site, jira, key };
}

/**
 * Refuses issues outside JIRA_PROJECTS_FILTER before anything is read or written. The key's prefix
 * proves nothing (Jira keeps a moved issue's old key resolving), so Jira is asked which project the
 * issue is in now.
 */
export async function allowIssue(ctx: ToolContext, jira: JiraApi, key: string): Promise<void> {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  const claimed = projectOfIssueKey(key);
  if (claimed && !allowed.includes(claimed)) throw outsideProjects(key, allowed);
  const issue = await jira
    .getIssue(key, { fields: ['project'], signal: ctx.signal })
    .catch((err: unknown) => Promise.reject(withNotFound(err, `Issue ${key}`)));
  const project = textOf(((issue.fields as Json | undefined)?.project as Json | undefined)?.key, '').toUpperCase();
  const current = projectOfIssueKey(textOf(issue.key, ''));
  if (!project || !allowed.includes(project) || !current || !allowed.includes(current))
    throw outsideProjects(key, allowed);
}

export function allowProject(ctx: ToolContext, projectKey: string, argument: string): void {
  const allowed = ctx.config.projectsFilter;
  if (allowed && !allowed.includes(projectKey.toUpperCase())) {
    throw new InputError(
      `Invalid argument \`${argument}\`: project ${projectKey} is outside this bridge's allowed projects (${allowed.join(', ')}).`,
    );
  }
}

export function outsideProjects(key: string, allowed: readonly string[]): InputError {
  return new InputError(
    `Issue ${key} is outside this bridge's allowed projects (${allowed.join(', ')}; JIRA_PROJECTS_FILTER).`,
  );
}

export async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withNotFound(err, what);
  }
}

/**
 * Text for a Jira write: Markdown becomes ADF on Cloud and wiki markup on Data Center. An ADF
 * document (object or JSON string) passes through untouched, for lossless round trips.
 */
export async function richInput(jira: JiraApi, value: unknown, argument: string): Promise<unknown> {
  let adf: unknown;
  if (isAdfDoc(value)) adf = value;
  else if (typeof value === 'string' && /^\s*\{\s*"(type|version)"/.test(value)) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isAdfDoc(parsed)) adf = parsed;
    } catch {
      // Not JSON after all: treat it as Markdown.
    }
  }
  if (adf !== undefined) {
    if (!jira.cloud)
      throw new InputError(
        `Invalid argument \`${argument}\`: Jira Data Center takes Markdown or wiki text, not an ADF document.`,
      );
    return adf;
  }
  if (typeof value !== 'string') throw new InputError(`Invalid argument \`${argument}\`: expected Markdown text.`);
  return jira.cloud ? markdownToAdf(value) : markdownToWiki(value);
}

/** Account id (Cloud) or username (Data Center) for an e-mail, name, id, or "me". */
export async function resolveUser(jira: JiraApi, ref: string, argument: string, signal: AbortSignal): Promise<string> {
  const value = ref.trim();
  if (/^(me|currentuser\(\)|myself)$/i.test(value)) {
    const me = await jira.myself(signal);
    return String(jira.cloud ? me.accountId : me.name);
  }
  // Cloud account ids: "5b10ac8d82e05b22cc7d4ef5" or "712020:uuid".
  if (jira.cloud && (/^[0-9a-f]{24}$/i.test(value) || /^\d+:[0-9a-f-]{36}$/i.test(value))) return value;
  const found = await jira.findUsers(value, 20, signal);
  const lower = value.toLowerCase();
  const exact = found.filter((u) =>
    [u.emailAddress, u.displayName, u.name, u.key, u.accountId].some(
      (x) => typeof x === 'string' && x.toLowerCase() === lower,
    ),
  );
  const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
  if (pick) return String(jira.cloud ? pick.accountId : pick.name);
  if (found.length === 0) throw new InputError(`Invalid argument \`${argument}\`: no Jira user matches "${value}".`);
  const options = found
    .slice(0, 8)
    .map((u) => `${String(u.displayName)} (${String(jira.cloud ? u.accountId : u.name)})`)
    .join('; ');
  throw new InputError(
    `Invalid argument \`${argument}\`: "${value}" matches several users: ${options}. Pass an account id or e-mail.`,
  );
}

const NAMED = new Set(['priority', 'resolution', 'security']);

const NAMED_LISTS = new Set(['components', 'fixVersions', 'versions']);

/** Turns friendly field values into what Jira's REST API expects. */
export async function normalizeFields(
  jira: JiraApi,
  input: Json,
  argument: string,
  signal: AbortSignal,
): Promise<Json> {
  const out: Json = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (name === 'description' || name === 'environment')
      out[name] = value === null ? null : await richInput(jira, value, `${argument}.${name}`);
    else if (name === 'assignee' || name === 'reporter') {
      if (value === null || value === '' || (typeof value === 'string' && /^unassigned$/i.test(value)))
        out[name] = null;
      else if (typeof value === 'string') {
        const id = await resolveUser(jira, value, `${argument}.${name}`, signal);
        out[name] = jira.cloud ? { accountId: id } : { name: id };
      } else out[name] = value;
    } else if (NAMED.has(name) && typeof value === 'string')
      out[name] = /^\d+$/.test(value) ? { id: value } : { name: value };
    else if (NAMED_LISTS.has(name) && (typeof value === 'string' || Array.isArray(value))) {
      out[name] = (list(value) ?? []).map((v) =>
        typeof v === 'string' ? (/^\d+$/.test(v) ? { id: v } : { name: v }) : v,
      );
    } else if (name === 'labels' && typeof value === 'string') out[name] = list(value) ?? [];
    else if ((name === 'parent' || name === 'epicKey' || name === 'epic_link') && typeof value === 'string')
      out.parent = { key: value };
    else if (name === 'issuetype' && typeof value === 'string')
      out[name] = /^\d+$/.test(value) ? { id: value } : { name: value };
    else out[name] = value;
  }
  return out;
}

/** A JSON array argument (mcp-atlassian passes these as JSON text). */
export function jsonArray(value: unknown, argument: string, max: number): unknown[] {
  let items: unknown = value;
  if (typeof value === 'string') {
    try {
      items = JSON.parse(value);
    } catch {
      throw new InputError(
        `Invalid argument \`${argument}\`: not valid JSON. Pass a JSON array of objects, e.g. [{"name":"…"}].`,
      );
    }
  }
  if (!Array.isArray(items))
    throw new InputError(`Invalid argument \`${argument}\`: expected a JSON array of objects.`);
  if (items.length === 0) throw new InputError(`Invalid argument \`${argument}\`: the array is empty.`);
  if (items.length > max)
    throw new InputError(
      `Invalid argument \`${argument}\`: ${items.length} items; at most ${max} per call. Split the list over several calls.`,
    );
  items.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new InputError(`Invalid argument \`${argument}[${i}]\`: expected an object.`);
  });
  return items;
}

export function requiredText(item: Json, name: string, argument: string): string {
  const value = item[name];
  if (typeof value !== 'string' || !value.trim())
    throw new InputError(`Missing required argument \`${argument}.${name}\`.`);
  return value.trim();
}
