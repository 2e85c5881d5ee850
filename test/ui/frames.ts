// Webview content (Markdown previews, the extension details page) lives in nested frames: find the
// one that shows something.
import type { Frame, Page } from 'playwright-core';

/** A frame whose document has `selector` with `text`, once it has rendered. */
export async function frameWith(
  page: Page,
  selector: string,
  text: string | RegExp,
  timeoutMs = 30_000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame
        .locator(selector, { hasText: text })
        .count()
        .catch(() => 0);
      if (found > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no frame shows ${selector} "${String(text)}"`);
    await page.waitForTimeout(200);
  }
}
