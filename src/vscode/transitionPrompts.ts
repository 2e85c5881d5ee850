// The prompts of a transition, shared by the My Issues tree and the issue panel: the transition
// (saying which fields it asks for), then each field its screen requires — a quick pick of the
// values Jira allows, an input box for text. Escape at any step cancels before anything is posted.
import * as vscode from 'vscode';
import type { FieldValue, ScreenField, TransitionWithFields } from '../issues/transitions';

/** Asks which transition to run; undefined when the person cancelled. */
export async function pickTransition(
  transitions: readonly TransitionWithFields[],
  key: string,
  status: string | undefined,
): Promise<TransitionWithFields | undefined> {
  const picked = await vscode.window.showQuickPick(
    transitions.map((t) => ({
      label: t.name,
      description: t.to && t.to !== t.name ? `→ ${t.to}` : undefined,
      detail: t.required.length ? vscode.l10n.t('Asks for: {0}', t.required.map((f) => f.name).join(', ')) : undefined,
      transition: t,
    })),
    {
      title: vscode.l10n.t('Transition {0}', key),
      placeHolder: status ? vscode.l10n.t('{0} is {1}. Move it to…', key, status) : vscode.l10n.t('Move {0} to…', key),
    },
  );
  return picked?.transition;
}

/** Asks for each of `fields` in turn; undefined as soon as the person cancels one. */
export async function askTransitionFields(
  transition: TransitionWithFields,
  fields: readonly ScreenField[],
): Promise<Record<string, FieldValue> | undefined> {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    const title = vscode.l10n.t('{0}: {1}', transition.name, field.name);
    if (field.allowed) {
      const choice = await vscode.window.showQuickPick(
        field.allowed.map((a) => ({ label: a.name, id: a.id })),
        // Focus returning to the panel or tree as the previous pick closes must not cancel this one.
        { title, placeHolder: field.name, ignoreFocusOut: true },
      );
      if (!choice) return undefined;
      values[field.id] = { id: choice.id };
    } else {
      const text = await vscode.window.showInputBox({
        title,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('{0} is required.', field.name)),
      });
      if (!text?.trim()) return undefined;
      values[field.id] = text;
    }
  }
  return values;
}
