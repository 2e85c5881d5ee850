// The benchmark's real VS Code: code-server with the packaged VSIX installed, driven by Debian
// Chromium. Each "window" is one page load whose extension host runs bench/extension-host.ts (the
// `payload` URL route of the editor tests, see test/harness/editorTests.ts) and exits; a fresh page
// load means a fresh extension host, so every window is one activation sample.
//
// A window takes one unpacked extension under development (code-server keeps only the last
// `extensionDevelopmentPath`). The activation windows load the trivial baseline that way, beside
// ours as installed from the VSIX — so ours runs exactly as for a user (Production mode), and VS Code
// activates both on the same event in the same host. The last window loads ours under development
// instead (Test mode, for the test API the tree measurement needs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBrowser } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/codeServer';
import type { ExtensionHostConfig, ExtensionHostResult } from './extension-host';

export interface EditorBenchOptions {
  /** The VSIX to install (the extension under test). */
  readonly vsix: string;
  /** The unpacked baseline extension, loaded beside it in the activation windows. */
  readonly baseline: { readonly folder: string; readonly id: string };
  /** The id of the extension under test. */
  readonly extensionId: string;
  /** The bundled bench/extension-host.ts. */
  readonly entry: string;
  /** Activation windows measured, after one discarded warm-up (cold caches in code-server and Chromium). */
  readonly windows: number;
  /** Measured in one more window at the end. */
  readonly tree: NonNullable<ExtensionHostConfig['tree']>;
  /** Scratch directory for the windows' result files. */
  readonly dir: string;
  readonly timeoutMs?: number;
}

export interface EditorBenchResult {
  /** One per measured window. */
  readonly windows: ExtensionHostResult[];
  /** Page load → extension host exit, per window (warm-up and tree included), for the record. */
  readonly windowMs: number[];
  readonly tree: NonNullable<ExtensionHostResult['tree']>;
}

/** What is running now; code-server runs in a process group of its own, so it needs stopping on Ctrl-C too. */
let running: { stop(): Promise<void> } | undefined;

/** Stops code-server (by its process group) if a measurement is under way; for signal handlers. */
export async function stopEditor(): Promise<void> {
  await running?.stop();
}

export async function measureInEditor(options: EditorBenchOptions): Promise<EditorBenchResult> {
  const server = await startCodeServer({ smokeTestDriver: true, vsix: options.vsix });
  running = server;
  try {
    const session = await openBrowser();
    try {
      const windows: ExtensionHostResult[] = [];
      const windowMs: number[] = [];
      let tree: EditorBenchResult['tree'] | undefined;
      const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
      const windowCount = options.windows + 2;
      for (let w = 0; w < windowCount; w++) {
        const treeWindow = w === windowCount - 1;
        const out = join(options.dir, `window-${w}.json`);
        // Each goes first in every other window: the first activation in a host may pay for something the second reuses.
        const order = w % 2 ? [options.baseline.id, options.extensionId] : [options.extensionId, options.baseline.id];
        const config: ExtensionHostConfig = treeWindow
          ? { out, extensions: [options.extensionId], tree: options.tree }
          : { out, extensions: order };
        const payload = [
          ['extensionDevelopmentPath', remote(treeWindow ? server.installedExtension! : options.baseline.folder)],
          ['extensionTestsPath', remote(options.entry)],
          ['extensionEnvironment', JSON.stringify({ AMB_BENCH_CONFIG: JSON.stringify(config) })],
        ];
        const page = await session.context.newPage();
        const started = Date.now();
        try {
          let exit: (code: number) => void = () => undefined;
          const exited = new Promise<number>((resolve) => (exit = resolve));
          await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
          await page.goto(
            `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
          );
          const timeoutMs = options.timeoutMs ?? 90_000;
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), timeoutMs)));
          const code = await Promise.race([exited, timedOut]);
          clearTimeout(timer);
          if (code !== 0) {
            const said = await readFile(config.out, 'utf8').then(
              (text) => (JSON.parse(text) as { error?: string }).error,
              () => undefined,
            );
            const why =
              code === -1 ? `no result within ${timeoutMs / 1000} s` : `the extension host exited with ${code}`;
            throw new Error(`window ${w}: ${why}: ${said ?? `code-server said:\n${server.output().slice(-4000)}`}`);
          }
        } finally {
          await page.close();
        }
        windowMs.push(Date.now() - started);
        const result = JSON.parse(await readFile(config.out, 'utf8')) as ExtensionHostResult;
        if (treeWindow) tree = result.tree;
        else if (w > 0) windows.push(result);
      }
      if (!tree) throw new Error('the last window measured no tree');
      return { windows, windowMs, tree };
    } finally {
      await session.close();
    }
  } finally {
    running = undefined;
    await server.stop();
  }
}
