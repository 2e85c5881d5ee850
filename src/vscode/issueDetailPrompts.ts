// The issue panel's native prompts: a transition (then each field its screen requires) and an
// assignee found by searching Jira's users as the person types.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import { findUsers } from '../issues/detail/detailActions';
import { transitionsWithFields, transitionWithFields } from '../issues/transitions';
import { askTransitionFields, pickTransition } from './transitionPrompts';

/** Asks for a transition and its required fields, then runs it; false when the person cancelled. */
export async function runTransitionPrompt(api: JiraApi, key: string, status: string | undefined): Promise<boolean> {
  const transitions = await transitionsWithFields(api, key);
  if (transitions.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no transitions available to you.', key));
    return false;
  }
  const transition = await pickTransition(transitions, key, status);
  if (!transition) return false;
  const values = await askTransitionFields(transition, transition.required);
  if (!values) return false;
  await transitionWithFields(api, key, transition.id, values);
  return true;
}

interface UserItem extends vscode.QuickPickItem {
  /** null unassigns. */
  readonly userId: string | null;
}

/** Searches users as the person types; resolves to an id, null for "Unassigned", undefined when cancelled. */
export async function assignPrompt(api: JiraApi, key: string): Promise<string | null | undefined> {
  const user = await userPrompt(api, vscode.l10n.t('Assign {0}', key), true);
  return user === undefined ? undefined : (user?.id ?? null);
}

/** A Jira user found by searching as the person types; null for "Unassigned" (when offered), undefined when cancelled. */
export function userPrompt(
  api: JiraApi,
  title: string,
  offerUnassigned: boolean,
): Promise<{ id: string; name: string } | null | undefined> {
  const pick = vscode.window.createQuickPick<UserItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Type a name or e-mail to search Jira users');
  pick.ignoreFocusOut = true;
  const unassigned: UserItem = { label: vscode.l10n.t('Unassigned'), userId: null, alwaysShow: true };
  const fixed = offerUnassigned ? [unassigned] : [];
  pick.items = fixed;
  pick.matchOnDescription = true;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  const search = (query: string) => {
    const mine = ++generation;
    if (!query.trim()) {
      pick.items = fixed;
      return;
    }
    pick.busy = true;
    findUsers(api, query.trim())
      .then((users) => {
        if (mine !== generation) return;
        pick.items = [
          ...users.map((u) => ({ label: u.name, description: u.detail, userId: u.id, alwaysShow: true })),
          ...fixed,
        ];
      })
      .catch((err: unknown) => {
        if (mine === generation) pick.placeholder = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        if (mine === generation) pick.busy = false;
      });
  };
  return new Promise((resolve) => {
    let result: { id: string; name: string } | null | undefined;
    pick.onDidChangeValue((value) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => search(value), 250);
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      result = item ? (item.userId === null ? null : { id: item.userId, name: item.label }) : undefined;
      pick.hide();
    });
    pick.onDidHide(() => {
      if (timer) clearTimeout(timer);
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
