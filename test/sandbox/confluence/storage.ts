// Confluence storage format (XHTML with ac:/ri: elements) <-> the canonical content model.
import { escapeXml, parseXhtml, type XElement, type XNode } from './xhtml';
import {
  normalizeInlines,
  emojiByLegacyName,
  emojiByShortName,
  type Block,
  type Doc,
  type Inline,
  type Mark,
  type PanelType,
  type TableCell,
} from './model';

export type DisplayNameOf = (accountId: string) => string;

// Legacy macros each carry one ADF panel colour; the purple ADF "note" has no legacy macro and
// travels as a generic `panel` macro with the note background, as Confluence's converter does.
const PANEL_MACRO: Record<PanelType, string> = {
  info: 'info',
  success: 'tip',
  warning: 'note',
  error: 'warning',
  note: 'panel',
};
const NOTE_BG = '#EAE6FF';

/** Deterministic macro id so the same body always renders to the same storage string. */
function macroId(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 + c, 2246822519) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function toStorage(doc: Doc): string {
  let macroCounter = 0;
  const nextMacroId = (content: string): string => macroId(`${macroCounter++}:${content}`);

  const blocks = (list: readonly Block[]): string => list.map(block).join('');
  const block = (b: Block): string => {
    switch (b.type) {
      case 'paragraph':
        return b.content.length === 0 ? '<p />' : `<p>${inlines(b.content)}</p>`;
      case 'heading':
        return `<h${b.level}>${inlines(b.content)}</h${b.level}>`;
      case 'bulletList':
      case 'orderedList': {
        const tag = b.type === 'bulletList' ? 'ul' : 'ol';
        return `<${tag}>${b.items.map((item) => `<li>${blocks(item.blocks)}</li>`).join('')}</${tag}>`;
      }
      case 'codeBlock': {
        const language = b.language ? `<ac:parameter ac:name="language">${escapeXml(b.language)}</ac:parameter>` : '';
        const body = b.text.replace(/]]>/g, ']]]]><![CDATA[>');
        return `<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="${nextMacroId(b.text)}">${language}<ac:plain-text-body><![CDATA[${body}]]></ac:plain-text-body></ac:structured-macro>`;
      }
      case 'panel': {
        const name = PANEL_MACRO[b.panelType];
        const params = b.panelType === 'note' ? `<ac:parameter ac:name="bgColor">${NOTE_BG}</ac:parameter>` : '';
        const inner = blocks(b.blocks);
        return `<ac:structured-macro ac:name="${name}" ac:schema-version="1" ac:macro-id="${nextMacroId(inner)}">${params}<ac:rich-text-body>${inner}</ac:rich-text-body></ac:structured-macro>`;
      }
      case 'table':
        return `<table data-layout="default"><tbody>${b.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
      case 'blockquote':
        return `<blockquote>${blocks(b.blocks)}</blockquote>`;
      case 'rule':
        return '<hr />';
    }
  };
  const cell = (c: TableCell): string => {
    const tag = c.header ? 'th' : 'td';
    return `<${tag}>${blocks(c.blocks)}</${tag}>`;
  };
  return blocks(doc);
}

function inlines(content: readonly Inline[]): string {
  return content.map(inline).join('');
}

function inline(i: Inline): string {
  switch (i.type) {
    case 'text':
      return applyMarks(escapeXml(i.text), i.marks);
    case 'mention':
      return `<ac:link><ri:user ri:account-id="${escapeXml(i.accountId)}" /></ac:link>`;
    case 'emoji': {
      const info = emojiByShortName(i.shortName);
      const name = info?.legacyName ?? 'blue-star';
      const id = info ? ` ac:emoji-id="${info.id}"` : '';
      return `<ac:emoticon ac:name="${name}" ac:emoji-shortname="${escapeXml(i.shortName)}"${id} ac:emoji-fallback="${escapeXml(i.text)}" />`;
    }
    case 'hardBreak':
      return '<br />';
  }
}

const MARK_TAG: Record<string, string> = { strong: 'strong', em: 'em', code: 'code', strike: 's', underline: 'u' };

function applyMarks(html: string, marks: readonly Mark[]): string {
  // Inner marks first so a link ends up outermost, as Confluence writes it.
  let out = html;
  for (const mark of [...marks].reverse()) {
    out =
      mark.type === 'link'
        ? `<a href="${escapeXml(mark.href)}">${out}</a>`
        : `<${MARK_TAG[mark.type]}>${out}</${MARK_TAG[mark.type]}>`;
  }
  return out;
}

// ---- parsing ----

const BLOCK_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'blockquote',
  'hr',
  'pre',
  'div',
  'section',
  'ac:structured-macro',
  'ac:layout',
  'ac:layout-section',
  'ac:layout-cell',
  'ac:task-list',
  'ac:image',
  'ac:placeholder',
]);

/** Parses storage XHTML into the model; throws XhtmlError on malformed input. */
export function fromStorage(source: string, displayNameOf: DisplayNameOf): Doc {
  return new StorageReader(displayNameOf).blocks(parseXhtml(source));
}

class StorageReader {
  constructor(private readonly displayNameOf: DisplayNameOf) {}

  blocks(nodes: readonly XNode[]): Block[] {
    const out: Block[] = [];
    let pending: Inline[] = [];
    const flush = (): void => {
      const trimmed = trimInlines(pending);
      if (trimmed.length > 0) out.push({ type: 'paragraph', content: trimmed });
      pending = [];
    };
    for (const node of nodes) {
      if (node.kind === 'element' && BLOCK_TAGS.has(node.name)) {
        flush();
        out.push(...this.block(node));
      } else {
        pending.push(...this.inlines([node], []));
      }
    }
    flush();
    return out;
  }

  private block(el: XElement): Block[] {
    const heading = /^h([1-6])$/.exec(el.name);
    if (heading)
      return [
        {
          type: 'heading',
          level: Number(heading[1]) as 1 | 2 | 3 | 4 | 5 | 6,
          content: trimInlines(this.inlines(el.children, [])),
        },
      ];
    switch (el.name) {
      case 'p':
        return [{ type: 'paragraph', content: trimInlines(this.inlines(el.children, [])) }];
      case 'ul':
      case 'ol':
        return [
          {
            type: el.name === 'ul' ? 'bulletList' : 'orderedList',
            items: childElements(el, 'li').map((li) => ({ blocks: this.blocks(li.children) })),
          },
        ];
      case 'ac:task-list':
        return [
          {
            type: 'bulletList',
            items: childElements(el, 'ac:task').map((task) => ({
              blocks: this.blocks(childElements(task, 'ac:task-body').flatMap((b) => b.children)),
            })),
          },
        ];
      case 'table':
        return [{ type: 'table', rows: this.tableRows(el) }];
      case 'blockquote':
        return [{ type: 'blockquote', blocks: this.blocks(el.children) }];
      case 'hr':
        return [{ type: 'rule' }];
      case 'pre':
        return [{ type: 'codeBlock', language: null, text: textContent(el) }];
      case 'ac:structured-macro':
        return this.macro(el);
      case 'ac:image':
      case 'ac:placeholder':
        return [];
      default:
        return this.blocks(el.children);
    }
  }

  private tableRows(table: XElement): TableCell[][] {
    const rows: XElement[] = [];
    for (const child of table.children) {
      if (child.kind !== 'element') continue;
      if (child.name === 'tr') rows.push(child);
      if (child.name === 'tbody' || child.name === 'thead' || child.name === 'tfoot')
        rows.push(...childElements(child, 'tr'));
    }
    return rows.map((tr) =>
      tr.children
        .filter((c): c is XElement => c.kind === 'element' && (c.name === 'td' || c.name === 'th'))
        .map((c) => ({ header: c.name === 'th', blocks: this.blocks(c.children) })),
    );
  }

  private macro(el: XElement): Block[] {
    const name = el.attrs['ac:name'] ?? '';
    const params = new Map(childElements(el, 'ac:parameter').map((p) => [p.attrs['ac:name'] ?? '', textContent(p)]));
    if (name === 'code' || name === 'noformat') {
      const body = childElements(el, 'ac:plain-text-body')[0];
      return [{ type: 'codeBlock', language: params.get('language') || null, text: body ? textContent(body) : '' }];
    }
    const richBody = childElements(el, 'ac:rich-text-body')[0];
    const inner = richBody ? this.blocks(richBody.children) : [];
    const panelType = macroPanelType(name, params.get('bgColor'));
    if (panelType) return [{ type: 'panel', panelType, blocks: inner }];
    // Other macros (expand, toc, …): keep whatever readable body they carry.
    return inner;
  }

  inlines(nodes: readonly XNode[], marks: readonly Mark[]): Inline[] {
    const out: Inline[] = [];
    for (const node of nodes) {
      if (node.kind === 'text') {
        const value = node.text.replace(/\s+/g, ' ');
        if (value.length > 0) out.push({ type: 'text', text: value, marks });
        continue;
      }
      out.push(...this.inlineElement(node, marks));
    }
    return normalizeInlines(out);
  }

  private inlineElement(el: XElement, marks: readonly Mark[]): Inline[] {
    const withMark = (mark: Mark): Inline[] => this.inlines(el.children, [...marks, mark]);
    switch (el.name) {
      case 'strong':
      case 'b':
        return withMark({ type: 'strong' });
      case 'em':
      case 'i':
        return withMark({ type: 'em' });
      case 'u':
        return withMark({ type: 'underline' });
      case 's':
      case 'del':
      case 'strike':
        return withMark({ type: 'strike' });
      case 'code':
        return withMark({ type: 'code' });
      case 'a':
        return el.attrs['href'] ? withMark({ type: 'link', href: el.attrs['href'] }) : this.inlines(el.children, marks);
      case 'br':
        return [{ type: 'hardBreak' }];
      case 'ac:link':
        return this.acLink(el, marks);
      case 'ac:emoticon':
        return [emoticon(el)];
      case 'time':
        return el.attrs['datetime'] ? [{ type: 'text', text: el.attrs['datetime'], marks }] : [];
      case 'ac:parameter':
      case 'ac:image':
        return [];
      default:
        if (BLOCK_TAGS.has(el.name)) return blocksAsInlines(this.blocks([el]));
        return this.inlines(el.children, marks);
    }
  }

  private acLink(el: XElement, marks: readonly Mark[]): Inline[] {
    const user = childElements(el, 'ri:user')[0];
    if (user) {
      const accountId = user.attrs['ri:account-id'] ?? user.attrs['ri:userkey'] ?? '';
      return [{ type: 'mention', accountId, displayName: this.displayNameOf(accountId) }];
    }
    const body = el.children.find(
      (c): c is XElement => c.kind === 'element' && (c.name === 'ac:plain-text-link-body' || c.name === 'ac:link-body'),
    );
    if (body) return this.inlines(body.children, marks);
    const page = childElements(el, 'ri:page')[0];
    const title = page?.attrs['ri:content-title'];
    return title ? [{ type: 'text', text: title, marks }] : [];
  }
}

function macroPanelType(name: string, bgColor: string | undefined): PanelType | null {
  switch (name) {
    case 'info':
      return 'info';
    case 'tip':
      return 'success';
    case 'note':
      return 'warning';
    case 'warning':
      return 'error';
    case 'panel':
      return bgColor?.toUpperCase() === NOTE_BG ? 'note' : 'info';
    default:
      return null;
  }
}

function emoticon(el: XElement): Inline {
  const shortName = el.attrs['ac:emoji-shortname'];
  const legacy = emojiByLegacyName(el.attrs['ac:name'] ?? '');
  const known = (shortName && emojiByShortName(shortName)) || legacy;
  if (known) return { type: 'emoji', shortName: known.shortName, text: known.text };
  return {
    type: 'emoji',
    shortName: shortName ?? `:${el.attrs['ac:name'] ?? 'blue-star'}:`,
    text: el.attrs['ac:emoji-fallback'] ?? shortName ?? '',
  };
}

function childElements(el: XElement, name: string): XElement[] {
  return el.children.filter((c): c is XElement => c.kind === 'element' && c.name === name);
}

function textContent(node: XNode): string {
  return node.kind === 'text' ? node.text : node.children.map(textContent).join('');
}

function blocksAsInlines(blocks: readonly Block[]): Inline[] {
  return blocks.flatMap((b) => (b.type === 'paragraph' || b.type === 'heading' ? b.content : []));
}

/** Drops leading/trailing whitespace that XHTML indentation leaves around inline content. */
function trimInlines(list: readonly Inline[]): Inline[] {
  const out = [...list];
  const first = out[0];
  if (first?.type === 'text') {
    const t = first.text.replace(/^\s+/, '');
    if (t) out[0] = { ...first, text: t };
    else out.shift();
  }
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last?.type === 'text') {
    const t = last.text.replace(/\s+$/, '');
    if (t) out[lastIndex] = { ...last, text: t };
    else out.pop();
  }
  return out;
}
