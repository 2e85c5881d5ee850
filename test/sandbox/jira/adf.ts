// Atlassian Document Format helpers for the Jira sandbox: validation of incoming documents and the
// conversions Jira performs itself (v2 wiki strings <-> ADF, renderedFields HTML, text for search).

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Rich text as stored: ADF on Cloud, a wiki-markup string on Data Center. */
export type RichText = AdfDoc | string;

const BLOCK_NODES = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'blockquote',
  'panel',
  'rule',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'mediaSingle',
  'mediaGroup',
  'media',
  'expand',
  'nestedExpand',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
  'blockCard',
  'embedCard',
  'extension',
  'bodiedExtension',
]);
const INLINE_NODES = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'date',
  'status',
  'placeholder',
  'mediaInline',
  'inlineExtension',
]);
const MARKS = new Set([
  'strong',
  'em',
  'code',
  'strike',
  'underline',
  'link',
  'textColor',
  'subsup',
  'backgroundColor',
  'annotation',
  'border',
  'alignment',
  'indentation',
  'breakout',
  'dataConsumer',
  'fragment',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns why `value` is not a valid ADF document, or null when it is. */
export function adfProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'not an object';
  if (value.type !== 'doc') return 'root type must be doc';
  if (value.version !== 1) return 'version must be 1';
  if (!Array.isArray(value.content)) return 'content must be an array';
  for (const child of value.content) {
    const problem = nodeProblem(child);
    if (problem) return problem;
  }
  return null;
}

function nodeProblem(node: unknown): string | null {
  if (!isRecord(node) || typeof node.type !== 'string') return 'node without a type';
  if (!BLOCK_NODES.has(node.type) && !INLINE_NODES.has(node.type)) return `unknown node type ${node.type}`;
  if (node.type === 'text') {
    if (typeof node.text !== 'string' || node.text.length === 0) return 'text nodes need non-empty text';
  }
  if (node.attrs !== undefined && !isRecord(node.attrs)) return `attrs of ${node.type} must be an object`;
  if (node.marks !== undefined) {
    if (!Array.isArray(node.marks)) return 'marks must be an array';
    for (const mark of node.marks) {
      if (!isRecord(mark) || typeof mark.type !== 'string' || !MARKS.has(mark.type)) return 'unknown mark';
      if (mark.type === 'link' && (!isRecord(mark.attrs) || typeof mark.attrs.href !== 'string'))
        return 'link mark needs attrs.href';
    }
  }
  if (node.type === 'mention' && (!isRecord(node.attrs) || typeof node.attrs.id !== 'string'))
    return 'mention needs attrs.id';
  if (node.type === 'heading') {
    const level = isRecord(node.attrs) ? node.attrs.level : undefined;
    if (typeof level !== 'number' || level < 1 || level > 6) return 'heading needs attrs.level 1-6';
  }
  if (node.content !== undefined) {
    if (!Array.isArray(node.content)) return 'content must be an array';
    for (const child of node.content) {
      const problem = nodeProblem(child);
      if (problem) return problem;
    }
  }
  return null;
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return adfProblem(value) === null;
}

// --- builders -----------------------------------------------------------------------------------

export function doc(...content: AdfNode[]): AdfDoc {
  return { type: 'doc', version: 1, content };
}

export function paragraphOf(text: string): AdfNode {
  return text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' };
}

/** A document holding plain text, one paragraph per line group. */
export function textToAdf(text: string): AdfDoc {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  return doc(...paragraphs.map(paragraphOf));
}

// --- ADF -> plain text ----------------------------------------------------------------------------

export function adfToText(value: RichText | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return blocksToText(value.content).trim();
}

function blocksToText(nodes: readonly AdfNode[] | undefined): string {
  return (nodes ?? []).map(nodeToText).join('');
}

function nodeToText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return String(node.attrs?.text ?? '');
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
      return String(node.attrs?.url ?? '');
    case 'date':
      return String(node.attrs?.timestamp ?? '');
    case 'status':
      return String(node.attrs?.text ?? '');
    case 'rule':
      return '\n';
    case 'tableCell':
    case 'tableHeader':
      return blocksToText(node.content).trim() + '\t';
    case 'tableRow':
      return blocksToText(node.content).trimEnd() + '\n';
    default: {
      const inner = blocksToText(node.content);
      return BLOCK_NODES.has(node.type) && !['listItem', 'table'].includes(node.type) ? inner + '\n' : inner;
    }
  }
}

// --- ADF -> wiki markup (what Cloud's v2 API returns for rich text) ----------------------------------

export function adfToWiki(value: RichText | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return value.content
    .map((n) => wikiBlock(n, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function wikiInline(nodes: readonly AdfNode[] | undefined): string {
  return (nodes ?? []).map(wikiInlineNode).join('');
}

function wikiInlineNode(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return wikiMarks(node.text ?? '', node.marks ?? []);
    case 'hardBreak':
      return '\n';
    case 'mention':
      return `[~accountid:${String(node.attrs?.id ?? '')}]`;
    case 'emoji':
      return String(node.attrs?.shortName ?? '');
    case 'inlineCard':
      return `[${String(node.attrs?.url ?? '')}|${String(node.attrs?.url ?? '')}|smart-link]`;
    case 'status':
      return `*[${String(node.attrs?.text ?? '')}]*`;
    default:
      return wikiInline(node.content);
  }
}

function wikiMarks(text: string, marks: readonly AdfMark[]): string {
  let out = text;
  for (const mark of marks) {
    if (mark.type === 'strong') out = `*${out}*`;
    else if (mark.type === 'em') out = `_${out}_`;
    else if (mark.type === 'code') out = `{{${out}}}`;
    else if (mark.type === 'strike') out = `-${out}-`;
    else if (mark.type === 'underline') out = `+${out}+`;
  }
  const link = marks.find((m) => m.type === 'link');
  return link ? `[${out}|${String(link.attrs?.href ?? '')}]` : out;
}

function wikiBlock(node: AdfNode, listPrefix: string): string {
  switch (node.type) {
    case 'paragraph':
      return wikiInline(node.content) + '\n';
    case 'heading':
      return `h${Number(node.attrs?.level ?? 1)}. ${wikiInline(node.content)}\n`;
    case 'bulletList':
    case 'orderedList': {
      const prefix = listPrefix + (node.type === 'bulletList' ? '*' : '#');
      return (node.content ?? []).map((item) => wikiListItem(item, prefix)).join('') + (listPrefix ? '' : '\n');
    }
    case 'codeBlock': {
      const language = node.attrs?.language ? `:${String(node.attrs.language)}` : '';
      return `{code${language}}\n${wikiInline(node.content)}\n{code}\n`;
    }
    case 'blockquote':
      return `{quote}\n${(node.content ?? []).map((n) => wikiBlock(n, '')).join('')}{quote}\n`;
    case 'panel':
      return `{panel:type=${String(node.attrs?.panelType ?? 'info')}}\n${(node.content ?? []).map((n) => wikiBlock(n, '')).join('')}{panel}\n`;
    case 'rule':
      return '----\n';
    case 'table':
      return (node.content ?? []).map(wikiRow).join('') + '\n';
    default:
      return wikiInline(node.content) + '\n';
  }
}

function wikiListItem(item: AdfNode, prefix: string): string {
  const parts = item.content ?? [];
  let out = '';
  for (const part of parts) {
    if (part.type === 'bulletList' || part.type === 'orderedList') out += wikiBlock(part, prefix);
    else out += `${prefix} ${wikiInline(part.content)}\n`;
  }
  return out;
}

function wikiRow(row: AdfNode): string {
  const cells = row.content ?? [];
  const header = cells.every((c) => c.type === 'tableHeader');
  const sep = header ? '||' : '|';
  return sep + cells.map((c) => (c.content ?? []).map((b) => wikiInline(b.content)).join(' ')).join(sep) + sep + '\n';
}

// --- wiki markup -> ADF (Cloud parses v2 strings into documents) --------------------------------------

/** Parses the common subset of Jira wiki markup into ADF. */
export function wikiToAdf(wiki: string): AdfDoc {
  const lines = wiki.replace(/\r\n?/g, '\n').split('\n');
  const blocks: AdfNode[] = [];
  let i = 0;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length) blocks.push({ type: 'paragraph', content: wikiInlineToAdf(paragraph.join('\n')) });
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const code = /^\{(code|noformat)(?::([^}]*))?\}(.*)$/.exec(line.trim());
    if (code) {
      flush();
      const body: string[] = [];
      const rest = code[3] ?? '';
      const closing = `{${code[1] ?? 'code'}}`;
      if (rest.includes(closing)) {
        body.push(rest.slice(0, rest.indexOf(closing)));
      } else {
        if (rest) body.push(rest);
        i++;
        while (i < lines.length && !(lines[i] ?? '').includes(closing)) body.push(lines[i++] ?? '');
      }
      const language = code[2]?.split('|').find((p) => !p.includes('=')) ?? code[2]?.match(/language=(\w+)/)?.[1];
      const text = body.join('\n');
      blocks.push({
        type: 'codeBlock',
        ...(language ? { attrs: { language } } : {}),
        ...(text ? { content: [{ type: 'text', text }] } : {}),
      });
      i++;
      continue;
    }
    const container = /^\{(quote|panel)(?::([^}]*))?\}\s*$/.exec(line.trim());
    if (container) {
      flush();
      const name = container[1] ?? 'quote';
      const body: string[] = [];
      i++;
      while (i < lines.length && (lines[i] ?? '').trim() !== `{${name}}`) body.push(lines[i++] ?? '');
      i++;
      const inner = wikiToAdf(body.join('\n')).content;
      if (name === 'quote') blocks.push({ type: 'blockquote', content: inner });
      else {
        const panelType = /type=(\w+)/.exec(container[2] ?? '')?.[1] ?? 'info';
        blocks.push({ type: 'panel', attrs: { panelType }, content: inner });
      }
      continue;
    }
    const heading = /^h([1-6])\.\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({
        type: 'heading',
        attrs: { level: Number(heading[1]) },
        content: wikiInlineToAdf(heading[2] ?? ''),
      });
      i++;
      continue;
    }
    if (/^bq\.\s+/.test(line)) {
      flush();
      blocks.push({
        type: 'blockquote',
        content: [{ type: 'paragraph', content: wikiInlineToAdf(line.replace(/^bq\.\s+/, '')) }],
      });
      i++;
      continue;
    }
    if (/^-{4,}\s*$/.test(line)) {
      flush();
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (/^[*#]+\s+/.test(line)) {
      flush();
      const items: string[] = [];
      while (i < lines.length && /^[*#]+\s+/.test(lines[i] ?? '')) items.push(lines[i++] ?? '');
      blocks.push(buildList(items, 1));
      continue;
    }
    if (/^\|/.test(line)) {
      flush();
      const rows: string[] = [];
      while (i < lines.length && /^\|/.test(lines[i] ?? '')) rows.push(lines[i++] ?? '');
      blocks.push(buildTable(rows));
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
    i++;
  }
  flush();
  return doc(...blocks);
}

function buildList(lines: readonly string[], depth: number): AdfNode {
  const marker = (lines[0] ?? '*').slice(depth - 1, depth);
  const list: AdfNode = { type: marker === '#' ? 'orderedList' : 'bulletList', content: [] };
  let k = 0;
  while (k < lines.length) {
    const line = lines[k] ?? '';
    const text = line.replace(/^[*#]+\s+/, '');
    const item: AdfNode = { type: 'listItem', content: [{ type: 'paragraph', content: wikiInlineToAdf(text) }] };
    k++;
    const nested: string[] = [];
    while (k < lines.length && /^[*#]+/.exec(lines[k] ?? '')![0].length > depth) nested.push(lines[k++] ?? '');
    if (nested.length) item.content!.push(buildList(nested, depth + 1));
    list.content!.push(item);
  }
  if (list.type === 'orderedList') list.attrs = { order: 1 };
  return list;
}

function buildTable(rows: readonly string[]): AdfNode {
  return {
    type: 'table',
    attrs: { isNumberColumnEnabled: false, layout: 'default' },
    content: rows.map((row) => {
      const header = row.startsWith('||');
      const sep = header ? '||' : '|';
      const cells = row
        .trim()
        .slice(sep.length, row.trim().endsWith(sep) ? -sep.length : undefined)
        .split(sep);
      return {
        type: 'tableRow',
        content: cells.map((cell) => ({
          type: header ? 'tableHeader' : 'tableCell',
          attrs: {},
          content: [{ type: 'paragraph', content: wikiInlineToAdf(cell.trim()) }],
        })),
      };
    }),
  };
}

const INLINE_PATTERN =
  /\[~accountid:([^\]]+)\]|\[~([^\]]+)\]|\[([^|\]]+)\|([^\]|]+)(?:\|[^\]]*)?\]|\{\{(.+?)\}\}|\*([^*\n]+)\*|(?<![\w])_([^_\n]+)_(?![\w])|(:[a-z_+-]+:)|\n/g;

/** Inline wiki markup (bold, italic, monospace, links, mentions) to ADF inline nodes. */
export function wikiInlineToAdf(text: string): AdfNode[] {
  const out: AdfNode[] = [];
  let last = 0;
  const push = (t: string, marks?: AdfMark[]): void => {
    if (t) out.push(marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
  };
  for (const m of text.matchAll(INLINE_PATTERN)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] || m[2]) out.push({ type: 'mention', attrs: { id: m[1] ?? m[2] ?? '', text: `@${m[1] ?? m[2] ?? ''}` } });
    else if (m[3] && m[4]) push(m[3], [{ type: 'link', attrs: { href: m[4] } }]);
    else if (m[5]) push(m[5], [{ type: 'code' }]);
    else if (m[6]) push(m[6], [{ type: 'strong' }]);
    else if (m[7]) push(m[7], [{ type: 'em' }]);
    else if (m[8]) out.push({ type: 'emoji', attrs: { shortName: m[8] } });
    else out.push({ type: 'hardBreak' });
  }
  push(text.slice(last));
  return out;
}

// --- ADF -> HTML (renderedFields) ----------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function richTextToHtml(value: RichText | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const adf = typeof value === 'string' ? wikiToAdf(value) : value;
  return adf.content.map(htmlNode).join('');
}

function htmlChildren(node: AdfNode): string {
  return (node.content ?? []).map(htmlNode).join('');
}

function htmlNode(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return htmlMarks(escapeHtml(node.text ?? ''), node.marks ?? []);
    case 'paragraph':
      return `<p>${htmlChildren(node)}</p>`;
    case 'heading': {
      const level = Number(node.attrs?.level ?? 1);
      return `<h${level}>${htmlChildren(node)}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${htmlChildren(node)}</ul>`;
    case 'orderedList':
      return `<ol>${htmlChildren(node)}</ol>`;
    case 'listItem':
      return `<li>${htmlChildren(node)}</li>`;
    case 'codeBlock':
      return `<div class="code panel"><div class="codeContent panelContent"><pre class="code-${escapeHtml(String(node.attrs?.language ?? 'java'))}">${htmlChildren(node)}</pre></div></div>`;
    case 'blockquote':
      return `<blockquote>${htmlChildren(node)}</blockquote>`;
    case 'panel':
      return `<div class="panel panel-${escapeHtml(String(node.attrs?.panelType ?? 'info'))}"><div class="panelContent">${htmlChildren(node)}</div></div>`;
    case 'rule':
      return '<hr />';
    case 'hardBreak':
      return '<br/>';
    case 'table':
      return `<div class="table-wrap"><table class="confluenceTable"><tbody>${htmlChildren(node)}</tbody></table></div>`;
    case 'tableRow':
      return `<tr>${htmlChildren(node)}</tr>`;
    case 'tableHeader':
      return `<th class="confluenceTh">${htmlChildren(node)}</th>`;
    case 'tableCell':
      return `<td class="confluenceTd">${htmlChildren(node)}</td>`;
    case 'mention':
      return `<a class="user-hover" rel="${escapeHtml(String(node.attrs?.id ?? ''))}">${escapeHtml(String(node.attrs?.text ?? ''))}</a>`;
    case 'emoji':
      return escapeHtml(String(node.attrs?.text ?? node.attrs?.shortName ?? ''));
    case 'inlineCard':
      return `<a href="${escapeHtml(String(node.attrs?.url ?? ''))}">${escapeHtml(String(node.attrs?.url ?? ''))}</a>`;
    default:
      return htmlChildren(node);
  }
}

function htmlMarks(html: string, marks: readonly AdfMark[]): string {
  let out = html;
  for (const mark of marks) {
    if (mark.type === 'strong') out = `<b>${out}</b>`;
    else if (mark.type === 'em') out = `<em>${out}</em>`;
    else if (mark.type === 'code') out = `<tt>${out}</tt>`;
    else if (mark.type === 'strike') out = `<del>${out}</del>`;
    else if (mark.type === 'underline') out = `<ins>${out}</ins>`;
    else if (mark.type === 'link')
      out = `<a href="${escapeHtml(String(mark.attrs?.href ?? ''))}" class="external-link" rel="nofollow noreferrer">${out}</a>`;
  }
  return out;
}
