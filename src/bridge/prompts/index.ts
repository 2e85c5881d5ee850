// Prompts for the chat's `/` menu. Each one tells the model which of the bridge's tools to call, with
// which arguments, and what to make of the answers; a prompt is listed only while the tools it
// relies on are exposed. Their text is model-facing and stays English.
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { InputError } from '../schema';
import { quoteValue } from '../scope';
import type { ToolContext } from '../tooling';
import type { CompletionHost } from '../resources/completions';
import { readResource } from '../resources/read';
import { resourceUri } from '../resources/uris';
import { resolveSite } from '../sites';

interface PromptArgument {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

interface PromptDef {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgument[];
  /** Tools it cannot do without. */
  readonly needs: readonly string[];
  build(args: Record<string, string>, host: CompletionHost, ctx: ToolContext): Promise<PromptMessage[]>;
}

type PromptMessage = { role: 'user'; content: Record<string, unknown> };

const SITE_ARG: PromptArgument = { name: 'site', description: 'Site name (when several are connected)' };

const text = (value: string): PromptMessage => ({ role: 'user', content: { type: 'text', text: value } });

/** ` site="…"` for tool calls when a site was chosen. */
const siteArg = (args: Record<string, string>) => (args.site ? `, site=${JSON.stringify(args.site)}` : '');

const workOnIssue: PromptDef = {
  name: 'work_on_issue',
  title: 'Work on a Jira issue',
  description: 'Read an issue with its links and comments, then propose a plan to do it.',
  arguments: [{ name: 'issue_key', description: 'Issue key, e.g. ENG-12', required: true }, SITE_ARG],
  needs: ['jira_get_issue'],
  async build(args, host, ctx) {
    const key = args.issue_key!.trim().toUpperCase();
    const steps = [
      `I want to work on Jira issue ${key}. Its current content is attached below (a read of jira_get_issue).`,
      '',
      'Before proposing anything:',
      `1. For each linked issue, sub-task and the parent named in it, call jira_get_issue with issue_key=<that key>, fields="summary,status,issuetype,assignee"${siteArg(args)} to know where they stand.`,
      `2. If it has more comments than shown, call jira_get_issue with issue_key=${JSON.stringify(key)}, comment_limit=100${siteArg(args)}.`,
      host.tool('jira_get_transitions')
        ? `3. Call jira_get_transitions with issue_key=${JSON.stringify(key)}${siteArg(args)} to see which statuses it can move to and what each needs.`
        : '3. (Transitions are not available from this bridge; skip them.)',
      '4. Look in this workspace for the code, tests and documents the issue concerns.',
      '',
      'Then give me: a one-paragraph understanding of the goal, open questions (ambiguities, missing acceptance criteria, blockers from links), and a step-by-step plan with the files you expect to change and how to test it. Do not change the issue or the code until I agree to the plan.',
    ];
    const site = (await resolveSite(ctx.directory, args.site, 'jira', ctx.signal)).name;
    const uri = resourceUri({ kind: 'issue', site, key });
    const read = await readResource(host, uri, ctx.signal);
    const issue = read.contents[0]!;
    return [text(steps.join('\n')), { role: 'user', content: { type: 'resource', resource: issue } }];
  },
};

/** A board by name (exactly, else the only match), read now so the prompt needs only jira_search. */
async function boardNamed(args: Record<string, string>, host: CompletionHost, ctx: ToolContext) {
  const tool = host.readTool('jira_get_agile_boards');
  if (!tool)
    throw new InputError('Boards cannot be read from this bridge; give `jql` or `project` instead of `board`.');
  const boards = (await tool.run({ board_name: args.board, site: args.site, limit: 50 }, ctx)) as {
    id: number;
    name: string;
    type?: string;
    project?: string;
  }[];
  const exact = boards.filter((b) => b.name.toLowerCase() === args.board!.toLowerCase());
  const board = exact.length === 1 ? exact[0] : boards.length === 1 ? boards[0] : undefined;
  if (!board)
    throw new InputError(
      `No single board named "${args.board}"${boards.length > 0 ? `; boards found: ${boards.map((b) => b.name).join(', ')}` : ''}.`,
    );
  return board;
}

/** The board's active sprints (JQL `sprint in (…)`), or for a board without sprints its project's open and just-resolved work. */
async function boardSearch(
  args: Record<string, string>,
  host: CompletionHost,
  ctx: ToolContext,
): Promise<{ scope: string; jql: string }> {
  const board = await boardNamed(args, host, ctx);
  const sprintsTool = host.readTool('jira_get_sprints_from_board');
  const sprints =
    board.type === 'kanban' || !sprintsTool
      ? []
      : ((await sprintsTool.run({ board_id: board.id, state: 'active', site: args.site }, ctx)) as {
          id: number;
          name: string;
        }[]);
  if (sprints.length > 0)
    return {
      scope: `Board "${board.name}", active sprint ${sprints.map((s) => `"${s.name}"`).join(', ')}.`,
      jql: `sprint in (${sprints.map((s) => s.id).join(', ')}) ORDER BY status ASC, updated DESC`,
    };
  if (board.project)
    return {
      scope: `Board "${board.name}" has no active sprint: its project's open work and what was resolved since yesterday.`,
      jql: `project = ${quoteValue(board.project)} AND (statusCategory != Done OR resolved >= -1d) ORDER BY status ASC, updated DESC`,
    };
  throw new InputError(`Board "${board.name}" has no active sprint and no single project; give \`jql\` instead.`);
}

const standup: PromptDef = {
  name: 'standup_summary',
  title: 'Stand-up summary',
  description: "Summarize a board's active sprint, or any JQL result, for a stand-up.",
  arguments: [
    { name: 'board', description: "Board name; its active sprint is summarized (default: the project's open sprints)" },
    { name: 'project', description: 'Project key, when no board or JQL is given' },
    { name: 'jql', description: 'JQL to summarize instead of a sprint' },
    SITE_ARG,
  ],
  needs: ['jira_search'],
  async build(args, host, ctx) {
    const fields = 'summary,status,assignee,priority,issuetype,updated,flagged';
    const search = (jql: string) =>
      `Call jira_search with jql=${JSON.stringify(jql)}, fields=${JSON.stringify(fields)}, limit=100${siteArg(args)}; follow next_page_token until there is none.`;
    let find: string;
    if (args.jql) find = search(args.jql);
    else if (args.board) {
      const { scope, jql } = await boardSearch(args, host, ctx);
      find = `${scope}\n${search(jql)}`;
    } else {
      const project = args.project ? `project = ${quoteValue(args.project.toUpperCase())} AND ` : '';
      find = search(`${project}sprint in openSprints() ORDER BY status ASC, updated DESC`);
    }
    return [
      text(
        [
          'Prepare my stand-up from Jira.',
          '',
          find,
          '',
          'Then write a short summary, grouped by person: what moved to done since the last working day, what is in progress, and what is blocked or flagged (say why when the issue says so). End with risks: work not started late in the sprint, issues nobody owns, and anything updated by others that I should look at. Quote issue keys so I can open them. Say how many issues you looked at, and if the search said there were more than you read.',
        ].join('\n'),
      ),
    ];
  },
};

const releaseNotes: PromptDef = {
  name: 'release_notes',
  title: 'Draft release notes',
  description: 'Draft release notes from the issues of a fix version.',
  arguments: [
    { name: 'project', description: 'Project key, e.g. ENG', required: true },
    { name: 'version', description: 'Fix version name, e.g. 2.4.0', required: true },
    SITE_ARG,
  ],
  needs: ['jira_search'],
  async build(args, host) {
    const project = args.project!.trim().toUpperCase();
    const version = args.version!.trim();
    const jql = `project = ${quoteValue(project)} AND fixVersion = ${quoteValue(version)} ORDER BY issuetype ASC, key ASC`;
    return [
      text(
        [
          `Draft release notes for ${project} ${version}.`,
          '',
          host.tool('jira_get_project_versions')
            ? `1. Call jira_get_project_versions with project_key=${JSON.stringify(project)}${siteArg(args)} for the version's description, release state and date.`
            : '1. (Version details are not available from this bridge; leave the date out.)',
          `2. Call jira_search with jql=${JSON.stringify(jql)}, fields="summary,issuetype,status,resolution,labels,components,priority", limit=100${siteArg(args)}; follow next_page_token until there is none.`,
          '',
          'Write Markdown for users, not developers: a title with the version and date, a two-sentence overview, then sections New features, Improvements, Bug fixes (by issue type; components as sub-headings when there are several), each line a plain-language sentence ending with the issue key. Leave out sub-tasks and anything not resolved, and list those separately under "Not done yet" for me to check. Do not invent changes the issues do not describe.',
        ].join('\n'),
      ),
    ];
  },
};

const PROMPTS: readonly PromptDef[] = [workOnIssue, standup, releaseNotes];

function offered(host: CompletionHost): PromptDef[] {
  return PROMPTS.filter((p) => p.needs.every((name) => host.tool(name)));
}

export function listPrompts(host: CompletionHost): Record<string, unknown>[] {
  return offered(host).map(({ name, title, description, arguments: args }) => ({
    name,
    title,
    description,
    arguments: args,
  }));
}

export async function getPrompt(
  host: CompletionHost,
  name: string,
  args: Record<string, string> | undefined,
  signal: AbortSignal,
): Promise<{ description: string; messages: PromptMessage[] }> {
  const prompt = offered(host).find((p) => p.name === name);
  if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt "${name}".`);
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(args ?? {}))
    if (typeof value === 'string' && value.trim()) given[key] = value.trim();
  const known = new Set(prompt.arguments.map((a) => a.name));
  const unknown = Object.keys(given).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Unknown argument ${unknown.join(', ')} for prompt ${name}; it takes ${[...known].join(', ')}.`,
    );
  const missing = prompt.arguments.filter((a) => a.required && !given[a.name]).map((a) => a.name);
  if (missing.length > 0)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Missing argument ${missing.join(', ')} for prompt ${name}.`,
    );
  const ctx: ToolContext = { config: host.config, directory: host.directory, signal };
  try {
    return { description: prompt.description, messages: await prompt.build(given, host, ctx) };
  } catch (err) {
    // A site that does not fit is the caller's to fix, as for a tool's `site`.
    throw err instanceof InputError ? new ProtocolError(ProtocolErrorCode.InvalidParams, err.message) : err;
  }
}
