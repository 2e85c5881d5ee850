// A Jira Service Management request's SLAs (toolset jira_metrics, as in mcp-atlassian): each SLA's
// goal, whether it is running, met or breached, and the time left, from /request/{key}/sla.
import { withNotFound, type Json } from '../../../atlassian/jira';
import { ServiceDeskApi } from '../../../atlassian/serviceDesk';
import { prune } from '../../format';
import { p } from '../../schema';
import type { ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, list } from './shared';
import { textOf } from '../../../core/text';

const friendly = (duration: unknown): string | undefined =>
  textOf((duration as Json | undefined)?.friendly) || undefined;

function when(date: unknown, raw: boolean): string | undefined {
  const d = date as Json | undefined;
  if (!d) return undefined;
  return raw ? textOf(d.iso8601) || undefined : textOf(d.friendly) || textOf(d.iso8601) || undefined;
}

function cycleState(cycle: Json, ongoing: boolean): string {
  if (cycle.breached === true) return 'breached';
  if (!ongoing) return 'met';
  return cycle.paused === true ? 'paused' : 'running';
}

function slaView(sla: Json, raw: boolean): Json {
  const ongoing = sla.ongoingCycle as Json | undefined;
  const completed = (sla.completedCycles as Json[] | undefined) ?? [];
  const last = ongoing ?? completed.at(-1);
  return prune({
    name: sla.name,
    state: last ? cycleState(last, !!ongoing) : 'not started',
    goal: friendly(last?.goalDuration),
    remaining: friendly(last?.remainingTime),
    elapsed: friendly(last?.elapsedTime),
    breach_time: when(last?.breachTime, raw),
    started: when(last?.startTime, raw),
    stopped: ongoing ? undefined : when(last?.stopTime, raw),
    within_calendar_hours: ongoing ? ongoing.withinCalendarHours : undefined,
    completed_cycles: completed.length || undefined,
    breached_cycles: completed.filter((c) => c.breached === true).length || undefined,
  });
}

export const jiraGetIssueSla: ToolDef = {
  name: 'jira_get_issue_sla',
  title: 'Get JSM request SLAs',
  description:
    'SLA status of a Jira Service Management request (ticket): each SLA (time to first response, time to resolution…) with its goal, time remaining, and whether it is running, paused, met or breached.',
  toolset: 'jira_metrics',
  product: 'jira',
  params: {
    issue_key: ISSUE_KEY,
    metrics: p.str('Comma-separated SLA names to return (e.g. "Time to resolution"); default all'),
    include_raw_dates: p.bool('ISO 8601 timestamps instead of friendly dates'),
    // Accepted for mcp-atlassian's callers: JSM already measures each SLA on its own calendar.
    working_hours_only: p.bool(undefined, { hidden: true }),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const jsm = new ServiceDeskApi(jira);
    const page = await jsm.sla(key, 0, 50, ctx.signal).catch((err: unknown) => {
      throw withNotFound(err, `Service Management request ${key} (an issue of a service desk project)`);
    });
    const all = page.values ?? [];
    const names = all.map((s) => textOf(s.name));
    const wanted = list(args.metrics)?.map((m) => m.toLowerCase());
    const unknown = wanted?.filter((m) => !names.some((n) => n.toLowerCase() === m)) ?? [];
    const slas = all.filter((s) => !wanted || wanted.includes(textOf(s.name).toLowerCase()));
    return prune({
      key,
      slas: slas.map((s) => slaView(s, args.include_raw_dates === true)),
      unknown_metrics: unknown.length
        ? `No SLA named ${unknown.join(', ')}; this request has: ${names.join(', ') || 'none'}`
        : undefined,
      note:
        args.working_hours_only === undefined
          ? undefined
          : 'working_hours_only changes nothing here: Jira Service Management measures each SLA on its own calendar.',
    });
  },
};
