// The issue card, an MCP App (the io.modelcontextprotocol/ui extension): jira_get_issue's definition
// and results point at a ui:// resource the client renders in a sandboxed frame beside the text
// result. The card shows the issue's status, assignee and priority, and offers the transition and
// assign actions through the bridge's own tools (so read-only mode, TOOLSETS and the projects filter
// apply to them unchanged). Clients without Apps ignore the _meta and keep the text.
//
// Its script (src/bridge/apps/issueCardView.ts, the ext-apps App SDK) is bundled apart as
// dist/issue-card.js (scripts/bridgeBundle.js) and read when a client first asks for the card.
import { join } from 'node:path';
import { ResourceNotFoundError } from '@modelcontextprotocol/server';
import type { ResourceHost } from '../resources/read';

export const ISSUE_CARD_URI = 'ui://atlassian-mcp-bridge/issue-card.html';
/** The MIME type of MCP App HTML (ext-apps' RESOURCE_MIME_TYPE). */
export const APP_MIME = 'text/html;profile=mcp-app';

/** Tools whose result is one issue, shown as the card. */
const CARD_TOOLS = new Set(['jira_get_issue']);

/** The actions the card offers, each backed by a tool that must be exposed. */
const ACTION_TOOLS = { transition: ['jira_get_transitions', 'jira_transition_issue'], assign: ['jira_assign_issue'] };

export const isAppUri = (uri: string) => uri === ISSUE_CARD_URI;

function offered(host: ResourceHost): boolean {
  return [...CARD_TOOLS].some((name) => host.tool(name));
}

/** `_meta` for a tool definition or result: the card, for the tools that return one issue. */
export function appMeta(toolName: string): Record<string, unknown> | undefined {
  if (!CARD_TOOLS.has(toolName)) return undefined;
  // `ui/resourceUri` is the key hosts of the first Apps drafts read.
  return { ui: { resourceUri: ISSUE_CARD_URI }, 'ui/resourceUri': ISSUE_CARD_URI };
}

export function appResources(host: ResourceHost): Record<string, unknown>[] {
  if (!offered(host)) return [];
  return [
    {
      uri: ISSUE_CARD_URI,
      name: 'issue_card',
      title: 'Jira issue card',
      description: 'The card chat clients with MCP Apps show for jira_get_issue: status, assignee, transitions.',
      mimeType: APP_MIME,
    },
  ];
}

let script: Promise<string> | undefined;

/** The card's script, read once per process from beside the bridge bundle. */
function cardScript(): Promise<string> {
  // node:fs/promises loads with the first card, not at every start.
  script ??= import('node:fs/promises').then(({ readFile }) => readFile(join(__dirname, 'issue-card.js'), 'utf8'));
  script.catch(() => (script = undefined));
  return script;
}

const STYLE = `
:root{color-scheme:light dark;font-family:var(--font-sans,system-ui,sans-serif);font-size:13px}
body{margin:0;padding:10px 12px;color:var(--color-text-primary,CanvasText);background:var(--color-background-primary,transparent)}
.head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.key{font-weight:600;text-decoration:none;color:var(--color-text-info,LinkText)}
.summary{font-weight:600}
.meta{display:flex;gap:6px;flex-wrap:wrap;margin:8px 0}
.pill{border:1px solid var(--color-border-secondary,GrayText);border-radius:10px;padding:1px 8px}
.status{font-weight:600}
.actions{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
select,input,button{font:inherit}
.note{color:var(--color-text-secondary,GrayText);margin-top:6px;min-height:1em}
.error{color:var(--color-text-danger,#c00)}
`;

function escapeScript(js: string): string {
  // The script sits inside <script>: a literal "</script" in it would end the element early.
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

export async function readAppResource(host: ResourceHost, uri: string) {
  if (!isAppUri(uri) || !offered(host)) throw new ResourceNotFoundError(uri, `No such resource here: ${uri}.`);
  const actions = Object.fromEntries(
    Object.entries(ACTION_TOOLS).map(([action, tools]) => [action, tools.every((name) => host.tool(name))]),
  );
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<style>${STYLE}</style></head><body><main id="card" aria-live="polite">Loading the issue…</main>` +
    `<script type="application/json" id="actions">${JSON.stringify(actions)}</script>` +
    `<script>${escapeScript(await cardScript())}</script></body></html>`;
  return {
    contents: [
      {
        uri,
        mimeType: APP_MIME,
        text: html,
        // Everything is inline and it fetches nothing: no network origins are asked for.
        _meta: { ui: { prefersBorder: true, csp: { connectDomains: [], resourceDomains: [] } } },
      },
    ],
  };
}
