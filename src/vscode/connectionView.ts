// The "Connection" view: per connection its sign-in facts and whether Jira answers; the local MCP
// bridge; each remote MCP server as a probe saw it. A state that needs the person (reconnect,
// rate limited, a server redirecting) shows its action as a row of its own.
import * as vscode from 'vscode';
import type {
  BridgeHealth,
  CheckStatus,
  ConnectionHealth,
  ConnectionState,
  HealthAction,
  HealthCheck,
  HealthModel,
  Problem,
  RemoteHealth,
  RemoteState,
} from '../health/health';
import { escapeMarkdown } from '../core/markdown';
import { formatSeconds } from '../health/explain';
import { COMMANDS, VIEWS } from './ids';

export type HealthTreeNode =
  | { readonly kind: 'connection'; readonly health: ConnectionHealth }
  | { readonly kind: 'bridge'; readonly health: BridgeHealth }
  | { readonly kind: 'remotes'; readonly remotes: readonly RemoteHealth[] }
  | { readonly kind: 'remote'; readonly health: RemoteHealth }
  | {
      readonly kind: 'action';
      readonly parentId: string;
      readonly action: HealthAction;
      readonly problem: Problem | undefined;
    }
  | { readonly kind: 'check'; readonly parentId: string; readonly check: HealthCheck };

const CHECK_ICONS: Record<CheckStatus, [string, string | undefined]> = {
  ok: ['pass', 'testing.iconPassed'],
  info: ['info', undefined],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  error: ['error', 'errorForeground'],
  pending: ['loading~spin', undefined],
};

const CONNECTION_ICONS: Record<ConnectionState, [string, string | undefined]> = {
  unchecked: ['circle-large-outline', undefined],
  checking: ['loading~spin', undefined],
  connected: ['pass', 'testing.iconPassed'],
  needsReconnect: ['warning', 'problemsWarningIcon.foreground'],
  rateLimited: ['watch', 'problemsWarningIcon.foreground'],
  unreachable: ['debug-disconnect', 'errorForeground'],
  error: ['error', 'errorForeground'],
};

const REMOTE_ICONS: Record<RemoteState, [string, string | undefined]> = {
  unchecked: ['circle-large-outline', undefined],
  checking: ['loading~spin', undefined],
  ok: ['pass', 'testing.iconPassed'],
  redirect: ['arrow-swap', 'problemsWarningIcon.foreground'],
  error: ['error', 'errorForeground'],
  misconfigured: ['settings-gear', 'errorForeground'],
};

export class ConnectionTreeProvider implements vscode.TreeDataProvider<HealthTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HealthTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly health: HealthModel) {
    this.subscription = health.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: HealthTreeNode): HealthTreeNode[] {
    if (!node) {
      const snapshot = this.health.snapshot();
      // Signed out: no rows, so the view shows its welcome with "Connect Atlassian".
      if (snapshot.connections.length === 0) return [];
      const out: HealthTreeNode[] = snapshot.connections.map((health) => ({ kind: 'connection', health }));
      out.push({ kind: 'bridge', health: snapshot.bridge });
      if (snapshot.remotes.length > 0) out.push({ kind: 'remotes', remotes: snapshot.remotes });
      return out;
    }
    switch (node.kind) {
      case 'connection':
        return withAction(node.health.connectionId, node.health.action, node.health.problem, node.health.checks);
      case 'bridge':
        return node.health.checks.map((check) => ({ kind: 'check', parentId: 'bridge', check }));
      case 'remotes':
        return node.remotes.map((health) => ({ kind: 'remote', health }));
      case 'remote':
        return withAction(`remote/${node.health.id}`, node.health.action, node.health.problem, node.health.checks);
      default:
        return [];
    }
  }

  getTreeItem(node: HealthTreeNode): vscode.TreeItem {
    const expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'connection': {
        const { health } = node;
        // One line says it all; the details open on demand, and a problem's action shows at once.
        const item = new vscode.TreeItem(
          health.siteName,
          health.action ? expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `health/${health.connectionId}`;
        item.description = connectionSummary(health);
        item.iconPath = icon(CONNECTION_ICONS[health.state]);
        item.tooltip = problemTooltip(
          `${health.siteName} (${health.siteUrl})${health.isDefault ? ` — ${defaultText()}` : ''}: ${item.description}`,
          health.problem,
        );
        // Read by the menus' `when` clauses: state, whether it is the default, whether it has a cloud id.
        item.contextValue = `health.connection.${health.state}.${health.isDefault ? 'default' : 'other'}${health.cloudId ? '.cloudId' : ''}`;
        return item;
      }
      case 'bridge': {
        const item = new vscode.TreeItem(vscode.l10n.t('Local MCP bridge'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'health/bridge';
        item.description = bridgeSummary(node.health);
        item.iconPath = icon(
          node.health.state === 'running' ? ['server-process', 'testing.iconPassed'] : ['server-process', undefined],
        );
        item.tooltip = vscode.l10n.t(
          "{0}: {1}. Click to list VS Code's MCP servers.",
          node.health.label,
          node.health.summary,
        );
        item.command = { command: 'workbench.mcp.listServer', title: vscode.l10n.t('MCP: List Servers') };
        item.contextValue = 'health.bridge';
        return item;
      }
      case 'remotes': {
        const item = new vscode.TreeItem(vscode.l10n.t('Remote MCP servers'), expanded);
        item.id = 'health/remotes';
        item.description = String(node.remotes.length);
        item.iconPath = new vscode.ThemeIcon('remote');
        return item;
      }
      case 'remote': {
        const { health } = node;
        const item = new vscode.TreeItem(health.label, expanded);
        item.id = `health/remote/${health.id}`;
        item.description = health.summary;
        item.iconPath = icon(REMOTE_ICONS[health.state]);
        item.tooltip = problemTooltip(`${health.label}: ${health.summary}`, health.problem);
        item.contextValue = `health.remote.${health.state}`;
        return item;
      }
      case 'action':
        return actionItem(node);
      case 'check': {
        const { check } = node;
        const item = new vscode.TreeItem(check.label, vscode.TreeItemCollapsibleState.None);
        item.id = `health/${node.parentId}/${check.id}`;
        item.description = check.value;
        item.iconPath = icon(CHECK_ICONS[check.status]);
        item.tooltip = check.problem
          ? problemTooltip(`${check.label}: ${check.value}`, check.problem)
          : `${check.label}: ${check.value}`;
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function defaultText(): string {
  return vscode.l10n.t({
    message: 'default',
    comment: ['Marks the default Atlassian connection: the one agent tools use when they name no site'],
  });
}

/** "★ default · API token · Ada Lovelace · connected · Jira 84 ms · Confluence 61 ms" */
export function connectionSummary(health: ConnectionHealth): string {
  return [
    ...(health.isDefault ? [`★ ${defaultText()}`] : []),
    shortMethod(health.method),
    health.userName,
    health.summary,
  ].join(' · ');
}

function shortMethod(method: ConnectionHealth['method']): string {
  return method === 'oauth'
    ? vscode.l10n.t('OAuth')
    : method === 'apiToken'
      ? vscode.l10n.t('API token')
      : vscode.l10n.t('personal access token');
}

/** "not started · serves Acme Corp (default), Globex" */
function bridgeSummary(bridge: BridgeHealth): string {
  if (bridge.serves.length === 0) return bridge.summary;
  const sites = bridge.serves.map((s) => (s.isDefault ? `${s.siteName} (${defaultText()})` : s.siteName)).join(', ');
  return `${bridge.summary} · ${vscode.l10n.t('serves {0}', sites)}`;
}

function withAction(
  parentId: string,
  action: HealthAction | undefined,
  problem: Problem | undefined,
  checks: readonly HealthCheck[],
): HealthTreeNode[] {
  const rows: HealthTreeNode[] = checks.map((check) => ({ kind: 'check', parentId, check }));
  return action ? [{ kind: 'action', parentId, action, problem }, ...rows] : rows;
}

function actionItem(node: Extract<HealthTreeNode, { kind: 'action' }>): vscode.TreeItem {
  const { action } = node;
  let item: vscode.TreeItem;
  switch (action.kind) {
    case 'reconnect':
      item = new vscode.TreeItem(vscode.l10n.t('Reconnect'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon(['debug-restart', 'problemsWarningIcon.foreground']);
      item.command = {
        command: COMMANDS.reconnect,
        title: vscode.l10n.t('Reconnect'),
        arguments: [node.parentId],
      };
      break;
    case 'retry': {
      const wait = action.notBefore !== undefined ? (action.notBefore - Date.now()) / 1000 : 0;
      item = new vscode.TreeItem(
        wait > 0 ? vscode.l10n.t('Retry (after {0})', formatSeconds(wait)) : vscode.l10n.t('Retry'),
        vscode.TreeItemCollapsibleState.None,
      );
      item.iconPath = icon(['refresh', undefined]);
      item.command = { command: COMMANDS.checkConnection, title: vscode.l10n.t('Check Again') };
      break;
    }
    case 'openSettings':
      item = new vscode.TreeItem(vscode.l10n.t('Open Settings'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon(['settings-gear', undefined]);
      item.command = {
        command: 'workbench.action.openSettings',
        title: vscode.l10n.t('Open Settings'),
        arguments: [action.setting],
      };
      break;
  }
  item.id = `health/${node.parentId}/action`;
  // Next to "Reconnect" the reason helps; next to the other actions, what exactly to do.
  item.description = action.kind === 'reconnect' ? node.problem?.what : node.problem?.todo;
  item.tooltip = problemTooltip(item.label as string, node.problem);
  item.contextValue = `health.action.${action.kind}`;
  return item;
}

function icon([id, color]: [string, string | undefined]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function problemTooltip(title: string, problem: Problem | undefined): vscode.MarkdownString {
  const parts = [escapeMarkdown(title)];
  if (problem)
    parts.push(
      vscode.l10n.t('**What happened:** {0}', escapeMarkdown(problem.what)),
      vscode.l10n.t('**What to do:** {0}', escapeMarkdown(problem.todo)),
    );
  return new vscode.MarkdownString(parts.join('\n\n'));
}

export interface ConnectionView extends vscode.Disposable {
  readonly provider: ConnectionTreeProvider;
  readonly treeView: vscode.TreeView<HealthTreeNode>;
}

/** The view, its "check" command, and checks when it is shown (with progress in the view). */
export function registerConnectionView(health: HealthModel, bridgeToolCount: () => number): ConnectionView {
  const provider = new ConnectionTreeProvider(health);
  const treeView = vscode.window.createTreeView(VIEWS.connection, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const checkInView = () =>
    vscode.window.withProgress({ location: { viewId: VIEWS.connection } }, () => health.check({ remotes: true }));

  // VS Code has no event for MCP tools appearing; while the view is shown, look now and then
  // (and count a rate limit's wait down).
  let lastTools = bridgeToolCount();
  let watch: NodeJS.Timeout | undefined;
  const watchWhile = (visible: boolean) => {
    if (watch) clearInterval(watch);
    watch = visible
      ? setInterval(() => {
          const tools = bridgeToolCount();
          if (tools !== lastTools || health.snapshot().overall === 'rateLimited') {
            lastTools = tools;
            provider.refresh();
          }
        }, 5000)
      : undefined;
  };

  const disposables: vscode.Disposable[] = [
    provider,
    treeView,
    { dispose: () => watch && clearInterval(watch) },
    treeView.onDidChangeVisibility((e) => {
      watchWhile(e.visible);
      // Showing the view checks again, but not on every quick switch between views.
      const last = health.snapshot().checkedAt;
      if (e.visible && (last === undefined || Date.now() - last > 30_000)) void checkInView();
    }),
    vscode.commands.registerCommand(COMMANDS.checkConnection, checkInView),
  ];
  if (treeView.visible) {
    watchWhile(true);
    void checkInView();
  }
  return { provider, treeView, dispose: () => void vscode.Disposable.from(...disposables).dispose() };
}
