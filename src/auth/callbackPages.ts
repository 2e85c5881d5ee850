// What the browser shows after the OAuth redirect reaches VS Code: plain, self-contained HTML
// (the listener's CSP forbids scripts and remote resources).
import * as l10n from '@vscode/l10n';
import type { CallbackPages } from './loopback';

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#172b4d;display:flex;min-height:100vh;align-items:center;justify-content:center;margin:0}
main{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(9,30,66,.25);padding:32px 40px;max-width:480px}
h1{font-size:20px;margin:0 0 8px}.ok{color:#006644}.bad{color:#bf2600}`;

function page(title: string, heading: string, cls: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body><main><h1 class="${cls}">${heading}</h1><p>${body}</p></main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Translated text is escaped too: a translation must not be able to add markup.
export const callbackPages: CallbackPages = {
  success: () =>
    page(
      escapeHtml(
        l10n.t({
          message: 'Signed in',
          comment: ['The title of the browser tab shown after signing in to Atlassian succeeded'],
        }),
      ),
      escapeHtml(l10n.t('You are signed in to Atlassian')),
      'ok',
      escapeHtml(l10n.t('You can close this tab and return to VS Code.')),
    ),
  failure: (message) =>
    page(
      escapeHtml(
        l10n.t({
          message: 'Sign-in failed',
          comment: ['The title of the browser tab shown after signing in to Atlassian failed'],
        }),
      ),
      escapeHtml(l10n.t('Sign-in did not complete')),
      'bad',
      `${escapeHtml(message)}<br>${escapeHtml(l10n.t('Return to VS Code to try again.'))}`,
    ),
};
