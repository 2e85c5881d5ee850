// The issue detail webview: renders what the extension sends (text through textContent, rich text
// through DOMPurify) and posts the person's actions back. Bundled on its own (dist/webview/) and
// loaded only when a panel opens; the page's CSP allows this script (by nonce) and data: images only.
import DOMPurify from 'dompurify';
import type { ChangeEntry, CommentPage, CommentView } from '../issues/detail/issueDetail';
import type { DetailView, ErrorView, FromWebview, Labels, ToWebview } from '../issues/detail/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const L = JSON.parse(document.body.dataset.labels ?? '{}') as Labels;
const images = new Map<string, string>();
let detail: DetailView | undefined;

type Child = Node | string | undefined | false;
function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}
const post = (message: FromWebview) => vscode.postMessage(message);
function button(label: string, message: FromWebview, attrs: Record<string, string> = {}): HTMLElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', () => post(message));
  return b;
}
function issueLink(key: string): HTMLElement {
  return button(key, { type: 'openIssue', key }, { class: 'link', title: key });
}
function sanitized(html: string): HTMLElement {
  const div = h('div', { class: 'rich' });
  div.innerHTML = DOMPurify.sanitize(html, { ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/)/i });
  for (const img of div.querySelectorAll<HTMLImageElement>('img[data-attachment]')) {
    const uri = images.get(img.dataset.attachment ?? '');
    if (uri) img.src = uri;
  }
  return div;
}
function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function render(d: DetailView): void {
  detail = d;
  vscode.setState({ connectionId: d.connectionId, key: d.key });
  document.title = `${d.key} ${d.summary.summary}`;
  root.replaceChildren(
    h('div', { id: 'banner', role: 'alert', hidden: '' }),
    header(d),
    h(
      'div',
      { class: 'columns' },
      h('main', {}, ...mainSections(d)),
      h('aside', { 'aria-label': L.details }, facts(d)),
    ),
  );
}

function header(d: DetailView): HTMLElement {
  return h(
    'header',
    {},
    h(
      'div',
      { class: 'crumbs' },
      d.project ?? '',
      d.parent ? ' / ' : '',
      d.parent ? issueLink(d.parent.key) : undefined,
      ' / ',
      h('span', { class: 'key' }, d.key),
      h('span', { class: 'type' }, d.summary.type.name),
    ),
    h('h1', {}, d.summary.summary),
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': L.actions },
      h('span', { class: `status status-${d.summary.status.category}` }, d.summary.status.name),
      button(`${L.transition}…`, { type: 'action', action: 'transition' }, { class: 'primary' }),
      button(`${L.assign}…`, { type: 'action', action: 'assign' }),
      button(L.assignToMe, { type: 'action', action: 'assignToMe' }),
      button(`${L.startWork}…`, { type: 'action', action: 'startWork' }),
      button(`${L.editSummary}…`, { type: 'action', action: 'editSummary' }),
      button(L.openInBrowser, { type: 'action', action: 'openInBrowser' }),
      button(L.copyKey, { type: 'action', action: 'copyKey' }),
      button(L.copyLink, { type: 'action', action: 'copyLink' }),
      button(`${L.createSubtask}…`, { type: 'action', action: 'createSubtask' }),
      button(L.refresh, { type: 'action', action: 'refresh' }),
    ),
  );
}

function mainSections(d: DetailView): HTMLElement[] {
  const out = [descriptionSection(d)];
  if (d.subtasks.length)
    out.push(section(`${L.subtasks} (${d.subtasks.length})`, 'subtasks', refList(d.subtasks.map((s) => ['', s]))));
  if (d.links.length) out.push(section(L.links, 'links', refList(d.links.map((l) => [l.relation, l]))));
  if (d.attachments.length) out.push(section(L.attachments, 'attachments', attachmentList(d)));
  out.push(
    commentsSection(d.comments),
    section(L.changelog, 'changelog', button(L.showChangelog, { type: 'action', action: 'changelog' })),
  );
  return out;
}

function descriptionSection(d: DetailView): HTMLElement {
  const body = d.descriptionHtml ? sanitized(d.descriptionHtml) : h('p', { class: 'muted' }, L.noDescription);
  const edit = h('button', { type: 'button' }, `${L.editDescription}…`);
  const s = section(L.description, 'description', body, edit);
  edit.addEventListener('click', () => {
    const form = editor(d.descriptionMarkdown, L.description, (markdown) =>
      post({ type: 'editDescription', markdown }),
    );
    form.dataset.form = 'description';
    body.replaceWith(form);
    edit.hidden = true;
    form.querySelector('textarea')!.focus();
  });
  return s;
}

/** A Markdown textarea with Save/Cancel; Ctrl/Cmd+Enter saves. */
function editor(initial: string, label: string, save: (markdown: string) => void): HTMLElement {
  const area = h('textarea', {
    rows: '8',
    'aria-label': label,
    placeholder: L.commentPlaceholder,
  }) as HTMLTextAreaElement;
  area.value = initial;
  const submit = () => area.value.trim() && save(area.value);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
  });
  const ok = h('button', { type: 'button', class: 'primary' }, L.save);
  ok.addEventListener('click', submit);
  const cancel = h('button', { type: 'button' }, L.cancel);
  cancel.addEventListener('click', () => detail && render(detail));
  return h(
    'div',
    { class: 'editor' },
    area,
    h('div', { class: 'hint' }, L.markdownHint),
    h('div', { class: 'row' }, ok, cancel),
  );
}

function refList(rows: [string, { key: string; summary: string; status: string | undefined }][]): HTMLElement {
  return h(
    'ul',
    { class: 'refs' },
    ...rows.map(([relation, r]) =>
      h(
        'li',
        {},
        relation && h('span', { class: 'muted' }, `${relation} `),
        issueLink(r.key),
        ` ${r.summary} `,
        r.status && h('span', { class: 'pill' }, r.status),
      ),
    ),
  );
}

function attachmentList(d: DetailView): HTMLElement {
  return h(
    'ul',
    { class: 'attachments' },
    ...d.attachments.map((a) =>
      h(
        'li',
        {},
        h('span', { class: 'name' }, a.filename),
        button(L.open, { type: 'attachment', id: a.id, mode: 'open' }, { 'aria-label': `${L.open} ${a.filename}` }),
        button(
          `${L.saveAs}…`,
          { type: 'attachment', id: a.id, mode: 'save' },
          { 'aria-label': `${L.saveAs} ${a.filename}` },
        ),
        h(
          'span',
          { class: 'muted meta-line' },
          `${(a.size / 1024).toFixed(1)} KB · ${a.author ?? ''} · ${when(a.created)}`,
        ),
      ),
    ),
  );
}

function commentsSection(page: CommentPage): HTMLElement {
  const add = editor('', L.addComment, (markdown) => post({ type: 'comment', markdown }));
  add.dataset.form = 'comment';
  (add.querySelector('.primary') as HTMLElement).textContent = L.addComment;
  add.querySelector('.row button:not(.primary)')?.remove();
  // Preview renders through the extension: the same conversion the comment is sent with, mentions looked up.
  const preview = h('button', { type: 'button', 'aria-controls': 'comment-preview' }, L.preview);
  preview.addEventListener('click', () =>
    post({ type: 'preview', markdown: add.querySelector('textarea')?.value ?? '' }),
  );
  add.querySelector('.row')?.append(preview);
  add.append(h('div', { id: 'comment-preview', class: 'preview', hidden: '', 'aria-live': 'polite' }));
  const list = h('ol', { class: 'comments', reversed: '' }, ...page.comments.map(comment));
  const s = section(
    `${L.comments} (${page.total})`,
    'comments',
    add,
    page.comments.length ? list : h('p', { class: 'muted' }, L.noComments),
  );
  if (page.nextStartAt !== undefined)
    s.append(button(L.moreComments, { type: 'action', action: 'moreComments' }, { id: 'more-comments' }));
  return s;
}

function comment(c: CommentView): HTMLElement {
  return h(
    'li',
    { class: 'comment' },
    h('div', { class: 'meta' }, h('strong', {}, c.author), ` · ${when(c.created)}`),
    sanitized(c.html),
  );
}

function appendComments(page: CommentPage): void {
  document.querySelector('ol.comments')?.append(...page.comments.map(comment));
  const more = document.getElementById('more-comments');
  if (page.nextStartAt === undefined) more?.remove();
}

function showChangelog(entries: readonly ChangeEntry[]): void {
  const s = document.querySelector('section[aria-labelledby="changelog"]');
  if (!s) return;
  const body = entries.length
    ? h(
        'ol',
        { class: 'changelog' },
        ...entries.map((e) =>
          h(
            'li',
            {},
            h('div', { class: 'meta' }, h('strong', {}, e.author), ` · ${when(e.created)}`),
            ...e.changes.map((c) => h('div', {}, `${c.field}: ${c.from || '—'} → ${c.to || '—'}`)),
          ),
        ),
      )
    : h('p', { class: 'muted' }, L.noChanges);
  s.replaceChildren(s.firstChild!, body);
}

function facts(d: DetailView): HTMLElement {
  const rows: [string, Child][] = [
    [L.status, d.summary.status.name],
    [L.type, d.summary.type.name],
    [L.priority, d.summary.priority ?? L.none],
    [L.assignee, d.assignee?.name ?? L.unassigned],
    [L.reporter, d.reporter?.name ?? L.none],
    [L.created, when(d.created)],
    [L.updated, when(d.summary.updated)],
    [L.due, d.due ?? L.none],
    [L.resolution, d.resolution ?? L.none],
    [L.labels, d.labels.join(', ') || L.none],
    [L.components, d.components.join(', ') || L.none],
    [L.fixVersions, d.fixVersions.join(', ') || L.none],
    [L.sprint, d.sprints.join(', ') || L.none],
    [L.parent, d.parent ? issueLink(d.parent.key) : L.none],
  ];
  return h('dl', {}, ...rows.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

function errorBox(e: ErrorView, inline: boolean): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', {}, h('strong', {}, e.what)),
    h('p', {}, e.todo),
    inline ? undefined : button(L.retry, { type: 'action', action: 'refresh' }, { class: 'primary' }),
    e.reconnect ? button(L.reconnect, { type: 'action', action: 'reconnect' }) : undefined,
  );
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      if (!detail) root.replaceChildren(h('p', { class: 'muted', role: 'status' }, `${L.loading} ${m.key}…`));
      break;
    case 'detail':
      render(m.detail);
      break;
    case 'error':
      detail = undefined;
      root.replaceChildren(h('h1', {}, m.key), errorBox(m.error, false));
      break;
    case 'actionError': {
      const banner = document.getElementById('banner');
      if (banner) {
        banner.replaceChildren(errorBox(m.error, true));
        banner.hidden = false;
      }
      break;
    }
    case 'busy':
      document.body.classList.toggle('busy', m.busy);
      root.setAttribute('aria-busy', String(m.busy));
      break;
    case 'image':
      images.set(m.id, m.uri);
      for (const img of document.querySelectorAll<HTMLImageElement>(`img[data-attachment="${CSS.escape(m.id)}"]`))
        img.src = m.uri;
      break;
    case 'comments':
      appendComments(m.page);
      break;
    case 'changelog':
      showChangelog(m.entries);
      break;
    case 'preview': {
      const box = document.getElementById('comment-preview');
      if (!box) break;
      box.replaceChildren(m.html ? sanitized(m.html) : h('p', { class: 'muted' }, L.emptyPreview));
      box.hidden = false;
      break;
    }
  }
});
post({ type: 'ready' });
