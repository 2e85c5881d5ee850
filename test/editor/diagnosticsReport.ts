// Runs "Atlassian: Run Diagnostics" and returns the report: a read-only virtual document shown as a
// Markdown preview (a webview tab), never an untitled editor that asks to be saved.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, DIAGNOSTICS_SCHEME } from '../../src/vscode/ids';
import { waitFor } from './waitFor';

const reportDocument = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === DIAGNOSTICS_SCHEME);
const previewTab = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview'));

export async function runDiagnosticsReport(): Promise<string> {
  const untitledBefore = vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
  await vscode.commands.executeCommand(COMMANDS.runDiagnostics);
  await waitFor(() => previewTab() !== undefined, 'the Markdown preview of the report');
  await waitFor(
    () => reportDocument()?.getText().startsWith('# Atlassian MCP Bridge diagnostics') === true,
    'the report',
  );
  const document = reportDocument()!;
  assert.equal(document.isUntitled, false);
  assert.equal(document.isDirty, false);
  assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, untitledBefore, 'no untitled editor');
  return document.getText();
}

/** Closes the preview tab (nothing to save: it is read-only). */
export async function closeDiagnosticsPreview(): Promise<void> {
  const tab = previewTab();
  if (tab) await vscode.window.tabGroups.close(tab);
}
