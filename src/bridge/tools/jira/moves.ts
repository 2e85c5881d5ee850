// Moving issues: to another project (Cloud's bulk move, toolset jira_issues) and out of their sprint
// into the backlog (Jira Software, toolset jira_agile).
import type { Json, JiraApi } from '../../../atlassian/jira';
import { bulkTask, moveToBacklog, submitMove } from '../../../atlassian/jiraToolbox';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { ISSUE_KEY, attempt } from './shared';
import { issueRefs, lookupIssue, projectKeyArg, projectOf, refuseClaimedOutside } from './issueLookup';
import { textOf } from '../../../core/text';

/** How long jira_move_issue waits for Jira's move task before handing back its id. */
const MOVE_WAIT_MS = 30_000;

const FINISHED = new Set(['COMPLETE', 'FAILED', 'CANCELLED', 'CANCEL_REQUESTED', 'DEAD']);

/** Jira runs a bulk move as a task with no completion event: its progress is read until it ends, backing off. */
async function awaitTask(jira: JiraApi, taskId: string, signal: AbortSignal): Promise<Json> {
  const started = Date.now();
  for (let delay = 250; ; delay = Math.min(delay * 2, 4000)) {
    const task = await bulkTask(jira, taskId, signal);
    if (FINISHED.has(textOf(task.status, '')) || Date.now() - started + delay > MOVE_WAIT_MS) return task;
    // node:timers/promises would load at every start; this is the only wait here.
    const { setTimeout: sleep } = await import('node:timers/promises');
    await sleep(delay, undefined, { signal });
  }
}

/** The reasons Jira gave for issues it did not move (`failedAccessibleIssues: {id: [reason…]}`). */
function failures(task: Json): string[] {
  const failed = (task.failedAccessibleIssues as Json | undefined) ?? {};
  return Object.entries(failed).map(([id, reasons]) => {
    const text = Array.isArray(reasons) ? reasons.map((r) => textOf(r, JSON.stringify(r))).join('; ') : textOf(reasons);
    return `issue ${id}: ${text}`;
  });
}

async function targetType(ctx: ToolContext, jira: JiraApi, project: string, type: Json): Promise<string> {
  const types = await attempt(`Project ${project}`, () => jira.issueTypes(project, ctx.signal));
  const name = textOf(type.name, '').toLowerCase();
  const match = types.find((t) => textOf(t.name, '').toLowerCase() === name);
  if (!match)
    throw new InputError(
      `Invalid argument \`target_project_key\`: ${project} has no issue type "${textOf(type.name)}" (it has ${types.map((t) => textOf(t.name)).join(', ')}). Change the issue's type first, or move it in Jira.`,
    );
  return textOf(match.id);
}

export const jiraMoveIssue: ToolDef = {
  name: 'jira_move_issue',
  title: 'Move Jira issue to project',
  description:
    "Move an issue to another project (Jira Cloud only): it keeps its issue type and gets a new key (the old key keeps resolving); Jira keeps field values the target project allows and picks defaults for status and required fields. Sub-tasks move with their parent. Jira Data Center has no API for this: move it in Jira's issue view.",
  toolset: 'jira_issues',
  product: 'jira',
  write: true,
  destructive: true,
  params: { issue_key: ISSUE_KEY, target_project_key: p.str('Project to move it to, e.g. OPS') },
  required: ['issue_key', 'target_project_key'],
  async run(args, ctx) {
    const ref = textOf(args.issue_key).trim().toUpperCase();
    refuseClaimedOutside(ctx, [ref]);
    const target = projectKeyArg(ctx, args.target_project_key, 'target_project_key');
    const { site, jira } = await jiraFor(ctx, args);
    if (!jira.cloud)
      throw new InputError(
        "Moving an issue to another project has no REST API on Jira Data Center; use More (…) → Move in the issue's view in Jira. Nothing was changed.",
      );
    const issue = await lookupIssue(ctx, jira, ref, ['issuetype', 'parent']);
    const key = textOf(issue.key);
    if (projectOf(issue) === target)
      throw new InputError(`Invalid argument \`target_project_key\`: ${key} is already in ${target}.`);
    const type = ((issue.fields as Json | undefined)?.issuetype as Json | undefined) ?? {};
    if (type.subtask === true)
      throw new InputError(
        `${key} is a sub-task: sub-tasks move with their parent. Move ${textOf(((issue.fields as Json).parent as Json | undefined)?.key, 'its parent')} instead.`,
      );
    const typeId = await targetType(ctx, jira, target, type);
    const taskId = await attempt(`Issue ${key}`, () =>
      submitMove(jira, { targetProject: target, targetIssueTypeId: typeId, issues: [key] }, ctx.signal),
    );
    const task = await awaitTask(jira, taskId, ctx.signal);
    const status = textOf(task.status, '');
    if (!FINISHED.has(status))
      return {
        moved_from: key,
        status: status || 'RUNNING',
        task_id: taskId,
        note: `Jira is still moving it. Read it with jira_get_issue ${key} in a minute: the old key keeps resolving to the new one.`,
      };
    const reasons = failures(task);
    if (status !== 'COMPLETE' || reasons.length > 0 || Number(task.invalidOrInaccessibleIssueCount ?? 0) > 0)
      throw new InputError(
        `Jira did not move ${key} (task ${taskId}: ${status}${reasons.length > 0 ? `; ${reasons.join(' | ')}` : ''}).`,
      );
    const moved = await attempt(`Issue ${key}`, () =>
      jira.getIssue(textOf(issue.id), { fields: ['project', 'status'], signal: ctx.signal }),
    );
    const newKey = textOf(moved.key);
    return prune({
      moved_from: key,
      key: newKey,
      project: projectOf(moved),
      status: textOf(((moved.fields as Json | undefined)?.status as Json | undefined)?.name, '') || undefined,
      url: site.browseUrl(newKey),
    });
  },
};

/** Jira Software's limit per backlog move. */
const MAX_BACKLOG_ISSUES = 50;

export const jiraMoveIssuesToBacklog: ToolDef = {
  name: 'jira_move_issues_to_backlog',
  title: 'Move Jira issues to backlog',
  description: `Take issues out of their sprint and put them back in the backlog (up to ${MAX_BACKLOG_ISSUES}); issues in no sprint stay where they are.`,
  toolset: 'jira_agile',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { issue_keys: p.str(`Comma-separated issue keys, e.g. PROJ-1,PROJ-2`) },
  required: ['issue_keys'],
  async run(args, ctx) {
    const refs = issueRefs(args.issue_keys, 'issue_keys', MAX_BACKLOG_ISSUES);
    refuseClaimedOutside(ctx, refs);
    const { jira } = await jiraFor(ctx, args);
    if (ctx.config.projectsFilter) for (const ref of refs) await lookupIssue(ctx, jira, ref);
    await attempt(`Issues ${refs.join(', ')}`, () => moveToBacklog(jira, refs, ctx.signal));
    return { moved_to_backlog: refs };
  },
};
