// The body of "Atlassian: Run Diagnostics" (bundled as dist/diagnosticsRun.js, loaded when it first
// runs): every check, the report built and scrubbed of every secret the extension holds, then shown.
import * as vscode from 'vscode';
import { clientSecretKey, parseStoredCredential, secretValues } from '../auth/secrets';
import { utcMinute } from '../core/time';
import { buildDiagnosticsReport, scrubReport, type IssueListStatus } from '../health/diagnostics';
import type { IssueListModel } from '../issues/issueList';
import type { DiagnosticsDependencies, ReportDocuments } from './diagnosticsCommand';
import { readIssueSettings } from './settings';

export async function runDiagnostics(
  deps: DiagnosticsDependencies,
  documents: ReportDocuments,
  copy: () => Promise<void>,
): Promise<void> {
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
  documents.update(report);
  await showReport(documents.uri);
  const copyReport = vscode.l10n.t('Copy Report');
  // Not awaited: the command is done when the report shows, whether or not the offer is taken.
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('The diagnostics report is open. Secrets are removed; copy it into a bug report.'),
      copyReport,
    )
    .then((choice) => (choice === copyReport ? copy() : undefined));
}

/** The rendered preview when VS Code's Markdown extension is there, else the read-only source. */
async function showReport(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return;
  } catch {
    // No Markdown extension (disabled, or a minimal editor): the source is still read-only.
  }
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  await vscode.window.showTextDocument(document, { preview: false });
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
