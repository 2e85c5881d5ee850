// Confluence wiki markup -> the canonical model. v2 accepts `wiki` only as an input representation,
// so only this direction exists. Covers the markup people actually send: headings, lists, code,
// panels, tables, quotes, rules, bold/italic/monospace/strike/underline, links and mentions.
import { emojiByShortName, normalizeDoc, type Block, type Inline, type Mark, type PanelType } from './model';
import type { DisplayNameOf } from './storage';

const PANEL_MACROS: Record<string, PanelType> = {
  info: 'info',
  tip: 'success',
  note: 'warning',
  warning: 'error',
  // Confluence keeps `{panel}` a `panel` macro; in this model that is the panel type storing as one.
  panel: 'note',
};

export function fromWiki(source: string, displayNameOf: DisplayNameOf): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return normalizeDoc(new WikiReader(lines, displayNameOf).blocks(0, lines.length));
}

class WikiReader {
  constructor(
    private readonly lines: readonly string[],
    private readonly displayNameOf: DisplayNameOf,
  ) {}

  blocks(from: number, to: number): Block[] {
    const out: Block[] = [];
    let paragraph: string[] = [];
    const flush = (): void => {
      if (paragraph.length > 0) out.push({ type: 'paragraph', content: this.inlineLines(paragraph) });
      paragraph = [];
    };
    let i = from;
    while (i < to) {
      const line = this.lines[i]!;
      const trimmed = line.trim();
      const macro = /^\{(code|noformat|info|tip|note|warning|panel)(?::([^}]*))?\}(.*)$/.exec(trimmed);
      if (macro) {
        flush();
        i = this.macro(macro[1]!, macro[2] ?? '', macro[3] ?? '', i, to, out);
        continue;
      }
      const heading = /^h([1-6])\.\s+(.*)$/.exec(trimmed);
      if (trimmed === '') {
        flush();
      } else if (heading) {
        flush();
        out.push({ type: 'heading', level: Number(heading[1]) as 1, content: this.inlines(heading[2]!) });
      } else if (/^-{4,}$/.test(trimmed)) {
        flush();
        out.push({ type: 'rule' });
      } else if (trimmed.startsWith('bq. ')) {
        flush();
        out.push({ type: 'blockquote', blocks: [{ type: 'paragraph', content: this.inlines(trimmed.slice(4)) }] });
      } else if (/^[*#-]+\s/.test(trimmed)) {
        flush();
        const end = this.runEnd(i, to, (l) => /^[*#-]+\s/.test(l.trim()));
        out.push(
          this.list(
            this.lines.slice(i, end).map((l) => l.trim()),
            1,
          ),
        );
        i = end;
        continue;
      } else if (trimmed.startsWith('|')) {
        flush();
        const end = this.runEnd(i, to, (l) => l.trim().startsWith('|'));
        out.push(this.table(this.lines.slice(i, end).map((l) => l.trim())));
        i = end;
        continue;
      } else {
        paragraph.push(trimmed);
      }
      i++;
    }
    flush();
    return out;
  }

  private runEnd(from: number, to: number, test: (line: string) => boolean): number {
    let end = from;
    while (end < to && test(this.lines[end]!)) end++;
    return end;
  }

  private macro(name: string, params: string, rest: string, start: number, to: number, out: Block[]): number {
    const closing = `{${name}}`;
    // Single-line form: {code}x = 1{code}
    if (rest.includes(closing)) {
      const inner = rest.slice(0, rest.indexOf(closing));
      out.push(this.macroBlock(name, params, [inner]));
      return start + 1;
    }
    let end = start + 1;
    while (end < to && !this.lines[end]!.includes(closing)) end++;
    const body = [rest, ...this.lines.slice(start + 1, end)];
    if (end < to) body.push(this.lines[end]!.slice(0, this.lines[end]!.indexOf(closing)));
    out.push(
      this.macroBlock(
        name,
        params,
        body.filter((l, idx) => idx > 0 || l !== ''),
      ),
    );
    return end + 1;
  }

  private macroBlock(name: string, params: string, body: string[]): Block {
    if (name === 'code' || name === 'noformat') {
      const language =
        params.split('|').find((p) => p && !p.includes('=')) ?? /language=([^|]+)/.exec(params)?.[1] ?? null;
      return { type: 'codeBlock', language, text: body.join('\n').replace(/^\n+|\n+$/g, '') };
    }
    const nested = new WikiReader(body, this.displayNameOf);
    return { type: 'panel', panelType: PANEL_MACROS[name] ?? 'info', blocks: nested.blocks(0, body.length) };
  }

  private list(lines: string[], depth: number): Block {
    const kind = lines[0]!.charAt(depth - 1) === '#' ? 'orderedList' : 'bulletList';
    const items: { blocks: Block[] }[] = [];
    let i = 0;
    while (i < lines.length) {
      const marker = /^([*#-]+)\s+(.*)$/.exec(lines[i]!)!;
      const text = marker[2]!;
      let end = i + 1;
      while (end < lines.length && /^([*#-]+)/.exec(lines[end]!)![1]!.length > depth) end++;
      const blocks: Block[] = [{ type: 'paragraph', content: this.inlines(text) }];
      if (end > i + 1) blocks.push(this.list(lines.slice(i + 1, end), depth + 1));
      items.push({ blocks });
      i = end;
    }
    return { type: kind, items };
  }

  private table(lines: string[]): Block {
    return {
      type: 'table',
      rows: lines.map((line) => {
        const header = line.startsWith('||');
        const cells = line.split(header ? '||' : '|').slice(1);
        if (cells[cells.length - 1]?.trim() === '') cells.pop();
        return cells.map((c) => ({
          header,
          blocks: [{ type: 'paragraph' as const, content: this.inlines(c.trim()) }],
        }));
      }),
    };
  }

  private inlineLines(lines: readonly string[]): Inline[] {
    const out: Inline[] = [];
    lines.forEach((line, idx) => {
      if (idx > 0) out.push({ type: 'hardBreak' });
      out.push(...this.inlines(line));
    });
    return out;
  }

  inlines(source: string, marks: readonly Mark[] = []): Inline[] {
    const out: Inline[] = [];
    const pattern =
      /\[~accountid:([^\]]+)\]|\[([^|\]]+)\|([^\]]+)\]|\[(https?:\/\/[^\]]+)\]|\{\{(.+?)\}\}|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])|(?<![\w-])-(?![\s-])(.+?)(?<![\s-])-(?![\w-])|(?<![\w+])\+(?!\s)(.+?)(?<!\s)\+(?![\w+])|(:[a-z0-9_+-]+:)/g;
    let last = 0;
    for (const m of source.matchAll(pattern)) {
      if (m.index > last) out.push({ type: 'text', text: source.slice(last, m.index), marks });
      last = m.index + m[0].length;
      if (m[1]) out.push({ type: 'mention', accountId: m[1], displayName: this.displayNameOf(m[1]) });
      else if (m[2] && m[3]) out.push(...this.inlines(m[2], [...marks, { type: 'link', href: m[3] }]));
      else if (m[4]) out.push({ type: 'text', text: m[4], marks: [...marks, { type: 'link', href: m[4] }] });
      else if (m[5]) out.push({ type: 'text', text: m[5], marks: [...marks, { type: 'code' }] });
      else if (m[6]) out.push(...this.inlines(m[6], [...marks, { type: 'strong' }]));
      else if (m[7]) out.push(...this.inlines(m[7], [...marks, { type: 'em' }]));
      else if (m[8]) out.push(...this.inlines(m[8], [...marks, { type: 'strike' }]));
      else if (m[9]) out.push(...this.inlines(m[9], [...marks, { type: 'underline' }]));
      else if (m[10]) {
        const info = emojiByShortName(m[10]);
        out.push(
          info ? { type: 'emoji', shortName: info.shortName, text: info.text } : { type: 'text', text: m[10], marks },
        );
      }
    }
    if (last < source.length) out.push({ type: 'text', text: source.slice(last), marks });
    return out;
  }
}
