// The "My Issues" tree: one node per connection, its filters below, issues (optionally grouped by
// status) with a "Load more" row while Jira has more, and an error row with its remedy when a load
// fails. What each row looks like is decided here; the view's registration is in ./issuesView.
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../auth/connections';
import { escapeMarkdown } from '../core/markdown';
import { formatSeconds, type Explanation } from '../health/explain';
import { isAssignedTo, issueTooltip, type IssueSummary, type StatusCategory } from '../issues/issue';
import { groupByStatus, groupCount, issueRowText, priorityColour, typeIcon, type PriorityColour } from '../issues/rows';
import { DEFAULT_FILTER, type FilterView, type IssueFilter, type IssueListModel } from '../issues/issueList';
import { methodLabel } from '../health/health';
import { COMMANDS } from './ids';

export type IssueTreeNode =
  | { readonly kind: 'connection'; readonly connection: ConnectionInfo }
  | { readonly kind: 'reconnect'; readonly connection: ConnectionInfo }
  | { readonly kind: 'filter'; readonly connectionId: string; readonly filter: IssueFilter }
  | {
      readonly kind: 'group';
      readonly connectionId: string;
      readonly filterId: string;
      readonly status: string;
      readonly category: StatusCategory;
      readonly issues: readonly IssueSummary[];
    }
  | {
      readonly kind: 'issue';
      readonly connectionId: string;
      readonly filterId: string;
      readonly issue: IssueSummary;
      readonly mine: boolean;
    }
  | { readonly kind: 'loadMore'; readonly connectionId: string; readonly filterId: string; readonly view: FilterView }
  | {
      readonly kind: 'error';
      readonly connectionId: string;
      readonly filterId: string;
      readonly error: Explanation;
      readonly stale: boolean;
    }
  | { readonly kind: 'empty'; readonly connectionId: string; readonly filterId: string };

const PRIORITY_THEME_COLORS: Record<PriorityColour, string> = {
  red: 'charts.red',
  orange: 'charts.orange',
  blue: 'charts.blue',
  green: 'charts.green',
};
const CATEGORY_ICONS: Record<StatusCategory, string> = {
  new: 'circle-large-outline',
  indeterminate: 'circle-large-filled',
  done: 'pass',
  unknown: 'circle-small',
};

export class IssuesTreeProvider implements vscode.TreeDataProvider<IssueTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IssueTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: IssueListModel,
    private readonly groupByStatus: () => boolean,
  ) {
    // Connection and filter nodes are rebuilt on each call, so refresh from the root; the model
    // caches every loaded page, which makes that cheap, and ids keep rows expanded.
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: IssueTreeNode): Promise<IssueTreeNode[]> {
    if (!node) return this.model.connections().map((connection) => ({ kind: 'connection', connection }));
    switch (node.kind) {
      case 'connection': {
        const filters = this.model
          .filtersFor(node.connection)
          .map((filter): IssueTreeNode => ({ kind: 'filter', connectionId: node.connection.id, filter }));
        return node.connection.state === 'needsReconnect'
          ? [{ kind: 'reconnect', connection: node.connection }, ...filters]
          : filters;
      }
      case 'filter':
        return this.filterChildren(await this.model.ensureLoaded(node.connectionId, node.filter.id));
      case 'group':
        return node.issues.map((issue) => this.issueNode(node.connectionId, node.filterId, issue));
      default:
        return [];
    }
  }

  getTreeItem(node: IssueTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'connection':
        return connectionItem(node.connection, node.connection.id === this.model.defaultConnectionId());
      case 'reconnect': {
        const item = new vscode.TreeItem(vscode.l10n.t('Reconnect'), vscode.TreeItemCollapsibleState.None);
        item.id = `${node.connection.id}/reconnect`;
        item.description = vscode.l10n.t('sign in to {0} again', node.connection.siteName);
        item.iconPath = new vscode.ThemeIcon('debug-restart', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = node.connection.stateReason
          ? vscode.l10n.t(
              'The sign-in can no longer be used ({0}). Click to connect again.',
              node.connection.stateReason,
            )
          : vscode.l10n.t('The sign-in can no longer be used. Click to connect again.');
        item.command = { command: COMMANDS.connect, title: vscode.l10n.t('Reconnect') };
        return item;
      }
      case 'filter':
        return this.filterItem(node);
      case 'group': {
        // Folded: with hundreds of issues the groups themselves are the overview.
        const item = new vscode.TreeItem(node.status, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.connectionId}/${node.filterId}/status:${node.status}`;
        item.description = groupCount(node, !this.model.view(node.connectionId, node.filterId).hasMore);
        item.iconPath = new vscode.ThemeIcon(CATEGORY_ICONS[node.category]);
        item.contextValue = 'statusGroup';
        return item;
      }
      case 'issue':
        return issueItem(node, this.groupByStatus());
      case 'loadMore':
        return loadMoreItem(node);
      case 'error':
        return errorItem(node);
      case 'empty': {
        const item = new vscode.TreeItem(
          vscode.l10n.t('No issues match this filter'),
          vscode.TreeItemCollapsibleState.None,
        );
        item.id = `${node.connectionId}/${node.filterId}/empty`;
        item.iconPath = new vscode.ThemeIcon('check-all');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private filterChildren(view: FilterView): IssueTreeNode[] {
    const { connectionId } = view;
    const filterId = view.filter.id;
    const out: IssueTreeNode[] = [];
    if (view.error && !view.errorDuringMore)
      out.push({ kind: 'error', connectionId, filterId, error: view.error, stale: view.issues.length > 0 });
    if (view.status === 'ready' && view.issues.length === 0) out.push({ kind: 'empty', connectionId, filterId });
    if (this.groupByStatus()) out.push(...groups(view));
    else out.push(...view.issues.map((issue) => this.issueNode(connectionId, filterId, issue)));
    if (view.hasMore || (view.error && view.errorDuringMore))
      out.push({ kind: 'loadMore', connectionId, filterId, view });
    return out;
  }

  private issueNode(connectionId: string, filterId: string, issue: IssueSummary): IssueTreeNode {
    const connection = this.model.findConnection(connectionId);
    return {
      kind: 'issue',
      connectionId,
      filterId,
      issue,
      mine: connection !== undefined && isAssignedTo(issue, connection),
    };
  }

  private filterItem(node: Extract<IssueTreeNode, { kind: 'filter' }>): vscode.TreeItem {
    const view = this.model.view(node.connectionId, node.filter.id);
    const isDefault = node.filter.id === DEFAULT_FILTER.id;
    const isSearch = node.filter.id.startsWith('search:');
    const item = new vscode.TreeItem(
      node.filter.name,
      isDefault || isSearch ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `${node.connectionId}/${node.filter.id}`;
    item.iconPath = new vscode.ThemeIcon(isDefault ? 'account' : 'filter');
    item.description = filterDescription(view);
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(node.filter.name)}**\n\n\`\`\`jql\n${node.filter.jql.replace(/`/g, "'")}\n\`\`\``,
    );
    // Searches can be saved or dismissed, named filters removed; the built-in one stays.
    item.contextValue = isDefault ? 'filter' : isSearch ? 'filter.search' : 'filter.named';
    return item;
  }
}

function connectionItem(c: ConnectionInfo, isDefault: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(c.siteName, vscode.TreeItemCollapsibleState.Expanded);
  item.id = c.id;
  const reconnect = c.state === 'needsReconnect';
  const who = isDefault
    ? vscode.l10n.t({
        message: '{0} · default',
        args: [c.user.displayName],
        comment: ["A connection's user; 'default': agents' tools use this connection when they name no site"],
      })
    : c.user.displayName;
  item.description = reconnect ? vscode.l10n.t('{0} · needs reconnect', who) : who;
  item.iconPath = reconnect
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(c.flavour === 'cloud' ? 'cloud' : 'server');
  item.tooltip = new vscode.MarkdownString(
    `**${escapeMarkdown(c.siteName)}**\n\n${escapeMarkdown(c.siteUrl)}\n\n${escapeMarkdown(c.user.displayName)} · ${methodLabel(c.method)}${
      isDefault ? `\n\n${vscode.l10n.t('The default connection: agents use it when a tool names no site.')}` : ''
    }`,
  );
  item.contextValue = reconnect ? 'connection.needsReconnect' : 'connection';
  return item;
}

function filterDescription(view: FilterView): string {
  const shown = view.issues.length;
  if (view.status === 'idle') return '';
  if (view.status === 'loading' && shown === 0) return vscode.l10n.t('loading…');
  if (view.status === 'error')
    return view.error?.kind === 'rateLimited' ? vscode.l10n.t('rate limited') : vscode.l10n.t('failed to load');
  if (!view.hasMore) return String(shown);
  return view.total !== undefined
    ? vscode.l10n.t({
        message: '{0} of {1}',
        args: [shown, view.total],
        comment: ['How many issues of a filter are loaded: {0} loaded of {1} in all'],
      })
    : `${shown}+`;
}

function issueItem(node: Extract<IssueTreeNode, { kind: 'issue' }>, groupedByStatus: boolean): vscode.TreeItem {
  const { issue } = node;
  const text = issueRowText(issue, groupedByStatus);
  const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.connectionId}/${node.filterId}/${issue.key}`;
  item.description = text.description;
  const colour = priorityColour(issue.priority);
  item.iconPath = new vscode.ThemeIcon(
    typeIcon(issue.type),
    colour ? new vscode.ThemeColor(PRIORITY_THEME_COLORS[colour]) : undefined,
  );
  item.tooltip = new vscode.MarkdownString(issueTooltip(issue, Date.now()));
  item.accessibilityInformation = {
    label: issue.priority
      ? vscode.l10n.t(
          '{0}, {1}, {2}, {3}, {4} priority',
          issue.key,
          issue.summary,
          issue.type.name,
          issue.status.name,
          issue.priority,
        )
      : `${issue.key}, ${issue.summary}, ${issue.type.name}, ${issue.status.name}`,
  };
  item.command = {
    command: COMMANDS.openIssue,
    title: vscode.l10n.t('Open Issue'),
    arguments: [{ connectionId: node.connectionId, key: issue.key, preserveFocus: true }],
  };
  // "Assign to Me" only where it changes something.
  item.contextValue = node.mine ? 'issue' : 'issue.assignable';
  return item;
}

function loadMoreItem(node: Extract<IssueTreeNode, { kind: 'loadMore' }>): vscode.TreeItem {
  const { view } = node;
  const shown =
    view.total !== undefined
      ? vscode.l10n.t('{0} of {1} shown', view.issues.length, view.total)
      : vscode.l10n.t('{0} shown', view.issues.length);
  let item: vscode.TreeItem;
  if (view.loadingMore) {
    item = new vscode.TreeItem(vscode.l10n.t('Loading more…'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('loading~spin');
  } else if (view.error && view.errorDuringMore) {
    item = new vscode.TreeItem(vscode.l10n.t('Could not load more: retry'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = explanationTooltip(view.error);
  } else {
    item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('fold-down');
    item.tooltip = vscode.l10n.t('Load the next {0} issues from Jira.', view.filter.name);
  }
  item.id = `${node.connectionId}/${node.filterId}/more`;
  item.description = shown;
  item.contextValue = 'loadMore';
  if (!view.loadingMore)
    item.command = {
      command: COMMANDS.loadMoreIssues,
      title: vscode.l10n.t('Load More Issues'),
      arguments: [{ connectionId: node.connectionId, filterId: node.filterId }],
    };
  return item;
}

function errorItem(node: Extract<IssueTreeNode, { kind: 'error' }>): vscode.TreeItem {
  const { error } = node;
  const reconnect = error.remedy === 'reconnect';
  const label =
    error.kind === 'rateLimited'
      ? vscode.l10n.t('Rate limited')
      : reconnect
        ? vscode.l10n.t('Sign in again to load issues')
        : vscode.l10n.t('Could not load issues');
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.connectionId}/${node.filterId}/error`;
  // The row says what to do; its tooltip says what happened.
  const hint =
    error.kind === 'rateLimited' && error.retryAfterSeconds !== undefined
      ? vscode.l10n.t('wait {0}, then click to retry', formatSeconds(error.retryAfterSeconds))
      : reconnect
        ? vscode.l10n.t('click to reconnect')
        : vscode.l10n.t('{0} Click to retry.', error.what);
  item.description = node.stale ? vscode.l10n.t('{0} · showing the last result', hint) : hint;
  item.iconPath = new vscode.ThemeIcon(
    error.kind === 'rateLimited' ? 'watch' : 'error',
    new vscode.ThemeColor(error.kind === 'rateLimited' ? 'problemsWarningIcon.foreground' : 'errorForeground'),
  );
  item.tooltip = explanationTooltip(error);
  item.contextValue = reconnect ? 'loadError.reconnect' : 'loadError';
  item.command = reconnect
    ? { command: COMMANDS.connect, title: vscode.l10n.t('Reconnect') }
    : {
        command: COMMANDS.retryIssues,
        title: vscode.l10n.t('Retry'),
        arguments: [{ connectionId: node.connectionId, filterId: node.filterId }],
      };
  return item;
}

function explanationTooltip(error: Explanation): vscode.MarkdownString {
  return new vscode.MarkdownString(
    `${vscode.l10n.t('**What happened:** {0}', escapeMarkdown(error.what))}\n\n${vscode.l10n.t('**What to do:** {0}', escapeMarkdown(error.todo))}`,
  );
}

function groups(view: FilterView): IssueTreeNode[] {
  return groupByStatus(view.issues).map((group) => ({
    kind: 'group',
    connectionId: view.connectionId,
    filterId: view.filter.id,
    ...group,
  }));
}
