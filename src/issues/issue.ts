// One Jira issue as the views show it, read defensively from Jira's JSON (Cloud v3 and Data
// Center v2 alike), and its Markdown tooltip.
import * as l10n from '@vscode/l10n';
import type { Json } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { escapeMarkdown } from '../core/markdown';
import { relativeTime, utcMinute } from '../core/time';
import { priorityColour, priorityColourText } from './rows';
import { textOf } from '../core/text';

export type StatusCategory = 'new' | 'indeterminate' | 'done' | 'unknown';

export interface IssueSummary {
  readonly key: string;
  readonly summary: string;
  readonly status: { readonly name: string; readonly category: StatusCategory };
  readonly type: { readonly name: string; readonly subtask: boolean };
  readonly priority: string | undefined;
  readonly assignee: { readonly displayName: string; readonly ids: readonly string[] } | undefined;
  /** ISO time of the last update. */
  readonly updated: string | undefined;
}

/** The fields a search asks for: exactly what the tree and its tooltips show. */
export const ISSUE_FIELDS: readonly string[] = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'updated'];

export function toIssueSummary(json: Json): IssueSummary {
  const fields = record(json.fields);
  const status = record(fields.status);
  const type = record(fields.issuetype);
  const assignee = fields.assignee ? record(fields.assignee) : undefined;
  const category = textOf(record(status.statusCategory).key, '');
  return {
    key: textOf(json.key ?? json.id, '?'),
    summary: typeof fields.summary === 'string' ? fields.summary : '',
    status: {
      name: text(status.name) ?? l10n.t('Unknown status'),
      category: isCategory(category) ? category : 'unknown',
    },
    type: {
      name:
        text(type.name) ??
        l10n.t({ message: 'Issue', comment: ['The type of a Jira issue whose type Jira did not name'] }),
      subtask: type.subtask === true,
    },
    priority: text(record(fields.priority).name),
    assignee: assignee && {
      displayName:
        text(assignee.displayName) ??
        text(assignee.name) ??
        l10n.t({ message: 'Someone', comment: ['The assignee of a Jira issue whose name Jira did not send'] }),
      // Cloud identifies people by accountId; Data Center by name and key.
      ids: [assignee.accountId, assignee.name, assignee.key].filter((id): id is string => typeof id === 'string'),
    },
    updated: text(fields.updated),
  };
}

/** Whether the connection's own user is the assignee. */
export function isAssignedTo(issue: IssueSummary, connection: ConnectionInfo): boolean {
  const me = connection.user.accountId;
  return me !== undefined && (issue.assignee?.ids.includes(me) ?? false);
}

/** The issue's page on the site. */
export function browseUrl(connection: ConnectionInfo, key: string): string {
  return `${connection.siteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
}

export function issueTooltip(issue: IssueSummary, now: number): string {
  const updated = issue.updated ? Date.parse(issue.updated) : Number.NaN;
  const rows: [string, string][] = [
    [
      l10n.t({ message: 'Status', comment: ['A row label in a Jira issue tooltip: the issue status'] }),
      issue.status.name,
    ],
    [
      l10n.t({ message: 'Priority', comment: ['A row label in a Jira issue tooltip'] }),
      // The row's icon colour shows the priority; say which colour means what here.
      `${issue.priority ?? l10n.t({ message: 'None', comment: ['The priority of a Jira issue that has none'] })} (${priorityColourText(priorityColour(issue.priority))})`,
    ],
    [
      l10n.t({ message: 'Assignee', comment: ['A row label in a Jira issue tooltip'] }),
      issue.assignee?.displayName ?? l10n.t('Unassigned'),
    ],
    [
      l10n.t({ message: 'Updated', comment: ['A row label in a Jira issue tooltip: when the issue last changed'] }),
      Number.isNaN(updated) ? l10n.t('unknown') : `${relativeTime(updated, now)} (${utcMinute(updated)})`,
    ],
  ];
  return [
    `**${escapeMarkdown(issue.key)}** · ${escapeMarkdown(issue.type.name)}`,
    '',
    escapeMarkdown(issue.summary || l10n.t('(no summary)')),
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${escapeMarkdown(name)} | ${escapeMarkdown(value)} |`),
  ].join('\n');
}

function record(value: unknown): Json {
  return value && typeof value === 'object' ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isCategory(value: string): value is Exclude<StatusCategory, 'unknown'> {
  return value === 'new' || value === 'indeterminate' || value === 'done';
}
