// Atlassian Document Format → Markdown, for models. Keeps what carries meaning (headings, nested
// lists, task lists, tables, code, links, mentions, panels, emoji, dates, status lozenges) and
// drops presentation (colours, widths, layouts). Unknown nodes keep their text rather than vanish.
import { macroText } from './macroText';
import { textOf } from '../core/text';

export interface AdfNode {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly content?: readonly AdfNode[];
  readonly marks?: readonly AdfMark[];
  readonly text?: string;
}

export interface AdfMark {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
}

export interface AdfDoc extends AdfNode {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: readonly AdfNode[];
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    !!value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

/** Markdown for an ADF document (or any node); '' for null/undefined. */
export function adfToMarkdown(node: AdfNode | null | undefined): string {
  if (!node) return '';
  return blocks(node.type === 'doc' ? (node.content ?? []) : [node], '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** ADF panel type → alert label, one each, so `markdownToAdf` can map every label back. */
export const ADF_PANEL_LABEL: Readonly<Record<string, string>> = {
  info: 'NOTE',
  note: 'IMPORTANT',
  success: 'TIP',
  warning: 'WARNING',
  error: 'CAUTION',
};

/** Renders block nodes separated by blank lines; `indent` prefixes every line after the first. */
function blocks(nodes: readonly AdfNode[], indent: string): string {
  const out: string[] = [];
  for (const node of nodes) {
    const text = block(node, indent);
    if (text !== '') out.push(text);
  }
  return out.join(`\n\n${indent}`);
}

function block(node: AdfNode, indent: string): string {
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'paragraph':
      return inline(node.content).replace(/\n/g, `\n${indent}`);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(attrs.level) || 1));
      return `${'#'.repeat(level)} ${inline(node.content).replace(/\n/g, ' ')}`;
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList':
      return list(node, indent);
    case 'codeBlock': {
      const code = (node.content ?? []).map((c) => c.text ?? '').join('');
      const fence = code.includes('```') ? '~~~~' : '```';
      const language = typeof attrs.language === 'string' ? attrs.language : '';
      return [`${fence}${language}`, ...code.split('\n'), fence].join(`\n${indent}`);
    }
    case 'blockquote':
      return quote(blocks(node.content ?? [], ''), indent);
    case 'panel': {
      const label = ADF_PANEL_LABEL[textOf(attrs.panelType, 'info')] ?? 'NOTE';
      return quote(`[!${label}]\n${blocks(node.content ?? [], '')}`, indent);
    }
    case 'rule':
      return '---';
    case 'table':
      return table(node).replace(/\n/g, `\n${indent}`);
    case 'mediaSingle':
    case 'mediaGroup':
      return (node.content ?? []).map(media).join(' ');
    case 'media':
      return media(node);
    case 'expand':
    case 'nestedExpand': {
      const title = typeof attrs.title === 'string' && attrs.title ? attrs.title : 'Details';
      return `**${title}**\n\n${indent}${blocks(node.content ?? [], indent)}`;
    }
    case 'blockCard':
    case 'embedCard':
      return cardLink(attrs);
    case 'extension':
    case 'bodiedExtension':
    case 'inlineExtension': {
      const label = extensionText(attrs);
      const body = node.content ? blocks(node.content, indent) : '';
      return body ? `[${label}]\n\n${indent}${body}` : `[${label}]`;
    }
    case 'layoutSection':
    case 'layoutColumn':
    case 'doc':
      return blocks(node.content ?? [], indent);
    default:
      // Inline content where a block was expected, or a node type newer than this converter.
      if (node.text !== undefined || isInlineType(node.type)) return inline([node]);
      return node.content ? blocks(node.content, indent) : '';
  }
}

/** An extension's name and parameters; legacy macros carry theirs as `parameters.macroParams.NAME.value`. */
function extensionText(attrs: Readonly<Record<string, unknown>>): string {
  const key = typeof attrs.extensionKey === 'string' ? attrs.extensionKey : 'extension';
  const macroParams = ((attrs.parameters ?? {}) as { macroParams?: Record<string, { value?: unknown } | undefined> })
    .macroParams;
  const params: Record<string, string> = {};
  for (const [name, param] of Object.entries(macroParams ?? {})) {
    const value = param?.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      params[name] = String(value);
  }
  return macroText(key, params);
}

function quote(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join(`\n${indent}`);
}

function list(node: AdfNode, indent: string): string {
  const ordered = node.type === 'orderedList';
  let n = ordered ? Number(node.attrs?.order ?? 1) || 1 : 1;
  const items: string[] = [];
  for (const item of node.content ?? []) {
    let marker: string;
    if (ordered) marker = `${n++}. `;
    else if (item.type === 'taskItem') marker = item.attrs?.state === 'DONE' ? '- [x] ' : '- [ ] ';
    else if (item.type === 'decisionItem') marker = '- ✓ ';
    else marker = '- ';
    const childIndent = indent + ' '.repeat(marker.length > 4 ? 2 : marker.length);
    // taskItem/decisionItem hold inline content directly; listItem holds blocks.
    const inlineOnly = item.type === 'taskItem' || item.type === 'decisionItem';
    const nested = (item.content ?? []).filter((c) => c.type.endsWith('List'));
    const body = inlineOnly
      ? [
          inline((item.content ?? []).filter((c) => !c.type.endsWith('List'))),
          ...nested.map((c) => block(c, childIndent)),
        ]
          .filter(Boolean)
          .join(`\n${childIndent}`)
      : tightBlocks(item.content ?? [], childIndent);
    items.push(`${marker}${body}`);
  }
  return items.join(`\n${indent}`);
}

/** List item content: a paragraph followed by a nested list stays tight (no blank line). */
function tightBlocks(nodes: readonly AdfNode[], indent: string): string {
  let out = '';
  nodes.forEach((node, i) => {
    const text = block(node, indent);
    if (!text) return;
    if (i > 0) out += node.type.endsWith('List') ? `\n${indent}` : `\n\n${indent}`;
    out += text;
  });
  return out;
}

function table(node: AdfNode): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return '';
  const cells = rows.map((row) => (row.content ?? []).map((cell) => cellText(cell)));
  const width = Math.max(...cells.map((r) => r.length));
  const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
  const firstIsHeader = (rows[0]!.content ?? []).every((c) => c.type === 'tableHeader');
  const header = firstIsHeader ? pad(cells[0]!) : Array<string>(width).fill('');
  const body = firstIsHeader ? cells.slice(1) : cells;
  const line = (r: string[]) => `| ${pad(r).join(' | ')} |`;
  return [line(header), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}

/** A table cell on one line: blocks joined with <br>, pipes escaped. */
function cellText(cell: AdfNode): string {
  return blocks(cell.content ?? [], '')
    .replace(/\|/g, '\\|')
    .replace(/\n+/g, '<br>')
    .trim();
}

function media(node: AdfNode): string {
  const attrs = node.attrs ?? {};
  const alt = typeof attrs.alt === 'string' ? attrs.alt : '';
  if (attrs.type === 'external' && typeof attrs.url === 'string') return `![${alt}](${attrs.url})`;
  const name = alt || (typeof attrs.id === 'string' ? attrs.id : 'file');
  return `[attachment: ${name}]`;
}

function cardLink(attrs: Readonly<Record<string, unknown>>): string {
  const url = typeof attrs.url === 'string' ? attrs.url : '';
  return url ? `<${url}>` : '';
}

const INLINE_TYPES = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'date',
  'status',
  'placeholder',
  'mediaInline',
]);
function isInlineType(type: string): boolean {
  return INLINE_TYPES.has(type);
}

function inline(nodes: readonly AdfNode[] | undefined): string {
  let out = '';
  for (const node of nodes ?? []) out += inlineNode(node);
  return out;
}

function inlineNode(node: AdfNode): string {
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'text':
      return marked(node.text ?? '', node.marks ?? []);
    case 'hardBreak':
      return '\\\n';
    case 'mention': {
      const text = typeof attrs.text === 'string' && attrs.text ? attrs.text : textOf(attrs.id, 'someone');
      return text.startsWith('@') ? text : `@${text}`;
    }
    case 'emoji':
      return typeof attrs.text === 'string' && attrs.text ? attrs.text : textOf(attrs.shortName, '');
    case 'inlineCard':
      return cardLink(attrs);
    case 'date': {
      const ms = Number(attrs.timestamp);
      return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
    }
    case 'status':
      return `[${textOf(attrs.text, '').toUpperCase()}]`;
    case 'placeholder':
      return '';
    case 'mediaInline':
      return media(node);
    default:
      return node.text ?? inline(node.content);
  }
}

/** Text with its marks; code marks win (Markdown cannot nest emphasis inside code spans). */
function marked(text: string, marks: readonly AdfMark[]): string {
  if (marks.some((m) => m.type === 'code')) {
    const code = codeSpan(text);
    const link = marks.find((m) => m.type === 'link');
    return link ? `[${code}](${textOf(link.attrs?.href, '')})` : code;
  }
  // Emphasis delimiters must hug non-space text: move surrounding spaces outside them.
  const lead = /^\s*/.exec(text)![0];
  const trail = /\s*$/.exec(text.slice(lead.length))![0];
  let core = escapeText(text.slice(lead.length, text.length - trail.length));
  if (!core) return text;
  let href: string | undefined;
  for (const mark of marks) {
    switch (mark.type) {
      case 'strong':
        core = `**${core}**`;
        break;
      case 'em':
        core = `_${core}_`;
        break;
      case 'strike':
        core = `~~${core}~~`;
        break;
      case 'subsup':
        core = mark.attrs?.type === 'sup' ? `<sup>${core}</sup>` : `<sub>${core}</sub>`;
        break;
      case 'link':
        href = typeof mark.attrs?.href === 'string' ? mark.attrs.href : undefined;
        break;
    }
  }
  if (href !== undefined) core = `[${core}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
  return lead + core + trail;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes only what would otherwise turn into Markdown syntax; identifiers like snake_case stay readable. */
function escapeText(text: string): string {
  return (
    text
      .replace(/([\\`*[\]])/g, '\\$1')
      .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'))
      .replace(/^(#{1,6}\s|>|[-+]\s)/, '\\$1')
      // CommonMark escapes the dot of "1." (a backslash before a digit would print).
      .replace(/^(\d+)\.(\s)/, '$1\\.$2')
      .replace(/<(?=[A-Za-z/!])/g, '&lt;')
  );
}
