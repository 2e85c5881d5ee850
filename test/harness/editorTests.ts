// Runs the mocha suites of test/editor/ INSIDE code-server's extension host, against the extension
// as installed from the VSIX. The workbench honours the `payload` URL parameter only with the
// smoke-test driver on; the host's exit code comes back through window.codeAutomationExit.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { EDITOR_LOG_TAG } from '../support/editorLogTag';

const RESULTS = resolve(__dirname, '..', '..', 'test-results');

export interface EditorRunOptions {
  readonly vsix: string;
  /** Bundled suite entry (out/test/editor/index.js). */
  readonly testsEntry: string;
  /** Extra environment for the extension host (e.g. the sandbox URL). */
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface EditorRunResult {
  readonly exitCode: number;
  readonly stats: { passes: number; failures: number; pending: number } | undefined;
}

export async function runEditorTests(options: EditorRunOptions): Promise<EditorRunResult> {
  const statsFile = join(tmpdir(), `amb-editor-stats-${randomUUID()}.json`);
  await mkdir(RESULTS, { recursive: true });
  const server = await startCodeServer({ smokeTestDriver: true, vsix: options.vsix });
  const session = await openBrowser();
  try {
    const { page } = session;
    // The workbench forwards every console line; ours are tagged, the rest goes to a file.
    const console = createWriteStream(join(RESULTS, 'editor-console.log'));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      for (const arg of args) {
        const line = String(arg);
        if (line.startsWith(EDITOR_LOG_TAG)) process.stdout.write(`${line.slice(EDITOR_LOG_TAG.length)}\n`);
        else console.write(`${line}\n`);
      }
    });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(server.installedExtension!)],
      ['extensionTestsPath', remote(options.testsEntry)],
      ['extensionEnvironment', JSON.stringify({ ...options.env, AMB_STATS_FILE: statsFile })],
    ];
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timeoutMs = options.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stdout.write(
          `[editor] no result within ${timeoutMs / 1000} s; code-server said:\n${server.output()}\n`,
        );
        resolve(1);
      }, timeoutMs);
    });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const stats = await readFile(statsFile, 'utf8').then(
      (text) => JSON.parse(text) as EditorRunResult['stats'],
      () => undefined,
    );
    return { exitCode, stats };
  } finally {
    await session.close();
    await server.stop();
  }
}
