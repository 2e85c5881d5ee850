// Messages between the create-issue panel (extension side) and its webview script. Plain data only.
import type { ErrorView } from '../detail/protocol';
import type { FormValue } from './createIssue';
import type { CreateField, IssueTypeChoice, ProjectChoice } from './createMeta';

/** What the form shows: the choices, the fields of the chosen project and type, and what to prefill. */
export interface FormState {
  readonly site: string;
  readonly projects: readonly ProjectChoice[];
  readonly projectKey: string | undefined;
  readonly issueTypes: readonly IssueTypeChoice[];
  readonly issueTypeId: string | undefined;
  readonly fields: readonly CreateField[];
  /** A sub-task's parent, fixed by where the form was opened from. */
  readonly parentKey: string | undefined;
  /** Prefilled values (a TODO's summary and description); the webview applies them to its first form. */
  readonly prefill: Readonly<{ summary?: string; description?: string }> | undefined;
}

export interface Submission {
  readonly summary: string;
  readonly description: string;
  readonly values: Readonly<Record<string, FormValue>>;
}

export type ToCreateWebview =
  | { readonly type: 'form'; readonly state: FormState }
  | { readonly type: 'loadError'; readonly error: ErrorView }
  | { readonly type: 'busy'; readonly busy: boolean }
  /** Why the issue was not created: beside each field, and above the form for the rest. */
  | {
      readonly type: 'refused';
      readonly fieldErrors: Readonly<Record<string, string>>;
      readonly general: readonly string[];
    }
  | { readonly type: 'failed'; readonly error: ErrorView }
  | { readonly type: 'userPicked'; readonly fieldId: string; readonly id: string; readonly name: string };

export type FromCreateWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'select'; readonly projectKey: string; readonly issueTypeId: string | undefined }
  | { readonly type: 'pickUser'; readonly fieldId: string; readonly fieldName: string }
  | ({ readonly type: 'submit' } & Submission)
  | { readonly type: 'retry' }
  | { readonly type: 'reconnect' }
  | { readonly type: 'cancel' };

/** The words the form shows, translated by the extension. */
export type CreateLabels = Record<
  | 'title'
  | 'loading'
  | 'project'
  | 'issueType'
  | 'summary'
  | 'description'
  | 'markdownHint'
  | 'required'
  | 'choose'
  | 'none'
  | 'create'
  | 'cancel'
  | 'retry'
  | 'reconnect'
  | 'parentOf'
  | 'labelsHint'
  | 'issueKeyHint'
  | 'notCreated',
  string
>;
