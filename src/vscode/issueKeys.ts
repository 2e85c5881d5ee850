// Issue keys of connected sites in editors and the commit message box become links (to the issue's
// panel) and hovers (summary, status, assignee, Open / Start Work / Open in Browser, Add to Chat /
// Ask Agent). Registering the providers costs nothing at activation; project keys are fetched when a document with a key-shaped word is
// first shown, issues only when hovered (IssueKeyIndex caches both).
import * as vscode from 'vscode';
import type { ConnectionInfo } from '../auth/connections';
import { escapeMarkdown } from '../core/markdown';
import { explainError } from '../health/explain';
import type { IssueKeyIndex, IssueLookup, KeyMatch } from '../issues/keys/issueKeyIndex';
import { COMMANDS } from './ids';

/** Source files, Markdown, plain text, unsaved documents and the SCM commit message input. */
export const ISSUE_KEY_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-scm' },
];

/** Larger documents (logs, generated files) are left alone: matching them is not worth the time. */
const MAX_DOCUMENT_CHARS = 1_000_000;

export interface IssueKeyDependencies {
  readonly index: IssueKeyIndex;
  readonly connections: () => readonly ConnectionInfo[];
  readonly onConnectionsChange: (listener: () => void) => vscode.Disposable;
}

function commandUri(command: string, arg: unknown): vscode.Uri {
  return vscode.Uri.parse(`command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`);
}

/** One connection: open there. Several sites with the project: Open Issue by Key asks which. */
function openTarget(match: KeyMatch): vscode.Uri {
  return match.connectionIds.length === 1
    ? commandUri(COMMANDS.openIssue, { connectionId: match.connectionIds[0], key: match.key })
    : commandUri(COMMANDS.openIssueByKey, match.key);
}

function hoverSection(lookup: IssueLookup, showSite: boolean): string {
  const site = showSite ? ` · ${escapeMarkdown(lookup.connection.siteName)}` : '';
  const target = { connectionId: lookup.connection.id, key: lookup.ok ? lookup.issue.key : '' };
  if (!lookup.ok) {
    const e = explainError(lookup.error, {
      site: lookup.connection.siteName,
      method: lookup.connection.method,
      reason: lookup.connection.stateReason,
    });
    return `${escapeMarkdown(e.what)} ${escapeMarkdown(e.todo)}${site}`;
  }
  const { issue } = lookup;
  const assignee = issue.assignee?.displayName ?? vscode.l10n.t('Unassigned');
  const open = `[${vscode.l10n.t('Open')}](${commandUri(COMMANDS.openIssue, target).toString()})`;
  const browser = `[${vscode.l10n.t('Open in Browser')}](${commandUri(COMMANDS.openIssueInBrowser, target).toString()})`;
  const startWork = `[${vscode.l10n.t('Start Work')}](${commandUri(COMMANDS.startWork, target).toString()})`;
  const toChat = `[${vscode.l10n.t('Add to Chat')}](${commandUri(COMMANDS.addIssueToChat, target).toString()})`;
  const askAgent = `[${vscode.l10n.t('Ask Agent')}](${commandUri(COMMANDS.askAgentAboutIssue, target).toString()})`;
  return [
    `**${escapeMarkdown(issue.key)}** ${escapeMarkdown(issue.summary)}${site}`,
    [issue.type.name, issue.status.name, assignee].map(escapeMarkdown).join(' · '),
    `${open} · ${startWork} · ${browser}`,
    `${toChat} · ${askAgent}`,
  ].join('\n\n');
}

export function registerIssueKeys(deps: IssueKeyDependencies): vscode.Disposable {
  const { index } = deps;
  const keysIn = (document: vscode.TextDocument) =>
    document.getText().length > MAX_DOCUMENT_CHARS || deps.connections().length === 0
      ? Promise.resolve([])
      : index.find(document.getText());

  const links: vscode.DocumentLinkProvider = {
    provideDocumentLinks: async (document) =>
      (await keysIn(document)).map((m) => {
        const link = new vscode.DocumentLink(
          new vscode.Range(document.positionAt(m.start), document.positionAt(m.end)),
          openTarget(m),
        );
        link.tooltip = vscode.l10n.t('Open Jira issue {0}', m.key);
        return link;
      }),
  };

  const hovers: vscode.HoverProvider = {
    provideHover: async (document, position) => {
      if (deps.connections().length === 0) return undefined;
      // Only the line is matched: keys never span lines.
      const line = document.lineAt(position.line);
      const match = await index.at(line.text, position.character);
      if (!match) return undefined;
      const lookups = await index.lookup(match);
      const text = new vscode.MarkdownString(
        lookups.map((l) => hoverSection(l, lookups.length > 1)).join('\n\n---\n\n'),
      );
      text.isTrusted = {
        enabledCommands: [
          COMMANDS.openIssue,
          COMMANDS.startWork,
          COMMANDS.openIssueInBrowser,
          COMMANDS.addIssueToChat,
          COMMANDS.askAgentAboutIssue,
        ],
      };
      return new vscode.Hover(text, new vscode.Range(position.line, match.start, position.line, match.end));
    },
  };

  return vscode.Disposable.from(
    vscode.languages.registerDocumentLinkProvider(ISSUE_KEY_SELECTOR, links),
    vscode.languages.registerHoverProvider(ISSUE_KEY_SELECTOR, hovers),
    // Another site's projects, or none: forget what was cached.
    deps.onConnectionsChange(() => index.clear()),
  );
}
