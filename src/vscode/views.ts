// The "My Issues" and "Connection" views. Until a connection exists both are empty, which makes
// VS Code show their signed-out welcome (viewsWelcome in the manifest).
import * as vscode from 'vscode';

export class EmptyTreeDataProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}

export function registerViews(viewIds: readonly string[]): vscode.Disposable {
  const views = viewIds.map((id) =>
    vscode.window.createTreeView(id, { treeDataProvider: new EmptyTreeDataProvider(), showCollapseAll: false }),
  );
  return vscode.Disposable.from(...views);
}
