// The "My Issues" view: one node per connection, its filters below, issues (optionally grouped by
// status) with a "Load more" row while Jira has more, and an error row with its remedy when a load
// fails. The actions (open, copy, transition, comment, assign) run from the rows' menus.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { escapeMarkdown } from '../core/markdown';
import { explainError, formatSeconds, type Explanation } from '../health/explain';
import { browseUrl, isAssignedTo, issueTooltip, type IssueSummary, type StatusCategory } from '../issues/issue';
import { groupByStatus, groupCount, issueRowText, priorityColour, typeIcon, type PriorityColour } from '../issues/rows';
import {
  assignToMe,
  availableTransitions,
  commentInMarkdown,
  findTransition,
  type TransitionChoice,
} from '../issues/issueActions';
import { DEFAULT_FILTER, type FilterView, type IssueFilter, type IssueListModel } from '../issues/issueList';
import { methodLabel } from '../health/health';
import { COMMANDS, VIEWS } from './ids';
import { fullSettingName, readIssueSettings, SETTING, SETTINGS_SECTION } from './settings';

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

/** An issue named by a caller (a keybinding, another extension, a test) instead of a tree row. */
interface IssueRef {
  readonly connectionId: string;
  readonly key: string;
}

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

// --- registration: the view, its badge and refresh timer, and the issue commands -------------------

export interface IssuesViewDependencies {
  readonly model: IssueListModel;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  /** Told of the actions' Jira calls too (rate limits, dead sign-ins). */
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  /** Runs on the refresh timer besides the issues (the connection checks). */
  readonly onAutoRefresh: () => void;
}

export interface IssuesView extends vscode.Disposable {
  readonly provider: IssuesTreeProvider;
  readonly treeView: vscode.TreeView<IssueTreeNode>;
}

export function registerIssuesView(deps: IssuesViewDependencies): IssuesView {
  const { model } = deps;
  let settings = readIssueSettings();
  const provider = new IssuesTreeProvider(model, () => settings.groupByStatus);
  const treeView = vscode.window.createTreeView(VIEWS.myIssues, { treeDataProvider: provider, showCollapseAll: true });
  const inView = <T>(task: () => Promise<T>) =>
    vscode.window.withProgress({ location: { viewId: VIEWS.myIssues } }, task);

  const updateBadge = () => {
    const count = model.assignedCount();
    treeView.badge =
      count && count.count > 0
        ? {
            value: count.count,
            tooltip: vscode.l10n.t('{0} open issues assigned to you', `${count.count}${count.more ? '+' : ''}`),
          }
        : undefined;
    treeView.description = settings.groupByStatus ? vscode.l10n.t('by status') : undefined;
  };
  updateBadge();

  // Refreshes on the interval while the view is visible; a hidden view catches up when shown.
  let timer: NodeJS.Timeout | undefined;
  let stale = false;
  const autoRefresh = () => {
    deps.onAutoRefresh();
    if (treeView.visible) void inView(() => model.refresh());
    else stale = true;
  };
  const schedule = () => {
    if (timer) clearInterval(timer);
    timer =
      settings.refreshIntervalMinutes > 0
        ? setInterval(autoRefresh, settings.refreshIntervalMinutes * 60_000)
        : undefined;
  };
  schedule();

  const action = (name: string, run: (target: ResolvedIssue, extra: unknown) => Promise<void>) =>
    vscode.commands.registerCommand(name, async (arg?: unknown, extra?: unknown) => {
      const target = resolveIssue(arg ?? treeView.selection[0], model);
      if (!target) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select an issue in the My Issues view first.'));
        return;
      }
      await run(target, extra);
    });

  /** Tells of a failed action; `message` words it from the explanation (whole sentences, for translators). */
  const failed = (target: ResolvedIssue, err: unknown, message: (e: Explanation) => string) => {
    deps.onApiOutcome(target.connection.id, err);
    const e = explainError(err, {
      site: target.connection.siteName,
      method: target.connection.method,
      reason: target.connection.stateReason,
    });
    const buttons = e.remedy === 'reconnect' ? [vscode.l10n.t('Reconnect')] : [];
    void vscode.window
      .showErrorMessage(message(e), ...buttons)
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.connect));
  };
  const api = (target: ResolvedIssue) => deps.jira(target.connection);

  const disposables: vscode.Disposable[] = [
    provider,
    treeView,
    model.onDidChange(() => updateBadge()),
    { dispose: () => timer && clearInterval(timer) },
    treeView.onDidChangeVisibility((e) => {
      if (e.visible && stale) {
        stale = false;
        void inView(() => model.refresh());
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SETTINGS_SECTION}.issues`)) return;
      const before = settings;
      settings = readIssueSettings();
      if (e.affectsConfiguration(fullSettingName(SETTING.issueFilters))) model.setFilters(settings.filters);
      if (before.refreshIntervalMinutes !== settings.refreshIntervalMinutes) schedule();
      updateBadge();
      provider.refresh();
    }),

    vscode.commands.registerCommand(COMMANDS.showIssues, () =>
      vscode.commands.executeCommand(`${VIEWS.myIssues}.focus`),
    ),
    vscode.commands.registerCommand(COMMANDS.refreshIssues, () => inView(() => model.refresh())),
    vscode.commands.registerCommand(COMMANDS.toggleGroupByStatus, () =>
      vscode.workspace
        .getConfiguration(SETTINGS_SECTION)
        .update(SETTING.groupByStatus, !settings.groupByStatus, vscode.ConfigurationTarget.Global),
    ),
    vscode.commands.registerCommand(COMMANDS.loadMoreIssues, (arg?: { connectionId: string; filterId: string }) => {
      if (arg) return inView(() => model.loadMore(arg.connectionId, arg.filterId));
    }),
    vscode.commands.registerCommand(COMMANDS.retryIssues, (arg?: { connectionId: string; filterId: string }) => {
      if (arg) return inView(() => model.reloadFilter(arg.connectionId, arg.filterId));
    }),

    action(COMMANDS.openIssueInBrowser, async (target) => {
      await vscode.env.openExternal(vscode.Uri.parse(browseUrl(target.connection, target.key), true));
    }),
    action(COMMANDS.copyIssueKey, async (target) => {
      await vscode.env.clipboard.writeText(target.key);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', target.key), 3000);
    }),
    action(COMMANDS.copyIssueLink, async (target) => {
      const url = browseUrl(target.connection, target.key);
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', url), 3000);
    }),

    action(COMMANDS.transitionIssue, async (target, wanted) => {
      let choices: TransitionChoice[];
      try {
        choices = await inView(() => availableTransitions(api(target), target.key));
      } catch (err) {
        return failed(target, err, (e) =>
          vscode.l10n.t('Could not read the transitions of {0}: {1} {2}', target.key, e.what, e.todo),
        );
      }
      let choice: TransitionChoice | undefined;
      if (typeof wanted === 'string') {
        choice = findTransition(choices, wanted);
        if (!choice) {
          const available =
            choices.map((c) => c.name).join(', ') ||
            vscode.l10n.t({ message: 'none', comment: ['No workflow transitions are available'] });
          void vscode.window.showErrorMessage(
            vscode.l10n.t('{0} has no transition "{1}" now. Available: {2}.', target.key, wanted, available),
          );
          return;
        }
      } else {
        if (choices.length === 0) {
          void vscode.window.showInformationMessage(
            vscode.l10n.t('{0} has no transitions available to you.', target.key),
          );
          return;
        }
        const picked = await vscode.window.showQuickPick(
          choices.map((c) => ({
            label: c.name,
            description: c.to && c.to !== c.name ? `→ ${c.to}` : undefined,
            choice: c,
          })),
          {
            title: vscode.l10n.t('Transition {0}', target.key),
            placeHolder: target.status
              ? vscode.l10n.t('{0} is {1}. Move it to…', target.key, target.status)
              : vscode.l10n.t('Move {0} to…', target.key),
          },
        );
        choice = picked?.choice;
      }
      if (!choice) return;
      const moveTo = choice;
      try {
        await inView(() => api(target).transition(target.key, moveTo.id));
      } catch (err) {
        return failed(target, err, (e) =>
          vscode.l10n.t('Could not transition {0}: {1} {2}', target.key, e.what, e.todo),
        );
      }
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} moved to {1}', target.key, moveTo.to || moveTo.name), 5000);
      await inView(() => model.refresh(target.connection.id));
    }),

    action(COMMANDS.commentOnIssue, async (target, preset) => {
      const markdown =
        typeof preset === 'string'
          ? preset
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Comment on {0}', target.key),
              prompt: vscode.l10n.t('Markdown works: **bold**, `code`, lists and links.'),
              placeHolder: vscode.l10n.t('Your comment'),
              ignoreFocusOut: true,
              validateInput: (v) =>
                v.trim() ? undefined : vscode.l10n.t('Write a comment, or press Escape to cancel.'),
            });
      if (!markdown?.trim()) return;
      try {
        await inView(() => commentInMarkdown(api(target), target.key, markdown));
      } catch (err) {
        return failed(target, err, (e) =>
          vscode.l10n.t('Could not comment on {0}: {1} {2}', target.key, e.what, e.todo),
        );
      }
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Comment added to {0}.', target.key), vscode.l10n.t('Open in Browser'))
        .then((choice) => {
          if (choice) void vscode.env.openExternal(vscode.Uri.parse(browseUrl(target.connection, target.key), true));
        });
    }),

    action(COMMANDS.assignIssueToMe, async (target) => {
      try {
        await inView(() => assignToMe(api(target), target.connection, target.key));
      } catch (err) {
        return failed(target, err, (e) => vscode.l10n.t('Could not assign {0}: {1} {2}', target.key, e.what, e.todo));
      }
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} is assigned to you', target.key), 5000);
      await inView(() => model.refresh(target.connection.id));
    }),
  ];

  return { provider, treeView, dispose: () => void vscode.Disposable.from(...disposables).dispose() };
}

interface ResolvedIssue {
  readonly connection: ConnectionInfo;
  readonly key: string;
  /** The status shown in the tree, when the action came from a row. */
  readonly status: string | undefined;
}

function resolveIssue(arg: unknown, model: IssueListModel): ResolvedIssue | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<Extract<IssueTreeNode, { kind: 'issue' }>> & Partial<IssueRef>;
  const connectionId = node.connectionId;
  const key = node.kind === 'issue' ? node.issue?.key : node.key;
  const connection = connectionId === undefined ? undefined : model.findConnection(connectionId);
  if (!connection || typeof key !== 'string') return undefined;
  return { connection, key, status: node.kind === 'issue' ? node.issue?.status.name : undefined };
}
