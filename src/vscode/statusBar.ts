// The status bar item: the overall state at a glance (signed out, connected, needs reconnect, rate
// limited, unreachable); a click opens the Connection view, where each problem has its action.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/markdown';
import type { HealthModel, OverallState } from '../health/health';
import { STATUS_BAR_ID, VIEWS } from './ids';

// A function, not a constant table: the texts are translated when shown, after activation.
function look(state: OverallState): { text: string; background?: string } {
  switch (state) {
    case 'signedOut':
      return { text: vscode.l10n.t('$(plug) Atlassian: signed out') };
    case 'connected':
      return { text: '$(check) Atlassian' };
    case 'needsReconnect':
      return { text: vscode.l10n.t('$(warning) Atlassian: reconnect'), background: 'statusBarItem.warningBackground' };
    case 'rateLimited':
      return { text: vscode.l10n.t('$(watch) Atlassian: rate limited'), background: 'statusBarItem.warningBackground' };
    case 'unreachable':
      return {
        text: vscode.l10n.t('$(debug-disconnect) Atlassian: unreachable'),
        background: 'statusBarItem.errorBackground',
      };
  }
}

export function createStatusBarItem(health: HealthModel): vscode.Disposable & { readonly item: vscode.StatusBarItem } {
  const item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, -100);
  item.name = 'Atlassian MCP Bridge';
  // `<view id>.focus` opens the Atlassian side bar with the Connection view.
  item.command = { command: `${VIEWS.connection}.focus`, title: vscode.l10n.t('Show Atlassian Connection') };

  const update = () => {
    const snapshot = health.snapshot();
    const { text, background } = look(snapshot.overall);
    item.text = text;
    item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    const lines =
      snapshot.connections.length === 0
        ? [vscode.l10n.t('Not connected. Click to sign in from the Connection view.')]
        : [
            ...snapshot.connections.map((c) =>
              c.isDefault ? vscode.l10n.t('{0} (default): {1}', c.siteName, c.summary) : `${c.siteName}: ${c.summary}`,
            ),
            vscode.l10n.t('Local MCP bridge: {0}', snapshot.bridge.summary),
            vscode.l10n.t('Click for the Connection view.'),
          ];
    item.tooltip = new vscode.MarkdownString(['**Atlassian MCP Bridge**', ...lines.map(escapeMarkdown)].join('\n\n'));
    item.accessibilityInformation = { label: text.replace(/\$\([^)]+\)\s*/g, '') };
  };
  update();
  item.show();
  const subscription = health.onDidChange(update);
  return {
    item,
    dispose: () => {
      subscription.dispose();
      item.dispose();
    },
  };
}
