// The small part of VS Code's built-in Git extension API (`vscode.git`, getAPI(1)) Start Work uses,
// typed here by hand: the extension publishes its git.d.ts only in its own repository.
import * as vscode from 'vscode';

export interface GitBranch {
  readonly name?: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: { readonly HEAD: GitBranch | undefined; readonly onDidChange: vscode.Event<void> };
  /** Rejects when there is no such branch. */
  getBranch(name: string): Promise<GitBranch>;
  createBranch(name: string, checkout: boolean, ref?: string): Promise<void>;
  checkout(treeish: string): Promise<void>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}

const INITIALIZE_TIMEOUT_MS = 10_000;

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The Git API, or undefined when the Git extension is missing or disabled (git.enabled: false). */
export async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports?.enabled) return undefined;
  const api = exports.getAPI(1);
  if (api.state === 'initialized') return api;
  // Repositories are discovered after the extension activates; they are all known once it says so
  // (without a git binary it never does: then what it has after a while).
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, INITIALIZE_TIMEOUT_MS);
    const sub = api.onDidChangeState((state) => state === 'initialized' && done());
  });
  return api;
}

/** Checks the branch out, creating it from HEAD when it does not exist; says which happened. */
export async function checkoutBranch(repository: GitRepository, name: string): Promise<'created' | 'checkedOut'> {
  if (repository.state.HEAD?.name === name) return 'checkedOut';
  const exists = await repository.getBranch(name).then(
    () => true,
    () => false,
  );
  if (exists) {
    await repository.checkout(name);
    return 'checkedOut';
  }
  await repository.createBranch(name, true);
  return 'created';
}
