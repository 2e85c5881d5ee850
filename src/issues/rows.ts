// How My Issues lays out what it lists, editor-free: one row per issue that keeps its status readable
// in a narrow side bar, status groups in workflow order, the priority colours the tooltip explains,
// and one connection per site and account so no issue is listed or counted twice.
import * as l10n from '@vscode/l10n';
import type { ConnectionInfo } from '../auth/connections';
import type { IssueSummary, StatusCategory } from './issue';

/**
 * Label and description of an issue row. The tree cuts the end of a long row, so the status comes
 * before the summary; under a status group the status is already said and only the summary follows.
 */
export function issueRowText(issue: IssueSummary, groupedByStatus: boolean): { label: string; description: string } {
  const summary = issue.summary || l10n.t('(no summary)');
  return { label: issue.key, description: groupedByStatus ? summary : `${issue.status.name} · ${summary}` };
}

/** Work in progress first, then what is still to do, then the rest; done last. */
export const CATEGORY_ORDER: readonly StatusCategory[] = ['indeterminate', 'new', 'unknown', 'done'];

export interface StatusGroup {
  readonly status: string;
  readonly category: StatusCategory;
  readonly issues: readonly IssueSummary[];
}

/** Issues grouped by status name, ordered by status category, then by name; issues keep their order. */
export function groupByStatus(issues: readonly IssueSummary[]): StatusGroup[] {
  const byStatus = new Map<string, { category: StatusCategory; issues: IssueSummary[] }>();
  for (const issue of issues) {
    const group = byStatus.get(issue.status.name) ?? { category: issue.status.category, issues: [] };
    group.issues.push(issue);
    byStatus.set(issue.status.name, group);
  }
  return [...byStatus.entries()]
    .sort(
      ([nameA, a], [nameB, b]) =>
        CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || nameA.localeCompare(nameB),
    )
    .map(([status, group]) => ({ status, category: group.category, issues: group.issues }));
}

/** A group's count; while the filter has more pages the count is only of what is loaded, and says so. */
export function groupCount(group: StatusGroup, allLoaded: boolean): string {
  return allLoaded
    ? String(group.issues.length)
    : l10n.t({
        message: '{0} loaded',
        args: [group.issues.length],
        comment: ['Issues of one status among the pages loaded so far; more pages exist'],
      });
}

export type PriorityColour = 'red' | 'orange' | 'blue' | 'green';

const PRIORITY_COLOURS: Record<string, PriorityColour> = {
  highest: 'red',
  blocker: 'red',
  critical: 'red',
  high: 'orange',
  major: 'orange',
  low: 'blue',
  minor: 'blue',
  lowest: 'green',
  trivial: 'green',
};

/** The colour of an issue's icon; none for medium or unknown priorities. */
export function priorityColour(priority: string | undefined): PriorityColour | undefined {
  return PRIORITY_COLOURS[(priority ?? '').toLowerCase()];
}

/** The tooltip's words for the icon's colour, so the colours need no legend elsewhere. */
export function priorityColourText(colour: PriorityColour | undefined): string {
  switch (colour) {
    case 'red':
      return l10n.t({ message: 'red icon', comment: ["The colour of an issue's icon, which shows its priority"] });
    case 'orange':
      return l10n.t({ message: 'orange icon', comment: ["The colour of an issue's icon, which shows its priority"] });
    case 'blue':
      return l10n.t({ message: 'blue icon', comment: ["The colour of an issue's icon, which shows its priority"] });
    case 'green':
      return l10n.t({ message: 'green icon', comment: ["The colour of an issue's icon, which shows its priority"] });
    default:
      return l10n.t({
        message: 'uncoloured icon',
        comment: ["An issue's icon without colour: medium or no priority"],
      });
  }
}

/** Codicons by issue type: shapes that cannot be mistaken for a state (no check mark, no circle). */
const TYPE_ICONS: Record<string, string> = {
  bug: 'bug',
  story: 'bookmark',
  task: 'note',
  epic: 'zap',
  'sub-task': 'list-tree',
  subtask: 'list-tree',
  improvement: 'arrow-up',
  'new feature': 'lightbulb',
};

export function typeIcon(type: IssueSummary['type']): string {
  return TYPE_ICONS[type.subtask ? 'subtask' : type.name.toLowerCase()] ?? 'symbol-misc';
}

/** Which site and account a connection reaches: two sign-ins (OAuth and API token) can reach the same. */
export function reachKey(connection: ConnectionInfo): string {
  const site = connection.cloudId ?? connection.siteUrl.replace(/\/+$/, '').toLowerCase();
  const account = connection.user.accountId ?? connection.user.email?.toLowerCase() ?? connection.user.displayName;
  return `${site}\u0000${account}`;
}

/**
 * One connection per site and account, in the given order: the default where it is one of them,
 * else one that is connected, else the first. The others would list and count the same issues.
 */
export function distinctConnections(
  connections: readonly ConnectionInfo[],
  defaultId: string | undefined,
): ConnectionInfo[] {
  const chosen = new Map<string, ConnectionInfo>();
  const rank = (c: ConnectionInfo) => (c.id === defaultId ? 2 : c.state === 'connected' ? 1 : 0);
  for (const connection of connections) {
    const key = reachKey(connection);
    const current = chosen.get(key);
    if (!current || rank(connection) > rank(current)) chosen.set(key, connection);
  }
  const kept = new Set(chosen.values());
  return connections.filter((c) => kept.has(c));
}
