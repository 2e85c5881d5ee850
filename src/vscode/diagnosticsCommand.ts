// "Atlassian: Run Diagnostics": runs every check, then shows the report as a read-only Markdown
// preview (a virtual document, so nothing asks to be saved), scrubbed of every secret the extension
// holds, with "Copy Report" to paste it into a bug report.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../auth/connections';
import type { HealthModel } from '../health/health';
import type { IssueListModel } from '../issues/issueList';
import type * as RunModule from './diagnosticsRun';
import { COMMANDS, DIAGNOSTICS_SCHEME } from './ids';

export interface DiagnosticsDependencies {
  readonly health: HealthModel;
  readonly issues: IssueListModel;
  readonly connections: ConnectionManager;
  readonly secrets: vscode.SecretStorage;
  readonly extensionVersion: string;
  /** Redacts with everything the log redactor knows, for text that came from elsewhere. */
  readonly redact: (text: string) => string;
}

/** Running the checks and writing the report ships as dist/diagnosticsRun.js, loaded on first run (esbuild.js). */
function runModule(): typeof RunModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('./diagnosticsRun') as typeof RunModule;
}

/** Serves the latest report to the editor and the Markdown preview; never writable. */
export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  report: string | undefined;

  readonly uri = vscode.Uri.from({ scheme: DIAGNOSTICS_SCHEME, path: '/Atlassian MCP Bridge diagnostics.md' });

  provideTextDocumentContent(): string {
    return this.report ?? '';
  }

  update(report: string): void {
    this.report = report;
    this.changed.fire(this.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerDiagnosticsCommand(deps: DiagnosticsDependencies): vscode.Disposable {
  const documents = new ReportDocuments();
  const copy = async () => {
    if (documents.report === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run "Atlassian: Run Diagnostics" first.'));
      return;
    }
    await vscode.env.clipboard.writeText(documents.report);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the diagnostics report'), 5000);
  };
  return vscode.Disposable.from(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(DIAGNOSTICS_SCHEME, documents),
    vscode.commands.registerCommand(COMMANDS.copyDiagnosticsReport, copy),
    vscode.commands.registerCommand(COMMANDS.runDiagnostics, () => runModule().runDiagnostics(deps, documents, copy)),
  );
}
