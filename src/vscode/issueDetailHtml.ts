// The issue panel's page: a strict CSP (this extension's script by nonce, its stylesheet, data:
// images; nothing remote), the translated labels, and the separately bundled webview script.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../issues/detail/richText';
import type { Labels } from '../issues/detail/protocol';

export function issueDetailHtml(webview: vscode.Webview, extensionUri: vscode.Uri, key: string): string {
  const nonce = randomBytes(18).toString('base64');
  const texts = labels();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'issueDetail.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', 'issueDetail.css'));
  const csp = [
    "default-src 'none'",
    'img-src data:',
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(key)}</title>
</head>
<body data-labels="${escapeHtml(JSON.stringify(texts))}">
<div id="root" aria-live="polite"><p class="muted" role="status">${escapeHtml(`${texts.loading} ${key}…`)}</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function labels(): Labels {
  const t = vscode.l10n.t;
  return {
    loading: t('Loading'),
    retry: t('Retry'),
    reconnect: t('Reconnect'),
    transition: t('Transition'),
    assign: t('Assign'),
    assignToMe: t('Assign to Me'),
    startWork: t('Start Work'),
    editSummary: t('Edit Summary'),
    openInBrowser: t('Open in Browser'),
    copyKey: t('Copy Key'),
    copyLink: t('Copy Link'),
    refresh: t('Refresh'),
    createSubtask: vscode.l10n.t('Create Sub-task'),
    details: t('Details'),
    status: t({ message: 'Status', comment: ['A row label in a Jira issue tooltip: the issue status'] }),
    type: t({ message: 'Type', comment: ['The type of a Jira issue (Bug, Story, …)'] }),
    priority: t({ message: 'Priority', comment: ['A row label in a Jira issue tooltip'] }),
    assignee: t({ message: 'Assignee', comment: ['A row label in a Jira issue tooltip'] }),
    reporter: t('Reporter'),
    created: t({ message: 'Created', comment: ['When a Jira issue was created'] }),
    updated: t({ message: 'Updated', comment: ['A row label in a Jira issue tooltip: when the issue last changed'] }),
    due: t({ message: 'Due', comment: ['The due date of a Jira issue'] }),
    resolution: t('Resolution'),
    labels: t({ message: 'Labels', comment: ['Jira issue labels'] }),
    components: t('Components'),
    fixVersions: t('Fix versions'),
    sprint: t('Sprint'),
    parent: t({ message: 'Parent', comment: ['The parent issue (or epic) of a Jira issue'] }),
    project: t('Project'),
    description: t('Description'),
    noDescription: t('No description.'),
    editDescription: t('Edit Description'),
    save: t('Save'),
    cancel: t('Cancel'),
    subtasks: t('Sub-tasks'),
    links: t('Linked issues'),
    attachments: t('Attachments'),
    open: t({ message: 'Open', comment: ['Open an attachment'] }),
    saveAs: t('Save As'),
    comments: t('Comments'),
    noComments: t('No comments yet.'),
    moreComments: t('Show older comments'),
    addComment: t('Add Comment'),
    commentPlaceholder: t('Write in Markdown…'),
    markdownHint: t('Markdown: **bold**, `code`, lists, tables, links. Ctrl+Enter saves.'),
    preview: vscode.l10n.t({ message: 'Preview', comment: ['Show a comment being written as Jira will show it'] }),
    emptyPreview: vscode.l10n.t('Nothing to preview yet.'),
    changelog: t('History'),
    showChangelog: t('Show History'),
    noChanges: t('No changes recorded.'),
    unassigned: t('Unassigned'),
    none: t({ message: 'None', comment: ['The priority of a Jira issue that has none'] }),
    actions: t('Issue actions'),
  };
}
