// The commands run on one issue (a My Issues row, the selection, or `{connectionId, key}` from a
// keybinding, another extension or a test): open in the browser, copy key or link, transition
// (asking for the fields the transition's screen requires), comment in Markdown, assign to me.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { explainError, type Explanation } from '../health/explain';
import { browseUrl } from '../issues/issue';
import { assignToMe, commentInMarkdown } from '../issues/issueActions';
import type { IssueListModel } from '../issues/issueList';
import {
  findTransition,
  givenFieldValues,
  transitionsWithFields,
  transitionWithFields,
  type TransitionWithFields,
} from '../issues/transitions';
import { COMMANDS } from './ids';
import type { IssueTreeNode } from './issuesTree';
import { askTransitionFields, pickTransition } from './transitionPrompts';

export interface IssueRowActionDependencies {
  readonly model: IssueListModel;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  /** The row selected in the tree: the target when a command is run without one. */
  readonly selected: () => IssueTreeNode | undefined;
  /** Runs a task with the view's progress bar. */
  readonly inView: <T>(task: () => Promise<T>) => Thenable<T>;
}

/** An issue named by a caller (a keybinding, another extension, a test) instead of a tree row. */
interface IssueRef {
  readonly connectionId: string;
  readonly key: string;
}

interface ResolvedIssue {
  readonly connection: ConnectionInfo;
  readonly key: string;
  /** The status shown in the tree, when the action came from a row. */
  readonly status: string | undefined;
}

export function registerIssueRowActions(deps: IssueRowActionDependencies): vscode.Disposable {
  const { model, inView } = deps;

  const action = (name: string, run: (target: ResolvedIssue, ...extra: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, async (arg?: unknown, ...extra: unknown[]) => {
      const target = resolveIssue(arg ?? deps.selected(), model);
      if (!target) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select an issue in the My Issues view first.'));
        return;
      }
      return run(target, ...extra);
    });

  /** Tells of a failed action; `message` words it from the explanation (whole sentences, for translators). */
  const failed = (target: ResolvedIssue, err: unknown, message: (e: Explanation) => string) => {
    deps.onApiOutcome(target.connection.id, err);
    const e = explainError(err, {
      site: target.connection.siteName,
      method: target.connection.method,
      reason: target.connection.stateReason,
    });
    const buttons = e.remedy === 'reconnect' ? [vscode.l10n.t('Reconnect')] : [];
    void vscode.window
      .showErrorMessage(message(e), ...buttons)
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.connect));
  };
  const api = (target: ResolvedIssue) => deps.jira(target.connection);

  /**
   * Moves the issue; resolves to true once Jira did. A caller may name the transition (id, name or
   * target status) and give the screen's fields (by id or name); what is still required is asked for.
   */
  const transition = async (target: ResolvedIssue, wanted: unknown, given: unknown): Promise<boolean> => {
    let choices: TransitionWithFields[];
    try {
      choices = await inView(() => transitionsWithFields(api(target), target.key));
    } catch (err) {
      failed(target, err, (e) =>
        vscode.l10n.t('Could not read the transitions of {0}: {1} {2}', target.key, e.what, e.todo),
      );
      return false;
    }
    let choice: TransitionWithFields | undefined;
    if (typeof wanted === 'string') {
      choice = findTransition(choices, wanted);
      if (!choice) {
        const available =
          choices.map((c) => c.name).join(', ') ||
          vscode.l10n.t({ message: 'none', comment: ['No workflow transitions are available'] });
        void vscode.window.showErrorMessage(
          vscode.l10n.t('{0} has no transition "{1}" now. Available: {2}.', target.key, wanted, available),
        );
        return false;
      }
    } else if (choices.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no transitions available to you.', target.key));
      return false;
    } else {
      choice = await pickTransition(choices, target.key, target.status);
      if (!choice) return false;
    }
    const moveTo = choice;
    const { values, missing } = givenFieldValues(
      moveTo,
      given && typeof given === 'object' ? (given as Record<string, unknown>) : {},
    );
    const asked = await askTransitionFields(moveTo, missing);
    if (!asked) return false;
    try {
      await inView(() => transitionWithFields(api(target), target.key, moveTo.id, { ...values, ...asked }));
    } catch (err) {
      failed(target, err, (e) => vscode.l10n.t('Could not transition {0}: {1} {2}', target.key, e.what, e.todo));
      return false;
    }
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} moved to {1}', target.key, moveTo.to || moveTo.name), 5000);
    await inView(() => model.refresh(target.connection.id));
    return true;
  };

  return vscode.Disposable.from(
    action(COMMANDS.openIssueInBrowser, async (target) => {
      await vscode.env.openExternal(vscode.Uri.parse(browseUrl(target.connection, target.key), true));
    }),
    action(COMMANDS.copyIssueKey, async (target) => {
      await vscode.env.clipboard.writeText(target.key);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', target.key), 3000);
    }),
    action(COMMANDS.copyIssueLink, async (target) => {
      const url = browseUrl(target.connection, target.key);
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', url), 3000);
    }),
    action(COMMANDS.transitionIssue, (target, wanted, given) => transition(target, wanted, given)),

    action(COMMANDS.commentOnIssue, async (target, preset) => {
      const markdown =
        typeof preset === 'string'
          ? preset
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Comment on {0}', target.key),
              prompt: vscode.l10n.t('Markdown works: **bold**, `code`, lists and links.'),
              placeHolder: vscode.l10n.t('Your comment'),
              ignoreFocusOut: true,
              validateInput: (v) =>
                v.trim() ? undefined : vscode.l10n.t('Write a comment, or press Escape to cancel.'),
            });
      if (!markdown?.trim()) return;
      try {
        await inView(() => commentInMarkdown(api(target), target.key, markdown));
      } catch (err) {
        return failed(target, err, (e) =>
          vscode.l10n.t('Could not comment on {0}: {1} {2}', target.key, e.what, e.todo),
        );
      }
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Comment added to {0}.', target.key), vscode.l10n.t('Open in Browser'))
        .then((choice) => {
          if (choice) void vscode.env.openExternal(vscode.Uri.parse(browseUrl(target.connection, target.key), true));
        });
    }),

    action(COMMANDS.assignIssueToMe, async (target) => {
      try {
        await inView(() => assignToMe(api(target), target.connection, target.key));
      } catch (err) {
        return failed(target, err, (e) => vscode.l10n.t('Could not assign {0}: {1} {2}', target.key, e.what, e.todo));
      }
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} is assigned to you', target.key), 5000);
      await inView(() => model.refresh(target.connection.id));
    }),
  );
}

function resolveIssue(arg: unknown, model: IssueListModel): ResolvedIssue | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<Extract<IssueTreeNode, { kind: 'issue' }>> & Partial<IssueRef>;
  const connectionId = node.connectionId;
  const key = node.kind === 'issue' ? node.issue?.key : node.key;
  const connection = connectionId === undefined ? undefined : model.findConnection(connectionId);
  if (!connection || typeof key !== 'string') return undefined;
  return { connection, key, status: node.kind === 'issue' ? node.issue?.status.name : undefined };
}
