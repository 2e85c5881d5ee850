// Markdown on the way in, Jira wiki markup on the way out of Data Center. Cloud takes ADF (via the
// marklassian library); Data Center's REST v2 takes and returns wiki markup. The parsers load on
// first use so the bridge starts without them.
import type { Token, Tokens } from 'marked';
import type { AdfDoc } from './adf';

/** Markdown → ADF document (Jira Cloud descriptions and comments, Confluence Cloud pages). */
export async function markdownToAdf(markdown: string): Promise<AdfDoc> {
  const { markdownToAdf: convert } = await import('marklassian');
  return convert(markdown);
}

/** Markdown → Jira wiki markup (Jira Data Center, REST v2). */
export async function markdownToWiki(markdown: string): Promise<string> {
  const { marked } = await import('marked');
  return wikiBlocks(marked.lexer(markdown), 0)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

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
        out += `!${(token as Tokens.Image).href}!`;
        break;
      case 'br':
        out += '\\\\\n';
        break;
      case 'escape':
        out += (token as Tokens.Escape).text;
        break;
      case 'text': {
        const t = token as Tokens.Text;
        out += t.tokens ? wikiInline(t.tokens) : decodeEntities(t.text);
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

const WIKI_PANELS: Record<string, string> = {
  info: 'NOTE',
  note: 'NOTE',
  tip: 'TIP',
  warning: 'WARNING',
  panel: 'NOTE',
};

/** Jira wiki markup (Data Center) → Markdown: the constructs issue text commonly uses. */
export function wikiToMarkdown(wiki: string | null | undefined): string {
  if (!wiki) return '';
  const preserved: string[] = [];
  const keep = (text: string) => `\u0000${preserved.push(text) - 1}\u0000`;
  let text = wiki.replace(/\r\n?/g, '\n');
  // Code first, so nothing inside it is touched.
  text = text.replace(
    /(?<!\{)\{code(?::([^}]*))?\}\n?([\s\S]*?)\n?\{code\}/g,
    (_m, options: string | undefined, code: string) => {
      // {code:java} or {code:title=x|language=java}
      const language =
        /(?:^|\|)language=([^|]*)/.exec(options ?? '')?.[1] ??
        (options && !options.includes('=') ? options.split('|')[0] : '');
      return keep(`\`\`\`${(language ?? '').trim()}\n${code}\n\`\`\``);
    },
  );
  text = text.replace(/\{noformat[^}]*\}\n?([\s\S]*?)\n?\{noformat\}/g, (_m, code: string) =>
    keep(`\`\`\`\n${code}\n\`\`\``),
  );
  text = text.replace(/\{\{([^}]+)\}\}/g, (_m, code: string) => keep(`\`${code}\``));
  text = text.replace(/\{quote\}\n?([\s\S]*?)\n?\{quote\}/g, (_m, body: string) =>
    body
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
  );
  text = text.replace(
    /\{(info|note|tip|warning|panel)(?::[^}]*)?\}\n?([\s\S]*?)\n?\{\1\}/g,
    (_m, kind: string, body: string) =>
      [`> [!${WIKI_PANELS[kind] ?? 'NOTE'}]`, ...body.split('\n').map((l) => `> ${l}`)].join('\n'),
  );
  const lines = text.split('\n').map((line) => {
    let m: RegExpExecArray | null;
    if ((m = /^h([1-6])\.\s+(.*)$/.exec(line))) return `${'#'.repeat(Number(m[1]))} ${m[2]}`;
    if ((m = /^bq\.\s+(.*)$/.exec(line))) return `> ${m[1]}`;
    if (/^-{4,}\s*$/.test(line)) return keep('---');
    if ((m = /^([*#-]+)\s+(.*)$/.exec(line)) && !/^\*[^*\s][^*]*\*/.test(line)) {
      const markers = m[1]!;
      const indent = '  '.repeat(markers.length - 1);
      return `${indent}${markers.endsWith('#') ? '1.' : '-'} ${m[2]}`;
    }
    if ((m = /^\|\|(.*)\|\|\s*$/.exec(line))) {
      const cells = m[1]!.split('||');
      return `| ${cells.join(' | ')} |\n${keep(`|${' --- |'.repeat(cells.length)}`)}`;
    }
    if ((m = /^\|(.*)\|\s*$/.exec(line))) return `| ${m[1]!.split('|').join(' | ')} |`;
    return line;
  });
  text = lines.join('\n');
  text = text.replace(/\[~(?:accountid:)?([^\]]+)\]/g, '@$1');
  text = text.replace(/\[([^\]|\n]+)\|([^\]\n]+)\]/g, '[$1]($2)');
  text = text.replace(/\[((?:https?|mailto):[^\]\n]+)\]/g, '<$1>');
  text = text.replace(/(^|[\s(])\*(\S(?:[^*\n]*\S)?)\*(?=[\s).,:;!?]|$)/gm, '$1**$2**');
  text = text.replace(/(^|[\s(])-(\S(?:[^-\n]*\S)?)-(?=[\s).,:;!?]|$)/gm, '$1~~$2~~');
  text = text.replace(/\\\\\n?/g, '\\\n');
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => preserved[Number(i)] ?? '').trim();
}
