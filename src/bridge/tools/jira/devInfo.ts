// Development information (toolset jira_development): the branches, commits and pull requests that
// GitHub, GitLab, Bitbucket and other tools linked to issues, as the issue's Development panel shows
// them. Jira serves it from the dev-status API (/rest/dev-status/1.0) on Cloud and Data Center alike.
import { AtlassianError } from '../../../atlassian/errors';
import type { Json, JiraApi } from '../../../atlassian/jira';
import { devStatusDetail, devStatusSummary } from '../../../atlassian/jiraToolbox';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { ISSUE_KEY, attempt, list } from './shared';
import { issueRefs, lookupIssue, refuseClaimedOutside } from './issueLookup';
import { textOf } from '../../../core/text';

const DATA_TYPES = ['pullrequest', 'branch', 'repository'] as const;

/** Commits listed per issue; the rest are counted. */
const MAX_COMMITS = 50;

const MAX_ISSUES = 20;

const PARAMS = {
  application_type: p.str(
    'Only this tool, as Jira names it (case-sensitive): GitHub, githube (GitHub Enterprise), GitLab, bitbucket, stash (Bitbucket Data Center). Default: every tool that has data',
  ),
  data_type: p.str('Only pullrequest, branch or repository (commits); comma-separated; default all three'),
};

function dataTypes(value: unknown): string[] {
  const asked = list(value) ?? [...DATA_TYPES];
  const bad = asked.find((t) => !(DATA_TYPES as readonly string[]).includes(t));
  if (bad) throw new InputError(`Invalid argument \`data_type\`: "${bad}"; expected one of ${DATA_TYPES.join(', ')}.`);
  return asked;
}

const named = (v: unknown): string | undefined => textOf((v as Json | undefined)?.name, '') || undefined;
const firstLine = (text: unknown): string | undefined => textOf(text, '').split('\n')[0] || undefined;

/** The tools (application types) that hold data of the wanted types, from the summary. */
function toolsWithData(summary: Json, types: readonly string[]): string[] {
  const tools = new Set<string>();
  for (const type of types) {
    const byInstance = ((summary[type] as Json | undefined)?.byInstanceType as Json | undefined) ?? {};
    for (const [tool, count] of Object.entries(byInstance))
      if (Number((count as Json | undefined)?.count ?? 0) > 0) tools.add(tool);
  }
  return [...tools];
}

interface DevInfo {
  pull_requests: Json[];
  branches: Json[];
  commits: Json[];
  errors: string[];
}

function collect(info: DevInfo, detail: Json): void {
  for (const e of (detail.errors as unknown[] | undefined) ?? [])
    info.errors.push(textOf((e as Json | undefined)?.message, textOf(e, JSON.stringify(e))));
  for (const d of (detail.detail as Json[] | undefined) ?? []) {
    const tool = named(d._instance) ?? textOf((d._instance as Json | undefined)?.type, '');
    for (const pr of (d.pullRequests as Json[] | undefined) ?? [])
      info.pull_requests.push(
        prune({
          id: pr.id,
          title: pr.name,
          status: pr.status,
          url: pr.url,
          author: named(pr.author),
          source_branch: textOf((pr.source as Json | undefined)?.branch, '') || undefined,
          destination_branch: textOf((pr.destination as Json | undefined)?.branch, '') || undefined,
          repository: pr.repositoryName,
          reviewers: Array.isArray(pr.reviewers)
            ? (pr.reviewers as Json[]).map((r) => `${textOf(r.name)}${r.approved === true ? ' (approved)' : ''}`)
            : undefined,
          comments: typeof pr.commentCount === 'number' ? pr.commentCount : undefined,
          updated: shortDate(pr.lastUpdate),
          tool,
        }),
      );
    for (const b of (d.branches as Json[] | undefined) ?? [])
      info.branches.push(
        prune({
          name: b.name,
          url: b.url,
          repository: named(b.repository),
          last_commit: textOf((b.lastCommit as Json | undefined)?.displayId, '') || undefined,
          tool,
        }),
      );
    for (const repo of (d.repositories as Json[] | undefined) ?? [])
      for (const c of (repo.commits as Json[] | undefined) ?? [])
        info.commits.push(
          prune({
            id: c.displayId ?? c.id,
            message: firstLine(c.message),
            author: named(c.author),
            date: shortDate(c.authorTimestamp),
            url: c.url,
            files: typeof c.fileCount === 'number' ? c.fileCount : undefined,
            merge: c.merge === true ? true : undefined,
            repository: repo.name,
            tool,
          }),
        );
  }
}

async function devInfoOf(
  ctx: ToolContext,
  jira: JiraApi,
  issue: Json,
  applicationType: string | undefined,
  types: readonly string[],
): Promise<Json> {
  const key = textOf(issue.key);
  const id = textOf(issue.id);
  const summary = (await attempt(`Development information of ${key}`, () => devStatusSummary(jira, id, ctx.signal)))
    .summary as Json | undefined;
  const tools = applicationType ? [applicationType] : toolsWithData(summary ?? {}, types);
  const info: DevInfo = { pull_requests: [], branches: [], commits: [], errors: [] };
  for (const tool of tools)
    for (const type of types)
      collect(
        info,
        await attempt(`Development information of ${key}`, () => devStatusDetail(jira, id, tool, type, ctx.signal)),
      );
  const count = (type: string) =>
    Number(((summary?.[type] as Json | undefined)?.overall as Json | undefined)?.count ?? 0);
  const commits = info.commits.slice(0, MAX_COMMITS);
  const nothing = info.pull_requests.length + info.branches.length + info.commits.length === 0;
  return prune({
    key,
    summary: { pull_requests: count('pullrequest'), branches: count('branch'), commits: count('repository') },
    tools: tools.length > 0 ? tools : undefined,
    pull_requests: types.includes('pullrequest') ? info.pull_requests : undefined,
    branches: types.includes('branch') ? info.branches : undefined,
    commits: types.includes('repository') ? commits : undefined,
    note:
      commits.length < info.commits.length
        ? `${commits.length} of ${info.commits.length} commits; open the issue's Development panel for the rest.`
        : nothing
          ? `No ${types.join(', ')} data is linked to ${key}${applicationType ? ` from ${applicationType}` : ''}.`
          : undefined,
    errors: info.errors.length > 0 ? info.errors : undefined,
  });
}

export const jiraGetIssueDevelopmentInfo: ToolDef = {
  name: 'jira_get_issue_development_info',
  title: 'Get Jira issue development info',
  description:
    "Branches, commits and pull requests (with status, author, reviewers) linked to an issue from GitHub, GitLab, Bitbucket and other tools: the issue's Development panel. Cloud and Data Center.",
  toolset: 'jira_development',
  product: 'jira',
  params: { issue_key: ISSUE_KEY, ...PARAMS },
  required: ['issue_key'],
  async run(args, ctx) {
    const types = dataTypes(args.data_type);
    const { jira } = await jiraFor(ctx, args);
    const issue = await lookupIssue(ctx, jira, textOf(args.issue_key).trim().toUpperCase());
    return devInfoOf(ctx, jira, issue, args.application_type as string | undefined, types);
  },
};

export const jiraGetIssuesDevelopmentInfo: ToolDef = {
  name: 'jira_get_issues_development_info',
  title: 'Get Jira issues development info',
  description: `Branches, commits and pull requests linked to several issues at once (up to ${MAX_ISSUES}), e.g. to see which issues of a sprint have open or merged pull requests.`,
  toolset: 'jira_development',
  product: 'jira',
  params: { issue_keys: p.str(`Comma-separated issue keys, at most ${MAX_ISSUES}, e.g. PROJ-1,PROJ-2`), ...PARAMS },
  required: ['issue_keys'],
  async run(args, ctx) {
    const types = dataTypes(args.data_type);
    const refs = issueRefs(args.issue_keys, 'issue_keys', MAX_ISSUES);
    refuseClaimedOutside(ctx, refs);
    const { jira } = await jiraFor(ctx, args);
    const results: Json[] = [];
    for (const ref of refs) {
      let issue: Json;
      try {
        issue = await lookupIssue(ctx, jira, ref);
      } catch (err) {
        // One unknown key is reported in its place; any other failure ends the call.
        if (err instanceof AtlassianError && err.kind === 'notFound') {
          results.push({ key: ref, error: err.message });
          continue;
        }
        throw err;
      }
      results.push(await devInfoOf(ctx, jira, issue, args.application_type as string | undefined, types));
    }
    return results;
  },
};
