// Markdown on the way in, Jira wiki markup on the way out of Data Center. Cloud takes ADF (via the
// marklassian library); Data Center's REST v2 takes and returns wiki markup. The parsers load on
// first use so the bridge starts without them.
import type { Token, Tokens } from 'marked';
import { ADF_PANEL_LABEL, type AdfDoc, type AdfNode } from './adf';
import { WIKI_PANEL_LABEL } from './wiki';

/**
 * Markdown → ADF document (Jira Cloud descriptions and comments, Confluence Cloud pages). Alerts
 * (`> [!WARNING]`, what reads make of panels) become panels again; marklassian does the rest.
 */
export async function markdownToAdf(markdown: string): Promise<AdfDoc> {
  const [{ markdownToAdf: convert }, { marked }] = await Promise.all([import('marklassian'), import('marked')]);
  const tokens = marked.lexer(markdown);
  const alerts = tokens.map((t) => (t.type === 'blockquote' ? alertPanel((t as Tokens.Blockquote).text) : undefined));
  if (!alerts.some(Boolean)) return convert(markdown);
  const content: AdfNode[] = [];
  let pending = '';
  const flush = () => {
    if (pending.trim()) content.push(...convert(pending).content);
    pending = '';
  };
  for (const [i, token] of tokens.entries()) {
    const alert = alerts[i];
    if (!alert) {
      pending += token.raw;
      continue;
    }
    flush();
    // ADF panels have no title: it stays visible as the panel's first, bold line.
    const title: AdfNode[] = alert.title
      ? [{ type: 'paragraph', content: [{ type: 'text', text: alert.title, marks: [{ type: 'strong' }] }] }]
      : [];
    const body = alert.body.trim() ? (await markdownToAdf(alert.body)).content : [];
    content.push({
      type: 'panel',
      attrs: { panelType: ADF_PANEL_FOR_LABEL[alert.label] ?? 'info' },
      content: [...title, ...body],
    });
  }
  flush();
  return { type: 'doc', version: 1, content };
}

/** The inverse of the labels reads give ADF panels; a wiki/storage `panel` has no ADF twin, so it is info. */
const ADF_PANEL_FOR_LABEL: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(ADF_PANEL_LABEL).map(([type, label]) => [label, type])),
  NOTE: 'info',
  PANEL: 'info',
};

/** Markdown → Jira wiki markup (Jira Data Center, REST v2). */
export async function markdownToWiki(markdown: string): Promise<string> {
  const { marked } = await import('marked');
  lexer = (md) => marked.lexer(md);
  return wikiBlocks(marked.lexer(markdown), 0)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Set by markdownToWiki once `marked` has loaded (it loads on first use). */
let lexer: (markdown: string) => Token[] = () => [];

/** `> [!WARNING] Careful` (what reads produce from `{warning:title=Careful}`): its label, title and body. */
function alertPanel(text: string): { label: string; title: string; body: string } | undefined {
  const m = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION|PANEL)\][ \t]*([^\n]*)\n?([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  return { label: m[1]!, title: m[2]!.trim(), body: m[3]! };
}

/** An alert as the wiki panel macro it was read from. */
function wikiPanel(text: string): { open: string; close: string; body: string } | undefined {
  const alert = alertPanel(text);
  if (!alert) return undefined;
  const kind = WIKI_PANEL_FOR_LABEL[alert.label] ?? 'info';
  return { open: `{${kind}${alert.title ? `:title=${alert.title}` : ''}}`, close: `{${kind}}`, body: alert.body };
}

const WIKI_PANEL_FOR_LABEL: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(WIKI_PANEL_LABEL).map(([kind, label]) => [label, kind])),
  CAUTION: 'warning',
};

function wikiBlocks(tokens: readonly Token[], depth: number): string {
  const out: string[] = [];
  for (const token of tokens) {
    const text = wikiBlock(token, depth);
    if (text) out.push(text);
  }
  return out.join('\n\n');
}

function wikiBlock(token: Token, depth: number): string {
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      return `h${t.depth}. ${wikiInline(t.tokens)}`;
    }
    case 'paragraph':
      return wikiInline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? wikiInline(t.tokens) : t.text;
    }
    case 'code': {
      const t = token as Tokens.Code;
      return t.lang ? `{code:${t.lang}}\n${t.text}\n{code}` : `{noformat}\n${t.text}\n{noformat}`;
    }
    case 'blockquote': {
      const t = token as Tokens.Blockquote;
      const panel = wikiPanel(t.text);
      if (panel) return `${panel.open}\n${wikiBlocks(lexer(panel.body), depth)}\n${panel.close}`;
      return `{quote}\n${wikiBlocks(t.tokens, depth)}\n{quote}`;
    }
    case 'hr':
      return '----';
    case 'list':
      return wikiList(token as Tokens.List, '');
    case 'table': {
      const t = token as Tokens.Table;
      const header = `||${t.header.map((c) => wikiInline(c.tokens)).join('||')}||`;
      const rows = t.rows.map((row) => `|${row.map((c) => wikiInline(c.tokens) || ' ').join('|')}|`);
      return [header, ...rows].join('\n');
    }
    case 'html':
      return (token as Tokens.HTML).text;
    case 'space':
      return '';
    default:
      return 'raw' in token ? String(token.raw) : '';
  }
}

function wikiList(list: Tokens.List, prefix: string): string {
  const marker = prefix + (list.ordered ? '#' : '*');
  const lines: string[] = [];
  for (const item of list.items) {
    const parts: string[] = [];
    const nested: string[] = [];
    for (const child of item.tokens) {
      if (child.type === 'list') nested.push(wikiList(child as Tokens.List, marker));
      else if (child.type !== 'space') parts.push(wikiBlock(child, 0));
    }
    const check = item.task ? (item.checked ? '(/) ' : '(x) ') : '';
    lines.push(`${marker} ${check}${parts.join(' ').replace(/\n/g, ' ')}`, ...nested);
  }
  return lines.join('\n');
}

function wikiInline(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        out += `*${wikiInline((token as Tokens.Strong).tokens)}*`;
        break;
      case 'em':
        out += `_${wikiInline((token as Tokens.Em).tokens)}_`;
        break;
      case 'del':
        out += `-${wikiInline((token as Tokens.Del).tokens)}-`;
        break;
      case 'codespan':
        out += `{{${(token as Tokens.Codespan).text}}}`;
        break;
      case 'link': {
        const t = token as Tokens.Link;
        const label = wikiInline(t.tokens);
        out += label && label !== t.href ? `[${label}|${t.href}]` : `[${t.href}]`;
        break;
      }
      case 'image':
        out += `!${decodeURI((token as Tokens.Image).href)}!`;
        break;
      case 'br':
        out += '\\\\\n';
        break;
      case 'escape':
        out += (token as Tokens.Escape).text;
        break;
      case 'text': {
        const t = token as Tokens.Text;
        // `[attachment: file.ext]` is how reads show `[^file.ext]`.
        out += t.tokens ? wikiInline(t.tokens) : decodeEntities(t.text).replace(/\[attachment: ([^\]\n]+)\]/g, '[^$1]');
        break;
      }
      default:
        out += 'raw' in token ? String(token.raw) : '';
    }
  }
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _m,
  );
}

export { wikiToMarkdown } from './wiki';
