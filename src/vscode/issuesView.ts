// The "My Issues" view's registration: the tree (./issuesTree), its badge and refresh timer, the
// view-level commands, and the commands run on an issue row (./issueRowActions).
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import type { IssueListModel } from '../issues/issueList';
import { COMMANDS, VIEWS } from './ids';
import { registerIssueRowActions } from './issueRowActions';
import { IssuesTreeProvider, type IssueTreeNode } from './issuesTree';
import { fullSettingName, readIssueSettings, SETTING, SETTINGS_SECTION } from './settings';

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
    registerIssueRowActions({
      model,
      jira: deps.jira,
      onApiOutcome: deps.onApiOutcome,
      selected: () => treeView.selection[0],
      inView,
    }),
  ];

  return { provider, treeView, dispose: () => void vscode.Disposable.from(...disposables).dispose() };
}
