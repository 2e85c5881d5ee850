// Entry point loaded by the VS Code extension host (extensionTestsPath): runs the editor suites
// with mocha and reports through the host's exit code and $AMB_STATS_FILE.
import { format } from 'node:util';
import Mocha from 'mocha';
import StatsReporter from '../support/stats-reporter.cjs';
import { EDITOR_LOG_TAG } from '../support/editorLogTag';

export async function run(): Promise<void> {
  // The extension host forwards console output without printf substitution; format it here, and
  // tag it so the harness can tell our lines from the workbench's own chatter.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${EDITOR_LOG_TAG}${format(...args)}`);
  // AMB_EDITOR_GREP runs only the suites whose titles match (a quicker loop while working on one).
  const grep = process.env.AMB_EDITOR_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: StatsReporter,
    ...(grep ? { grep } : {}),
  });
  mocha.suite.emit('pre-require', globalThis, 'editor-suites', mocha);
  // Loaded after the globals exist; esbuild bundles these lazily.
  await import('./activation.test');
  await import('./secrets.test');
  await import('./mcp.test');
  await import('./remote.test');
  await import('./issues.test');
  await import('./issueDetail.test');
  await import('./issueKeys.test');
  await import('./chat.test');
  await import('./createIssue.test');
  await import('./startWork.test');
  await import('./health.test');
  await import('./hardening.test');
  await import('./issueTransition.test');

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} editor test(s) failed`);
}
