// The issue card's script, inside the chat client's sandboxed frame (an MCP App). It gets
// jira_get_issue's result from the host and acts through the bridge's tools via the host
// (jira_get_transitions, jira_transition_issue, jira_assign_issue), then reads the issue again.
// Bundled as dist/issue-card.js and inlined into the ui:// resource by src/bridge/apps/issueCard.ts.
import { App, applyDocumentTheme, applyHostStyleVariables } from '@modelcontextprotocol/ext-apps';

interface Issue {
  key?: string;
  url?: string;
  summary?: string;
  status?: string;
  assignee?: string | null;
  priority?: string;
  type?: string;
}

interface ToolResult {
  content?: { type: string; text?: string }[];
  isError?: boolean;
}

const actions = JSON.parse(document.getElementById('actions')?.textContent ?? '{}') as {
  transition?: boolean;
  assign?: boolean;
};
const card = document.getElementById('card')!;
const app = new App({ name: 'Jira issue card', version: '1.0.0' });
let issue: Issue | undefined;

function textOf(result: ToolResult): string {
  return (result.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('\n');
}

function el<T extends HTMLElement = HTMLElement>(
  tag: string,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): T {
  const node = Object.assign(document.createElement(tag), props) as T;
  node.append(...children);
  return node;
}

function note(text: string, error = false): void {
  const line = document.getElementById('note');
  if (!line) return;
  line.textContent = text;
  line.className = error ? 'note error' : 'note';
}

async function callTool(name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await app.callServerTool({ name, arguments: args })) as ToolResult;
  const text = textOf(result);
  if (result.isError) throw new Error(text);
  return text;
}

async function reload(): Promise<void> {
  if (!issue?.key) return;
  const text = await callTool('jira_get_issue', { issue_key: issue.key, comment_limit: 0 });
  show(JSON.parse(text) as Issue);
}

async function act(label: string, run: () => Promise<unknown>): Promise<void> {
  note(`${label}…`);
  try {
    await run();
    await reload();
    note(`${label}: done.`);
  } catch (err) {
    note(err instanceof Error ? err.message : String(err), true);
  }
}

async function loadTransitions(select: HTMLSelectElement): Promise<void> {
  const text = await callTool('jira_get_transitions', { issue_key: issue!.key });
  const list = JSON.parse(text) as { id?: string | number; name?: string; to?: string }[] | { transitions?: unknown[] };
  const transitions = (Array.isArray(list) ? list : (list.transitions ?? [])) as {
    id?: string | number;
    name?: string;
    to?: string;
  }[];
  select.replaceChildren(el('option', { value: '', textContent: 'Move to…' }));
  for (const t of transitions)
    select.append(
      el('option', {
        value: String(t.id),
        textContent: t.to && t.to !== t.name ? `${t.name} → ${t.to}` : String(t.name),
      }),
    );
  select.disabled = transitions.length === 0;
}

function show(next: Issue): void {
  issue = next;
  const key = el<HTMLAnchorElement>('a', { className: 'key', href: next.url ?? '#', textContent: next.key ?? '' });
  key.addEventListener('click', (event) => {
    event.preventDefault();
    if (next.url) void app.openLink({ url: next.url });
  });
  const meta = el(
    'div',
    { className: 'meta' },
    el('span', { className: 'pill status', textContent: next.status ?? 'No status' }),
    el('span', { className: 'pill', textContent: `Assignee: ${next.assignee ?? 'Unassigned'}` }),
    ...(next.priority ? [el('span', { className: 'pill', textContent: next.priority })] : []),
    ...(next.type ? [el('span', { className: 'pill', textContent: next.type })] : []),
  );
  const row = el('div', { className: 'actions' });
  if (actions.transition) {
    const select = el<HTMLSelectElement>('select', { disabled: true, title: 'Transition' });
    select.setAttribute('aria-label', 'Transition');
    select.append(el('option', { value: '', textContent: 'Move to…' }));
    select.addEventListener(
      'focus',
      () => void loadTransitions(select).catch((err: unknown) => note(String(err), true)),
      { once: true },
    );
    select.addEventListener('change', () => {
      if (select.value)
        void act('Transition', () =>
          callTool('jira_transition_issue', { issue_key: next.key, transition_id: select.value }),
        );
    });
    select.disabled = false;
    row.append(select);
  }
  if (actions.assign) {
    const me = el('button', { textContent: 'Assign to me' });
    me.addEventListener(
      'click',
      () => void act('Assign', () => callTool('jira_assign_issue', { issue_key: next.key, assignee: 'me' })),
    );
    const who = el<HTMLInputElement>('input', { placeholder: 'e-mail or name', size: 16 });
    who.setAttribute('aria-label', 'Assignee');
    const assign = el('button', { textContent: 'Assign' });
    assign.addEventListener(
      'click',
      () => void act('Assign', () => callTool('jira_assign_issue', { issue_key: next.key, assignee: who.value })),
    );
    row.append(me, who, assign);
  }
  card.replaceChildren(
    el('div', { className: 'head' }, key, el('span', { className: 'summary', textContent: next.summary ?? '' })),
    meta,
    row,
    el('div', { id: 'note', className: 'note' }),
  );
}

app.ontoolresult = (result) => {
  const text = textOf(result);
  if ((result as ToolResult).isError) {
    card.textContent = text;
    return;
  }
  try {
    show(JSON.parse(text) as Issue);
  } catch {
    card.textContent = text;
  }
};

app.onhostcontextchanged = (context) => {
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
};

void app.connect().then(() => {
  const context = app.getHostContext();
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
});
