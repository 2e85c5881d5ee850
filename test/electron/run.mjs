// `npm run test:electron`: the editor suites in a desktop VS Code downloaded by @vscode/test-electron.
// For machines that can download VS Code; CI here uses code-server instead (test/harness/).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(root, 'out/test/editor/index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error('editor tests failed:', err);
  process.exit(1);
}
