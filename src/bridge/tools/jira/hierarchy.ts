// Looking across projects (toolset jira_project_analysis): which initiatives or parent issues a
// project's epics roll up to, and which issues in other projects its issues are linked with.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { prune } from '../../format';
import { p } from '../../schema';
import { projectOfIssueKey, quoteValue } from '../../scope';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { projectKeyArg } from './issueLookup';
import { textOf } from '../../../core/text';

/** Link labels that make the issue carrying them the child ("is child of"), as mcp-atlassian reads them. */
const CHILD_OF: ReadonlySet<string> = new Set(['is child of', 'is contained by', 'split from']);

interface Scan {
  readonly issues: Json[];
  /** Jira had more than were read. */
  readonly more: boolean;
}

/** Up to `max` issues of a JQL query, page after page (Cloud: tokens; Data Center: offsets). */
async function scan(
  jira: JiraApi,
  jql: string,
  fields: readonly string[],
  max: number,
  signal: AbortSignal,
): Promise<Scan> {
  const issues: Json[] = [];
  let token: string | undefined;
  let startAt: number | undefined = 0;
  for (;;) {
    const page = await jira.search({
      jql,
      fields,
      limit: Math.min(100, max - issues.length),
      pageToken: token,
      startAt,
      signal,
    });
    issues.push(...page.issues);
    token = page.nextPageToken;
    startAt = page.nextStartAt;
    const more = token !== undefined || startAt !== undefined;
    if (!more || issues.length >= max || page.issues.length === 0) return { issues: issues.slice(0, max), more };
  }
}

const fieldsOf = (issue: Json): Json => (issue.fields as Json | undefined) ?? {};
const nameOf = (value: unknown): string | undefined => textOf((value as Json | undefined)?.name, '') || undefined;

/** The issue's parent: its `parent` field, else a link whose label on this issue's side says "child of". */
function parentOf(issue: Json): { key: string; via: string } | undefined {
  const f = fieldsOf(issue);
  const parent = textOf((f.parent as Json | undefined)?.key, '');
  if (parent) return { key: parent, via: 'parent' };
  for (const link of (f.issuelinks as Json[] | undefined) ?? []) {
    const type = (link.type as Json | undefined) ?? {};
    for (const [side, label] of [
      ['inwardIssue', type.inward],
      ['outwardIssue', type.outward],
    ] as const) {
      const other = textOf((link[side] as Json | undefined)?.key, '');
      const said = textOf(label, '').toLowerCase();
      if (other && CHILD_OF.has(said)) return { key: other, via: `link "${said}"` };
    }
  }
  return undefined;
}

const allowedKey = (ctx: ToolContext, key: string): boolean =>
  !ctx.config.projectsFilter || ctx.config.projectsFilter.includes(projectOfIssueKey(key) ?? '');

export const jiraGetProjectEpicHierarchy: ToolDef = {
  name: 'jira_get_project_epic_hierarchy',
  title: 'Get Jira epic hierarchy',
  description:
    'A project\'s epics grouped under the issues they roll up to (initiatives, themes, parents in other projects), found from each epic\'s parent or a "child of" link; epics without one are listed apart. For roadmaps and portfolio questions.',
  toolset: 'jira_project_analysis',
  product: 'jira',
  params: {
    project_key: p.str('Project key, e.g. PROJ'),
    max_epics: p.int('Most epics to read (default 200)', 1, 500),
  },
  required: ['project_key'],
  async run(args, ctx) {
    const key = projectKeyArg(ctx, args.project_key, 'project_key');
    const { jira } = await jiraFor(ctx, args);
    const epics = await scan(
      jira,
      `project = ${quoteValue(key)} AND issuetype = Epic ORDER BY updated DESC`,
      ['summary', 'status', 'parent', 'issuelinks'],
      (args.max_epics as number | undefined) ?? 200,
      ctx.signal,
    );
    const groups = new Map<string, { via: string; epics: Json[] }>();
    const unlinked: Json[] = [];
    for (const epic of epics.issues) {
      const row = prune({ key: epic.key, summary: fieldsOf(epic).summary, status: nameOf(fieldsOf(epic).status) });
      const parent = parentOf(epic);
      if (!parent) unlinked.push(row);
      else {
        const group = groups.get(parent.key) ?? { via: parent.via, epics: [] };
        group.epics.push(row);
        groups.set(parent.key, group);
      }
    }
    // Parents in allowed projects are named; others (outside JIRA_PROJECTS_FILTER) stay keys only.
    const readable = [...groups.keys()].filter((k) => allowedKey(ctx, k));
    const parents = new Map<string, Json>();
    if (readable.length > 0) {
      const found = await scan(
        jira,
        `key in (${readable.map(quoteValue).join(',')})`,
        ['summary', 'status', 'issuetype'],
        readable.length,
        ctx.signal,
      );
      for (const issue of found.issues) parents.set(textOf(issue.key), issue);
    }
    return prune({
      project_key: key,
      total_epics: epics.issues.length,
      note: epics.more
        ? `Only the ${epics.issues.length} most recently updated epics were read; raise max_epics.`
        : undefined,
      groups: [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([parentKey, group]) => {
          const issue = parents.get(parentKey);
          const f = issue ? fieldsOf(issue) : {};
          return {
            parent: prune({
              key: parentKey,
              project: projectOfIssueKey(parentKey),
              summary: f.summary,
              type: nameOf(f.issuetype),
              status: nameOf(f.status),
              via: group.via,
            }),
            epics: group.epics,
          };
        }),
      unlinked: unlinked.length > 0 ? unlinked : undefined,
    });
  },
};

export const jiraGetCrossProjectDependencies: ToolDef = {
  name: 'jira_get_cross_project_dependencies',
  title: 'Get Jira cross-project dependencies',
  description:
    "Issue links from a project's issues to issues in other projects (blocks, is blocked by, relates to…), grouped by the other project and the link: dependency and risk analysis across teams.",
  toolset: 'jira_project_analysis',
  product: 'jira',
  params: {
    project_key: p.str('Project key, e.g. PROJ'),
    max_issues: p.int("Most of the project's issues to scan, most recently updated first (default 200)", 1, 500),
  },
  required: ['project_key'],
  async run(args, ctx) {
    const key = projectKeyArg(ctx, args.project_key, 'project_key');
    const { jira } = await jiraFor(ctx, args);
    const scanned = await scan(
      jira,
      `project = ${quoteValue(key)} ORDER BY updated DESC`,
      ['summary', 'status', 'issuelinks'],
      (args.max_issues as number | undefined) ?? 200,
      ctx.signal,
    );
    const byProject = new Map<string, Map<string, Json[]>>();
    let total = 0;
    for (const issue of scanned.issues) {
      for (const link of (fieldsOf(issue).issuelinks as Json[] | undefined) ?? []) {
        const type = (link.type as Json | undefined) ?? {};
        const outward = link.outwardIssue as Json | undefined;
        const other = outward ?? (link.inwardIssue as Json | undefined);
        const otherKey = textOf(other?.key, '');
        const otherProject = projectOfIssueKey(otherKey);
        if (!otherKey || !otherProject || otherProject === key) continue;
        const verb = textOf(outward ? type.outward : type.inward, textOf(type.name, 'linked to'));
        const shown = allowedKey(ctx, otherKey);
        const of = other ? fieldsOf(other) : {};
        const perVerb = byProject.get(otherProject) ?? new Map<string, Json[]>();
        const rows = perVerb.get(verb) ?? [];
        rows.push(
          prune({
            source: issue.key,
            target: otherKey,
            target_summary: shown ? of.summary : undefined,
            target_status: shown ? nameOf(of.status) : undefined,
          }),
        );
        perVerb.set(verb, rows);
        byProject.set(otherProject, perVerb);
        total++;
      }
    }
    return prune({
      project_key: key,
      issues_scanned: scanned.issues.length,
      note: scanned.more
        ? `Only the ${scanned.issues.length} most recently updated issues were scanned; raise max_issues.`
        : undefined,
      cross_project_links: total,
      by_project: Object.fromEntries(
        [...byProject.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([project, verbs]) => [
            project,
            {
              total_links: [...verbs.values()].reduce((n, rows) => n + rows.length, 0),
              by_link: Object.fromEntries(verbs),
            },
          ]),
      ),
    });
  },
};
