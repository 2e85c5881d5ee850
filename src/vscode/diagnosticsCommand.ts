// "Atlassian: Run Diagnostics": runs every check, then opens the report as an untitled Markdown
// document, scrubbed of every secret the extension holds, ready to paste into a bug report.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../auth/connections';
import { clientSecretKey, parseStoredCredential, secretValues } from '../auth/secrets';
import { utcMinute } from '../core/time';
import { buildDiagnosticsReport, scrubReport, type IssueListStatus } from '../health/diagnostics';
import type { HealthModel } from '../health/health';
import type { IssueListModel } from '../issues/issueList';
import { COMMANDS } from './ids';
import { readIssueSettings } from './settings';

export interface DiagnosticsDependencies {
  readonly health: HealthModel;
  readonly issues: IssueListModel;
  readonly connections: ConnectionManager;
  readonly secrets: vscode.SecretStorage;
  readonly extensionVersion: string;
  /** Redacts with everything the log redactor knows, for text that came from elsewhere. */
  readonly redact: (text: string) => string;
}

export function registerDiagnosticsCommand(deps: DiagnosticsDependencies): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.runDiagnostics, async () => {
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Atlassian: running diagnostics…'),
        cancellable: true,
      },
      async (_progress, token) => {
        // The checks cannot be aborted midway; cancelling just stops waiting for them.
        const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
        const snapshot = await Promise.race([deps.health.check({ remotes: true }), cancelled]);
        if (!snapshot) return undefined;
        const text = buildDiagnosticsReport({
          snapshot,
          environment: {
            extensionVersion: deps.extensionVersion,
            editor: `${vscode.env.appName} ${vscode.version}${vscode.env.uiKind === vscode.UIKind.Web ? ' (web)' : ''}`,
            runtime: `${process.platform} ${process.arch}, Node ${process.versions.node}${vscode.env.remoteName ? `, remote: ${vscode.env.remoteName}` : ''}`,
          },
          issueLists: issueListStatus(deps.issues, deps.redact),
          settingsProblems: readIssueSettings().problems,
          generatedAt: Date.now(),
        });
        return scrubReport(text, await heldSecrets(deps));
      },
    );
    if (report === undefined) return;
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
    await vscode.window.showTextDocument(document, { preview: false });
  });
}

function issueListStatus(issues: IssueListModel, redact: (text: string) => string): IssueListStatus[] {
  const out: IssueListStatus[] = [];
  for (const connection of issues.connections()) {
    for (const filter of issues.filtersFor(connection)) {
      const view = issues.view(connection.id, filter.id);
      const shown =
        view.total !== undefined && view.hasMore
          ? vscode.l10n.t('{0} of {1} issues loaded', view.issues.length, view.total)
          : view.hasMore
            ? vscode.l10n.t('{0} issues (more available)', view.issues.length)
            : vscode.l10n.t('{0} issues', view.issues.length);
      const base = { connection: connection.siteName, filter: filter.name };
      if (view.status === 'idle') out.push({ ...base, result: vscode.l10n.t('not loaded yet') });
      else if (view.status === 'loading')
        out.push({
          ...base,
          result: vscode.l10n.t({
            message: 'loading',
            comment: ['The state of an issue list in the diagnostics report: its first page is being loaded'],
          }),
        });
      else if (view.error)
        out.push({
          ...base,
          result: redact(view.error.what),
          problem: { what: redact(view.error.what), todo: view.error.todo },
        });
      else
        out.push({
          ...base,
          result:
            view.loadedAt !== undefined ? vscode.l10n.t('{0}, loaded {1}', shown, utcMinute(view.loadedAt)) : shown,
        });
    }
  }
  return out;
}

/** Every secret value in secret storage that belongs to a connection, and the OAuth client secrets. */
async function heldSecrets(deps: DiagnosticsDependencies): Promise<string[]> {
  const keys = new Set<string>();
  for (const c of deps.connections.list()) {
    keys.add(c.secretKey);
    if (c.oauth) keys.add(clientSecretKey(c.oauth.clientId));
  }
  const values: string[] = [];
  for (const key of keys) {
    const text = await deps.secrets.get(key);
    if (!text) continue;
    const credential = parseStoredCredential(text);
    values.push(...(credential ? secretValues(credential) : [text]));
  }
  return values;
}
