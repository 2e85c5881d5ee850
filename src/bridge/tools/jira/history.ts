// What happened to issues over time: changelogs of several issues at once (toolset jira_issues) and an
// issue's dates with its status history and time in each status (toolset jira_metrics).
import type { Json, JiraApi } from '../../../atlassian/jira';
import { bulkChangelogs } from '../../../atlassian/jiraToolbox';
import { changelogView } from '../../issueExtras';
import { personName, prune, shortDate } from '../../format';
import { p } from '../../schema';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { ISSUE_KEY, attempt, list } from './shared';
import { issueRefs, lookupIssue, refuseClaimedOutside } from './issueLookup';
import { textOf } from '../../../core/text';

const MAX_ISSUES = 50;

/** Change entries read per issue at most (Cloud pages them; Data Center sends them all). */
const MAX_HISTORIES = 1000;

/** A history item's new value: `toString` is also every object's method, so only Jira's own member counts. */
const toText = (item: Json): unknown =>
  Object.hasOwn(item, 'toString') ? (item as { toString: unknown }).toString : item.to;

/** Cloud's bulk changelog for these issue ids, every page, grouped by issue id. */
async function cloudChangelogs(
  jira: JiraApi,
  ids: readonly string[],
  fieldIds: readonly string[] | undefined,
  signal: AbortSignal,
): Promise<Map<string, Json[]>> {
  const out = new Map<string, Json[]>(ids.map((id) => [id, []]));
  let token: string | undefined;
  let read = 0;
  do {
    const page = await bulkChangelogs(
      jira,
      { issueIdsOrKeys: ids, fieldIds, maxResults: 1000, nextPageToken: token },
      signal,
    );
    for (const entry of (page.issueChangeLogs as Json[] | undefined) ?? []) {
      const histories = (entry.changeHistories as Json[] | undefined) ?? [];
      out.get(textOf(entry.issueId, ''))?.push(...histories);
      read += histories.length;
    }
    token = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
  } while (token && read < MAX_HISTORIES * ids.length);
  return out;
}

function onlyFields(histories: Json[], fields: readonly string[] | undefined): Json[] {
  if (!fields) return histories;
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  return histories
    .map((h) => ({
      ...h,
      items: ((h.items as Json[] | undefined) ?? []).filter((i) =>
        [i.field, i.fieldId].some((f) => typeof f === 'string' && wanted.has(f.toLowerCase())),
      ),
    }))
    .filter((h) => h.items.length > 0);
}

const byCreated = (a: Json, b: Json): number => Date.parse(textOf(a.created, '')) - Date.parse(textOf(b.created, ''));

export const jiraBatchGetChangelogs: ToolDef = {
  name: 'jira_batch_get_changelogs',
  title: 'Get Jira changelogs',
  description:
    'Change history of several issues at once: who changed which field (status, assignee, sprint, story points…) from what to what, and when, oldest first. `fields` keeps only changes to those fields.',
  toolset: 'jira_issues',
  product: 'jira',
  params: {
    issue_ids_or_keys: p.str(`Comma-separated issue keys or ids, at most ${MAX_ISSUES}, e.g. PROJ-1,PROJ-2`),
    fields: p.str('Comma-separated field names or ids to keep, e.g. status,assignee'),
    limit: p.int('Most recent changes per issue (default -1: all)', -1, 1000),
  },
  required: ['issue_ids_or_keys'],
  async run(args, ctx) {
    const refs = issueRefs(args.issue_ids_or_keys, 'issue_ids_or_keys', MAX_ISSUES);
    refuseClaimedOutside(ctx, refs);
    const { jira } = await jiraFor(ctx, args);
    const fields = list(args.fields);
    // Each issue is read first: its id, its current key, the projects filter, and "not found" by name.
    const issues: Json[] = [];
    for (const ref of refs) issues.push(await lookupIssue(ctx, jira, ref));
    const ids = issues.map((i) => textOf(i.id));
    const histories = jira.cloud
      ? await cloudChangelogs(jira, ids, fields, ctx.signal)
      : new Map(
          await Promise.all(
            issues.map(
              async (i) =>
                [
                  textOf(i.id),
                  await attempt(`Issue ${textOf(i.key)}`, () => jira.changelog(textOf(i.key), ctx.signal)),
                ] as const,
            ),
          ),
        );
    // -1 asks for all, which is still bounded: an issue's history can run to thousands of changes.
    const asked = (args.limit as number | undefined) ?? -1;
    const limit = asked >= 0 ? Math.min(asked, MAX_HISTORIES) : MAX_HISTORIES;
    return issues.map((issue) => {
      const all = onlyFields([...(histories.get(textOf(issue.id)) ?? [])].sort(byCreated), fields);
      const shown = all.slice(Math.max(0, all.length - limit));
      return prune({
        issue_id: textOf(issue.id),
        key: issue.key,
        changelogs: changelogView({ histories: shown }, personName, shortDate) ?? [],
        total: all.length,
        note:
          shown.length < all.length
            ? `${shown.length} of ${all.length} changes (the most recent); ${asked >= 0 && asked < MAX_HISTORIES ? 'raise limit (-1 for all)' : `at most ${MAX_HISTORIES} are returned per issue`}.`
            : undefined,
      });
    });
  },
};

interface StatusChange {
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly by?: string;
}

function statusChanges(histories: readonly Json[]): StatusChange[] {
  const out: StatusChange[] = [];
  for (const h of [...histories].sort(byCreated)) {
    for (const item of (h.items as Json[] | undefined) ?? []) {
      if (item.field !== 'status') continue;
      out.push({
        at: Date.parse(textOf(h.created, '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
        from: textOf(item.fromString ?? item.from, '?'),
        to: textOf(toText(item), '?'),
        by: personName(h.author) ?? undefined,
      });
    }
  }
  return out;
}

const hours = (ms: number): number => Math.round((ms / 3_600_000) * 10) / 10;

/** Time in each status from creation to now, from the status changes (the first status is where the first change left). */
function timeInStatus(created: number, current: string, changes: readonly StatusChange[], now: number): Json[] {
  const spans: { status: string; from: number; to: number }[] = [];
  let status = changes[0]?.from ?? current;
  let since = created;
  for (const change of changes) {
    spans.push({ status, from: since, to: change.at });
    status = change.to;
    since = change.at;
  }
  spans.push({ status, from: since, to: now });
  const totals = new Map<string, { ms: number; visits: number }>();
  for (const s of spans) {
    const t = totals.get(s.status) ?? { ms: 0, visits: 0 };
    t.ms += Math.max(0, s.to - s.from);
    t.visits += 1;
    totals.set(s.status, t);
  }
  return [...totals.entries()].map(([name, t]) =>
    prune({ status: name, hours: hours(t.ms), visits: t.visits, current: name === current ? true : undefined }),
  );
}

async function historiesOf(ctx: ToolContext, jira: JiraApi, key: string): Promise<Json[]> {
  return attempt(`Issue ${key}`, () => jira.changelog(key, ctx.signal));
}

export const jiraGetIssueDates: ToolDef = {
  name: 'jira_get_issue_dates',
  title: 'Get Jira issue dates',
  description:
    "An issue's dates (created, updated, due, resolved, status category changed) with its status history and the time it spent in each status: cycle time, lead time, how long it sat in review.",
  toolset: 'jira_metrics',
  product: 'jira',
  params: {
    issue_key: ISSUE_KEY,
    include_status_changes: p.bool('List each status change with its time (default true)'),
    include_status_summary: p.bool('Total hours spent in each status (default true)'),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const issue = await lookupIssue(ctx, jira, textOf(args.issue_key).trim().toUpperCase(), [
      'created',
      'updated',
      'duedate',
      'resolutiondate',
      'statuscategorychangedate',
      'status',
    ]);
    const key = textOf(issue.key);
    const f = (issue.fields as Json | undefined) ?? {};
    const withChanges = args.include_status_changes !== false;
    const withSummary = args.include_status_summary !== false;
    const changes = withChanges || withSummary ? statusChanges(await historiesOf(ctx, jira, key)) : [];
    const created = Date.parse(textOf(f.created, '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    const current = textOf((f.status as Json | undefined)?.name, '?');
    const resolved = typeof f.resolutiondate === 'string' ? f.resolutiondate : undefined;
    return prune({
      key,
      created: shortDate(f.created),
      updated: shortDate(f.updated),
      due: typeof f.duedate === 'string' ? f.duedate : undefined,
      resolved: shortDate(resolved),
      status: current,
      status_category_changed: shortDate(f.statuscategorychangedate),
      lead_time_hours: resolved
        ? hours(Date.parse(resolved.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) - created)
        : undefined,
      status_changes: withChanges
        ? changes.map((c) => prune({ at: shortDate(new Date(c.at).toISOString()), from: c.from, to: c.to, by: c.by }))
        : undefined,
      time_in_status: withSummary ? timeInStatus(created, current, changes, Date.now()) : undefined,
    });
  },
};
