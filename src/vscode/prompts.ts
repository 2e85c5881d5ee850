// One input box of the sign-in: keeps what was typed, can carry buttons (e.g. "open the API token
// page"), and can check the answer before accepting it — the box stays open with the problem shown
// under it, so nothing typed is lost.
import * as vscode from 'vscode';

export interface PromptButton {
  readonly icon: string;
  readonly tooltip: string;
  run(): unknown;
}

export interface Prompt {
  readonly title: string;
  readonly prompt: string;
  /** The validation message while the box is empty. */
  readonly empty: string;
  readonly value: string | undefined;
  readonly password?: boolean;
  readonly placeholder?: string;
  readonly buttons?: readonly PromptButton[];
  /** A problem shown when the box opens (e.g. the reason "Try again" brought the person back). */
  readonly problem?: string;
  /** Checks the answer when Enter is pressed: a message keeps the box open and shows it. */
  readonly check?: (value: string, signal: AbortSignal) => Promise<string | undefined>;
}

/** The answer, trimmed; undefined when the person cancelled. */
export function ask(p: Prompt): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = p.title;
    box.prompt = p.prompt;
    box.value = p.value ?? '';
    box.password = p.password ?? false;
    box.placeholder = p.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = (p.buttons ?? []).map((b) => ({ iconPath: new vscode.ThemeIcon(b.icon), tooltip: b.tooltip }));
    if (p.problem) box.validationMessage = { message: p.problem, severity: vscode.InputBoxValidationSeverity.Error };
    let checking: AbortController | undefined;
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      checking?.abort();
      resolve(value);
      box.dispose();
    };
    // The box owns its listeners: disposing it (in finish) removes them.
    box.onDidChangeValue((v) => {
      checking?.abort();
      box.busy = false;
      box.validationMessage = v.trim() ? undefined : p.empty;
    });
    box.onDidTriggerButton((button) => {
      const index = box.buttons.indexOf(button);
      void p.buttons?.[index]?.run();
    });
    box.onDidAccept(async () => {
      const value = box.value.trim();
      if (!value) {
        box.validationMessage = p.empty;
        return;
      }
      if (!p.check) return finish(value);
      checking?.abort();
      const mine = new AbortController();
      checking = mine;
      box.busy = true;
      box.enabled = false;
      try {
        const problem = await p.check(value, mine.signal);
        if (mine.signal.aborted) return;
        if (problem === undefined) return finish(value);
        box.validationMessage = { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
      } catch (err) {
        if (!mine.signal.aborted)
          box.validationMessage = {
            message: err instanceof Error ? err.message : String(err),
            severity: vscode.InputBoxValidationSeverity.Error,
          };
      } finally {
        if (!mine.signal.aborted) {
          box.busy = false;
          box.enabled = true;
        }
      }
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
