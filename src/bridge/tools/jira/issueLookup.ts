// Issues and projects named by arguments, checked against JIRA_PROJECTS_FILTER the way allowIssue
// does (the key's prefix first, with nothing sent; then the project Jira says the issue is in now),
// for tools that also need what Jira answered: the numeric id, the issue type, the current key.
import { withNotFound, type Json, type JiraApi } from '../../../atlassian/jira';
import { InputError } from '../../schema';
import { projectOfIssueKey } from '../../scope';
import type { ToolContext } from '../../tooling';
import { textOf } from '../../../core/text';
import { allowProject, list, outsideProjects } from './shared';

const ISSUE_REF = /^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/;

/** Issue keys (or numeric ids) from a list argument: at least one, at most `max`, each shaped like one. */
export function issueRefs(value: unknown, argument: string, max: number): string[] {
  const refs = [...new Set((list(value) ?? []).map((k) => k.toUpperCase()))];
  if (refs.length === 0)
    throw new InputError(`Missing required argument \`${argument}\`: give at least one issue key.`);
  if (refs.length > max)
    throw new InputError(
      `Invalid argument \`${argument}\`: ${refs.length} issues; at most ${max} per call. Split the list over several calls.`,
    );
  const bad = refs.find((k) => !ISSUE_REF.test(k));
  if (bad) throw new InputError(`Invalid argument \`${argument}\`: "${bad}" is not an issue key such as PROJ-123.`);
  return refs;
}

/** A project key argument, upper-cased, shaped like a key and inside the projects filter. */
export function projectKeyArg(ctx: ToolContext, value: unknown, argument: string): string {
  const key = textOf(value, '').trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9_]*$/.test(key))
    throw new InputError(`Invalid argument \`${argument}\`: "${textOf(value, '')}" is not a project key such as PROJ.`);
  allowProject(ctx, key, argument);
  return key;
}

/** Refuses, before anything is sent, keys whose own prefix is outside the projects filter. */
export function refuseClaimedOutside(ctx: ToolContext, refs: readonly string[]): void {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  for (const ref of refs) {
    const claimed = projectOfIssueKey(ref);
    if (claimed && !allowed.includes(claimed)) throw outsideProjects(ref, allowed);
  }
}

/**
 * The issue with `fields` (and always its project), once the projects filter allows it: a key's
 * prefix is checked before the request, and the project Jira answers with after it (a moved issue
 * keeps its old key resolving).
 */
export async function lookupIssue(
  ctx: ToolContext,
  jira: JiraApi,
  ref: string,
  fields: readonly string[] = [],
): Promise<Json> {
  refuseClaimedOutside(ctx, [ref]);
  const issue = await jira
    .getIssue(ref, { fields: [...new Set(['project', ...fields])], signal: ctx.signal })
    .catch((err: unknown) => Promise.reject(withNotFound(err, `Issue ${ref}`)));
  const allowed = ctx.config.projectsFilter;
  if (allowed) {
    const project = textOf(((issue.fields as Json | undefined)?.project as Json | undefined)?.key, '').toUpperCase();
    const current = projectOfIssueKey(textOf(issue.key, ''));
    if (!project || !allowed.includes(project) || !current || !allowed.includes(current))
      throw outsideProjects(ref, allowed);
  }
  return issue;
}

/** The project key of an issue Jira returned. */
export function projectOf(issue: Json): string {
  return textOf(((issue.fields as Json | undefined)?.project as Json | undefined)?.key, '').toUpperCase();
}
