// Core modules translate with @vscode/l10n because they cannot import `vscode`; this points that
// library at the bundle VS Code loaded for the display language (none for English).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function translateCoreMessages(): void {
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
}
