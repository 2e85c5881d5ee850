// The create-issue form in its webview: renders the fields the extension sends (labels through
// textContent only), keeps what was typed when the project or type changes, and shows Jira's
// refusals beside the fields they name. Bundled on its own (dist/webview/createIssue.js).
import type { FormValue } from '../issues/create/createIssue';
import type { CreateField } from '../issues/create/createMeta';
import type { CreateLabels, FormState, FromCreateWebview, ToCreateWebview } from '../issues/create/protocol';
import type { ErrorView } from '../issues/detail/protocol';

interface VsCodeApi {
  postMessage(message: FromCreateWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const L = JSON.parse(document.body.dataset.labels ?? '{}') as CreateLabels;
const post = (message: FromCreateWebview) => vscode.postMessage(message);
/** What was entered, by field id (summary and description included), kept across re-renders. */
const entered = new Map<string, FormValue>();
/** Names of picked users, by field id (the value is their id). */
const userNames = new Map<string, string>();
let prefilled = false;
let fields: readonly CreateField[] = [];

type Child = Node | string | undefined | false;
function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A labelled row: the control, a hint, and a slot for the error Jira gives for this field. */
function row(id: string, label: string, required: boolean, control: HTMLElement, hint?: string): HTMLElement {
  control.id = `f-${id}`;
  control.setAttribute('aria-describedby', `e-${id}`);
  if (required) control.setAttribute('aria-required', 'true');
  return h(
    'div',
    { class: 'field', 'data-field': id },
    h('label', { for: `f-${id}` }, label, required && h('span', { class: 'req', title: L.required }, ' *')),
    control,
    hint && h('div', { class: 'hint' }, hint),
    h('div', { class: 'field-error', id: `e-${id}`, role: 'alert' }),
  );
}

function select(options: readonly { id: string; name: string }[], value: string | undefined, empty?: string) {
  const el = h('select', {}) as HTMLSelectElement;
  if (empty !== undefined) el.append(new Option(empty, ''));
  for (const o of options) el.append(new Option(o.name, o.id, false, o.id === value));
  return el;
}

function textInput(id: string, type = 'text'): HTMLInputElement {
  const input = h('input', { type }) as HTMLInputElement;
  const value = entered.get(id);
  if (typeof value === 'string') input.value = value;
  input.addEventListener('input', () => entered.set(id, input.value));
  return input;
}

function control(field: CreateField): HTMLElement {
  const value = entered.get(field.id);
  switch (field.kind) {
    case 'option': {
      const el = select(field.allowed ?? [], typeof value === 'string' ? value : undefined, L.none);
      el.addEventListener('change', () => entered.set(field.id, el.value));
      return el;
    }
    case 'options': {
      const el = select(field.allowed ?? [], undefined);
      el.multiple = true;
      el.size = Math.min(6, Math.max(2, field.allowed?.length ?? 2));
      for (const o of el.options) o.selected = Array.isArray(value) && value.includes(o.value);
      el.addEventListener('change', () =>
        entered.set(
          field.id,
          [...el.selectedOptions].map((o) => o.value),
        ),
      );
      return el;
    }
    case 'user': {
      const name = h('span', { class: 'picked' }, userNames.get(field.id) ?? L.none);
      const choose = h('button', { type: 'button' }, L.choose);
      choose.addEventListener('click', () => post({ type: 'pickUser', fieldId: field.id, fieldName: field.name }));
      const clear = h('button', { type: 'button', class: 'link' }, '×');
      clear.setAttribute('aria-label', L.none);
      clear.addEventListener('click', () => {
        entered.delete(field.id);
        userNames.delete(field.id);
        name.textContent = L.none;
      });
      return h('div', { class: 'user', tabindex: '-1' }, name, choose, clear);
    }
    case 'richText': {
      const area = h('textarea', { rows: '4' }) as HTMLTextAreaElement;
      if (typeof value === 'string') area.value = value;
      area.addEventListener('input', () => entered.set(field.id, area.value));
      return area;
    }
    case 'number':
      return textInput(field.id, 'number');
    case 'date':
      return textInput(field.id, 'date');
    default:
      return textInput(field.id);
  }
}

function hintFor(field: CreateField): string | undefined {
  if (field.kind === 'labels') return L.labelsHint;
  if (field.kind === 'issue' || field.kind === 'issueKeyText') return L.issueKeyHint;
  return undefined;
}

function render(state: FormState): void {
  if (!prefilled && state.prefill) {
    if (state.prefill.summary) entered.set('summary', state.prefill.summary);
    if (state.prefill.description) entered.set('description', state.prefill.description);
  }
  prefilled = true;
  fields = state.fields;
  const project = select(
    state.projects.map((p) => ({ id: p.key, name: `${p.name} (${p.key})` })),
    state.projectKey,
  );
  project.disabled = state.parentKey !== undefined;
  const type = select(state.issueTypes, state.issueTypeId);
  project.addEventListener('change', () => post({ type: 'select', projectKey: project.value, issueTypeId: undefined }));
  type.addEventListener('change', () => post({ type: 'select', projectKey: project.value, issueTypeId: type.value }));
  const summary = textInput('summary');
  summary.maxLength = 255;
  const description = h('textarea', { rows: '8' }) as HTMLTextAreaElement;
  description.value = (entered.get('description') as string | undefined) ?? '';
  description.addEventListener('input', () => entered.set('description', description.value));
  const create = h('button', { type: 'submit', class: 'primary' }, L.create);
  const cancel = h('button', { type: 'button' }, L.cancel);
  cancel.addEventListener('click', () => post({ type: 'cancel' }));
  // The choices the form was drawn for: a test (or a screen reader's user) can tell a redrawn form from the old one.
  const form = h(
    'form',
    { novalidate: '', 'data-project': state.projectKey ?? '', 'data-issuetype': state.issueTypeId ?? '' },
    h('div', { id: 'general', role: 'alert', hidden: '' }),
    h('div', { class: 'pair' }, row('project', L.project, true, project), row('issuetype', L.issueType, true, type)),
    row('summary', L.summary, true, summary),
    row('description', L.description, false, description, L.markdownHint),
    ...state.fields.map((f) => row(f.id, f.name, f.required, control(f), hintFor(f))),
    h('div', { class: 'row' }, create, cancel),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  });
  root.replaceChildren(
    h('h1', {}, state.parentKey ? L.parentOf.replace('{0}', state.parentKey) : L.title),
    h('p', { class: 'muted' }, state.site),
    form,
  );
  summary.focus();
}

function submit(): void {
  clearErrors();
  const values: Record<string, FormValue> = {};
  for (const f of fields) {
    const v = entered.get(f.id);
    if (v !== undefined) values[f.id] = v;
  }
  post({
    type: 'submit',
    summary: (entered.get('summary') as string | undefined) ?? '',
    description: (entered.get('description') as string | undefined) ?? '',
    values,
  });
}

function clearErrors(): void {
  for (const el of document.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = document.getElementById('general');
  if (general) general.hidden = true;
}

function showRefusal(fieldErrors: Readonly<Record<string, string>>, general: readonly string[]): void {
  clearErrors();
  const rest = [...general];
  let first: HTMLElement | undefined;
  for (const [id, message] of Object.entries(fieldErrors)) {
    const slot = document.getElementById(`e-${id}`);
    if (!slot) {
      rest.push(`${id}: ${message}`);
      continue;
    }
    slot.textContent = message;
    const control = document.getElementById(`f-${id}`);
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? undefined;
  }
  if (rest.length) showBanner(L.notCreated, rest);
  first?.focus();
}

function showBanner(title: string, lines: readonly string[], buttons: HTMLElement[] = []): void {
  const general = document.getElementById('general');
  if (!general) return;
  general.replaceChildren(
    h('div', { class: 'error' }, h('p', {}, h('strong', {}, title)), ...lines.map((l) => h('p', {}, l)), ...buttons),
  );
  general.hidden = false;
}

function button(label: string, message: FromCreateWebview, cls = ''): HTMLElement {
  const b = h('button', { type: 'button', class: cls }, label);
  b.addEventListener('click', () => post(message));
  return b;
}

function errorButtons(e: ErrorView, retry: boolean): HTMLElement[] {
  return [
    ...(retry ? [button(L.retry, { type: 'retry' }, 'primary')] : []),
    ...(e.reconnect ? [button(L.reconnect, { type: 'reconnect' })] : []),
  ];
}

window.addEventListener('message', (event: MessageEvent<ToCreateWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'form':
      render(m.state);
      break;
    case 'loadError':
      root.replaceChildren(
        h('h1', {}, L.title),
        h(
          'div',
          { class: 'error', role: 'alert' },
          h('p', {}, h('strong', {}, m.error.what)),
          h('p', {}, m.error.todo),
        ),
        ...errorButtons(m.error, true),
      );
      break;
    case 'busy':
      document.body.classList.toggle('busy', m.busy);
      root.setAttribute('aria-busy', String(m.busy));
      for (const b of document.querySelectorAll<HTMLButtonElement>('form button[type=submit]')) b.disabled = m.busy;
      break;
    case 'refused':
      showRefusal(m.fieldErrors, m.general);
      break;
    case 'failed':
      showBanner(m.error.what, [m.error.todo], errorButtons(m.error, false));
      break;
    case 'userPicked': {
      entered.set(m.fieldId, m.id);
      userNames.set(m.fieldId, m.name);
      const picked = document.querySelector(`[data-field="${CSS.escape(m.fieldId)}"] .picked`);
      if (picked) picked.textContent = m.name;
      break;
    }
  }
});
post({ type: 'ready' });
