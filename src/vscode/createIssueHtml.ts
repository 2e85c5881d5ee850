// The create-issue form's page: the same strict CSP as the issue panel (this extension's script by
// nonce, its stylesheets, nothing remote), the translated labels, and the form's own script.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CreateLabels } from '../issues/create/protocol';
import { escapeHtml } from '../issues/detail/richText';

export function createIssueHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    'img-src data:',
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const l = labels();
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'webview', 'issueDetail.css')}">
<link rel="stylesheet" href="${asset('media', 'webview', 'createIssue.css')}">
<title>${escapeHtml(l.title)}</title>
</head>
<body data-labels="${escapeHtml(JSON.stringify(l))}">
<div id="root" aria-live="polite"><p class="muted" role="status">${escapeHtml(l.loading)}</p></div>
<script nonce="${nonce}" src="${asset('dist', 'webview', 'createIssue.js')}"></script>
</body>
</html>`;
}

function labels(): CreateLabels {
  return {
    title: vscode.l10n.t('New Jira Issue'),
    loading: vscode.l10n.t('Loading projects…'),
    project: vscode.l10n.t('Project'),
    issueType: vscode.l10n.t({ message: 'Type', comment: ['The type of a Jira issue (Bug, Story, …)'] }),
    summary: vscode.l10n.t('Summary'),
    description: vscode.l10n.t('Description'),
    markdownHint: vscode.l10n.t('Markdown: **bold**, `code`, lists, tables, links. Ctrl+Enter creates the issue.'),
    required: vscode.l10n.t('required'),
    choose: vscode.l10n.t('Choose…'),
    none: vscode.l10n.t({ message: 'None', comment: ['No value chosen for a field of a new Jira issue'] }),
    create: vscode.l10n.t('Create Issue'),
    cancel: vscode.l10n.t('Cancel'),
    retry: vscode.l10n.t('Retry'),
    reconnect: vscode.l10n.t('Reconnect'),
    parentOf: vscode.l10n.t('Sub-task of {0}'),
    labelsHint: vscode.l10n.t('Separate labels with spaces or commas.'),
    issueKeyHint: vscode.l10n.t('An issue key, for example ENG-12.'),
    notCreated: vscode.l10n.t('The issue was not created.'),
  };
}
