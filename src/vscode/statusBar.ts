// The status bar item: the overall state at a glance (signed out, connected, needs reconnect, rate
// limited, unreachable); a click opens the Connection view, where each problem has its action.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/markdown';
import type { HealthModel, OverallState } from '../health/health';
import { STATUS_BAR_ID, VIEWS } from './ids';

const LOOK: Record<OverallState, { text: string; background?: string }> = {
  signedOut: { text: '$(plug) Atlassian: signed out' },
  connected: { text: '$(check) Atlassian' },
  needsReconnect: { text: '$(warning) Atlassian: reconnect', background: 'statusBarItem.warningBackground' },
  rateLimited: { text: '$(watch) Atlassian: rate limited', background: 'statusBarItem.warningBackground' },
  unreachable: { text: '$(debug-disconnect) Atlassian: unreachable', background: 'statusBarItem.errorBackground' },
};

export function createStatusBarItem(health: HealthModel): vscode.Disposable & { readonly item: vscode.StatusBarItem } {
  const item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, -100);
  item.name = 'Atlassian MCP Bridge';
  // `<view id>.focus` opens the Atlassian side bar with the Connection view.
  item.command = { command: `${VIEWS.connection}.focus`, title: 'Show Atlassian Connection' };

  const update = () => {
    const snapshot = health.snapshot();
    const look = LOOK[snapshot.overall];
    item.text = look.text;
    item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    const lines =
      snapshot.connections.length === 0
        ? ['Not connected. Click to sign in from the Connection view.']
        : [...snapshot.connections.map((c) => `${c.siteName}: ${c.summary}`), `Local MCP bridge: ${snapshot.bridge.summary}`, 'Click for the Connection view.'];
    item.tooltip = new vscode.MarkdownString(['**Atlassian MCP Bridge**', ...lines.map(escapeMarkdown)].join('\n\n'));
    item.accessibilityInformation = { label: look.text.replace(/\$\([^)]+\)\s*/g, '') };
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
