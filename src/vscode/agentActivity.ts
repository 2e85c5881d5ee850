// "Atlassian: Show Agent Activity": the bridge's audit log of writes (which it appends to a file in
// the extension's storage, ATLASSIAN_AUDIT_LOG) as a read-only text document, newest first. A
// virtual document rather than a webview: it opens at once, can be searched, copied and kept open
// beside the chat, and needs no HTML or scripts. Read and rendered only when the command runs.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ACTIVITY_SCHEME, COMMANDS } from './ids';

/** The log's file name in the extension's global storage; the bridge rotates it to `<name>.1`. */
export const ACTIVITY_LOG_FILE = 'agent-activity.jsonl';

/** Past this size the bridge moves the log to `<name>.1`: at most two such files are ever kept. */
export const ACTIVITY_LOG_MAX_BYTES = 1024 * 1024;

const ACTIVITY_URI = vscode.Uri.from({ scheme: ACTIVITY_SCHEME, path: '/Atlassian agent activity.log' });

class ActivityDocument implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly logPath: string) {}

  async provideTextDocumentContent(): Promise<string> {
    const { parseAuditLog, renderActivity } = await import('../core/auditLog');
    // The rotated half first: entries stay oldest to newest before sorting.
    const text = (await Promise.all([`${this.logPath}.1`, this.logPath].map(readIfPresent))).join('');
    return renderActivity(parseAuditLog(text));
  }

  /** Read the log again (the bridge may have written since the document was opened). */
  refresh(): void {
    this.changed.fire(ACTIVITY_URI);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export function registerAgentActivity(logPath: string): vscode.Disposable {
  const document = new ActivityDocument(logPath);
  return vscode.Disposable.from(
    document,
    vscode.workspace.registerTextDocumentContentProvider(ACTIVITY_SCHEME, document),
    vscode.commands.registerCommand(COMMANDS.showAgentActivity, async () => {
      document.refresh();
      const opened = await vscode.workspace.openTextDocument(ACTIVITY_URI);
      await vscode.window.showTextDocument(opened, { preview: true });
    }),
  );
}
