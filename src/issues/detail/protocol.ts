// Messages between the issue detail panel (extension side) and its webview script. Plain data only:
// the webview never receives a credential or an Atlassian URL to load, only text, sanitised HTML and
// data: URIs of images the extension fetched.
import type { Attachment, ChangeEntry, CommentPage, IssueDetail } from './issueDetail';

/** What the webview may know of an attachment (no content URL). */
export type AttachmentView = Omit<Attachment, 'content'>;

export type DetailView = Omit<IssueDetail, 'attachments'> & { readonly attachments: readonly AttachmentView[] };

export interface ErrorView {
  readonly what: string;
  readonly todo: string;
  readonly reconnect: boolean;
}

export type ToWebview =
  | { readonly type: 'loading'; readonly key: string }
  | { readonly type: 'detail'; readonly detail: DetailView }
  | { readonly type: 'error'; readonly key: string; readonly error: ErrorView }
  /** An action failed; the issue stays shown with the error above it. */
  | { readonly type: 'actionError'; readonly error: ErrorView }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'image'; readonly id: string; readonly uri: string }
  | { readonly type: 'comments'; readonly page: CommentPage }
  | { readonly type: 'changelog'; readonly entries: readonly ChangeEntry[] }
  /** A comment being written, rendered as Jira will show it (mentions resolved). */
  | { readonly type: 'preview'; readonly html: string };

export type FromWebview =
  | { readonly type: 'ready' }
  | {
      readonly type: 'action';
      readonly action:
        | 'refresh'
        | 'reconnect'
        | 'transition'
        | 'assign'
        | 'assignToMe'
        | 'startWork'
        | 'editSummary'
        | 'openInBrowser'
        | 'copyKey'
        | 'copyLink'
        | 'moreComments'
        | 'changelog'
        | 'createSubtask';
    }
  | { readonly type: 'openIssue'; readonly key: string }
  | { readonly type: 'attachment'; readonly id: string; readonly mode: 'open' | 'save' }
  | { readonly type: 'comment'; readonly markdown: string }
  | { readonly type: 'preview'; readonly markdown: string }
  | { readonly type: 'editDescription'; readonly markdown: string };

/** The words the webview shows, translated by the extension (the webview has no l10n of its own). */
export type Labels = Record<
  | 'loading'
  | 'retry'
  | 'reconnect'
  | 'transition'
  | 'assign'
  | 'assignToMe'
  | 'startWork'
  | 'editSummary'
  | 'openInBrowser'
  | 'copyKey'
  | 'copyLink'
  | 'refresh'
  | 'createSubtask'
  | 'details'
  | 'status'
  | 'type'
  | 'priority'
  | 'assignee'
  | 'reporter'
  | 'created'
  | 'updated'
  | 'due'
  | 'resolution'
  | 'labels'
  | 'components'
  | 'fixVersions'
  | 'sprint'
  | 'parent'
  | 'project'
  | 'description'
  | 'noDescription'
  | 'editDescription'
  | 'save'
  | 'cancel'
  | 'subtasks'
  | 'links'
  | 'attachments'
  | 'open'
  | 'saveAs'
  | 'comments'
  | 'noComments'
  | 'moreComments'
  | 'addComment'
  | 'commentPlaceholder'
  | 'markdownHint'
  | 'preview'
  | 'emptyPreview'
  | 'changelog'
  | 'showChangelog'
  | 'noChanges'
  | 'unassigned'
  | 'none'
  | 'actions',
  string
>;
