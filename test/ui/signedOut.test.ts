import assert from 'node:assert/strict';
import { openAtlassianContainer, openWorkbench, runCommand, screenshot, viewPane, type Workbench } from './workbench';

describe('signed out, in the workbench (packaged VSIX)', function () {
  this.timeout(120_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the Atlassian container with a Connect welcome in both views', async () => {
    const { page } = workbench;
    await openAtlassianContainer(page);
    for (const title of ['My Issues', 'Connection']) {
      const pane = viewPane(page, title);
      await pane.waitFor();
      const button = pane.locator('.welcome-view-content a.monaco-button, .welcome-view-content .monaco-button', {
        hasText: 'Connect Atlassian',
      });
      await button.first().waitFor({ timeout: 30_000 });
    }
    await screenshot(page, 'signed-out-welcome');
  });

  it('finds "Connect Atlassian" in the Command Palette and offers the three sign-in methods', async () => {
    const { page } = workbench;
    await runCommand(page, 'Connect Atlassian');
    const methods = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await methods.filter({ hasText: 'personal access token' }).first().waitFor();
    const labels = await methods.allTextContents();
    assert.equal(labels.length, 3, `three sign-in methods, saw: ${labels.join(' | ')}`);
    await screenshot(page, 'connect-methods');
    await page.keyboard.press('Escape');
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
