// One canonical content model for Confluence bodies. Pages are stored in this shape and every
// representation a client can ask for (storage XHTML, ADF, view HTML, plain text) is derived from
// it, so the formats always agree with each other.

export type Mark =
  | { readonly type: 'strong' | 'em' | 'code' | 'strike' | 'underline' }
  | { readonly type: 'link'; readonly href: string };

export type Inline =
  | { readonly type: 'text'; readonly text: string; readonly marks: readonly Mark[] }
  | { readonly type: 'mention'; readonly accountId: string; readonly displayName: string }
  | { readonly type: 'emoji'; readonly shortName: string; readonly text: string }
  | { readonly type: 'hardBreak' };

/** ADF panel types; storage maps them onto the legacy info/tip/note/warning macros. */
export type PanelType = 'info' | 'note' | 'success' | 'warning' | 'error';

export interface ListItem {
  readonly blocks: readonly Block[];
}

export interface TableCell {
  readonly header: boolean;
  readonly blocks: readonly Block[];
}

export type Block =
  | { readonly type: 'paragraph'; readonly content: readonly Inline[] }
  | { readonly type: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly content: readonly Inline[] }
  | { readonly type: 'bulletList' | 'orderedList'; readonly items: readonly ListItem[] }
  | { readonly type: 'codeBlock'; readonly language: string | null; readonly text: string }
  | { readonly type: 'panel'; readonly panelType: PanelType; readonly blocks: readonly Block[] }
  | { readonly type: 'table'; readonly rows: readonly (readonly TableCell[])[] }
  | { readonly type: 'blockquote'; readonly blocks: readonly Block[] }
  | { readonly type: 'rule' };

export type Doc = readonly Block[];

/** Emoji the sandbox knows how to name in every representation. */
export interface EmojiInfo {
  readonly shortName: string;
  readonly id: string;
  readonly text: string;
  /** Legacy Confluence emoticon name (`ac:name`), when there is one. */
  readonly legacyName: string | null;
}

export const EMOJI: readonly EmojiInfo[] = [
  { shortName: ':smile:', id: '1f604', text: '😄', legacyName: 'smile' },
  { shortName: ':wink:', id: '1f609', text: '😉', legacyName: 'wink' },
  { shortName: ':thumbsup:', id: '1f44d', text: '👍', legacyName: 'thumbs-up' },
  { shortName: ':white_check_mark:', id: '2705', text: '✅', legacyName: 'tick' },
  { shortName: ':warning:', id: '26a0', text: '⚠️', legacyName: 'warning' },
  { shortName: ':bulb:', id: '1f4a1', text: '💡', legacyName: 'light-on' },
  { shortName: ':rocket:', id: '1f680', text: '🚀', legacyName: null },
  { shortName: ':tada:', id: '1f389', text: '🎉', legacyName: null },
  { shortName: ':fire:', id: '1f525', text: '🔥', legacyName: null },
  { shortName: ':lock:', id: '1f512', text: '🔒', legacyName: null },
  { shortName: ':wave:', id: '1f44b', text: '👋', legacyName: null },
  { shortName: ':calendar:', id: '1f4c5', text: '📅', legacyName: null },
];

export function emojiByShortName(shortName: string): EmojiInfo | undefined {
  return EMOJI.find((e) => e.shortName === shortName);
}

export function emojiByLegacyName(name: string): EmojiInfo | undefined {
  return EMOJI.find((e) => e.legacyName === name);
}

// Small constructors keep the seed readable.
export const text = (value: string, ...marks: Mark[]): Inline => ({ type: 'text', text: value, marks });
export const strong = (value: string): Inline => text(value, { type: 'strong' });
export const em = (value: string): Inline => text(value, { type: 'em' });
export const code = (value: string): Inline => text(value, { type: 'code' });
export const link = (value: string, href: string): Inline => text(value, { type: 'link', href });
export const mention = (accountId: string, displayName: string): Inline => ({
  type: 'mention',
  accountId,
  displayName,
});
export function emoji(shortName: string): Inline {
  const info = emojiByShortName(shortName);
  return { type: 'emoji', shortName, text: info?.text ?? shortName };
}
export const paragraph = (...content: Inline[]): Block => ({ type: 'paragraph', content });
export const heading = (level: 1 | 2 | 3 | 4 | 5 | 6, value: string): Block => ({
  type: 'heading',
  level,
  content: [text(value)],
});
export const bulletList = (...items: (readonly Block[])[]): Block => ({
  type: 'bulletList',
  items: items.map((blocks) => ({ blocks })),
});
export const orderedList = (...items: (readonly Block[])[]): Block => ({
  type: 'orderedList',
  items: items.map((blocks) => ({ blocks })),
});
export const codeBlock = (language: string | null, value: string): Block => ({
  type: 'codeBlock',
  language,
  text: value,
});
export const panel = (panelType: PanelType, ...blocks: Block[]): Block => ({ type: 'panel', panelType, blocks });
export const rule = (): Block => ({ type: 'rule' });
export function table(header: readonly string[], rows: readonly (readonly (string | Inline[])[])[]): Block {
  const cell = (value: string | Inline[], isHeader: boolean): TableCell => ({
    header: isHeader,
    blocks: [paragraph(...(typeof value === 'string' ? (value ? [text(value)] : []) : value))],
  });
  return { type: 'table', rows: [header.map((h) => cell(h, true)), ...rows.map((r) => r.map((c) => cell(c, false)))] };
}

/** Plain text of a body: what search indexes and excerpts are made of. */
export function plainText(doc: Doc): string {
  return doc
    .map(blockText)
    .filter((s) => s.length > 0)
    .join('\n');
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.content);
    case 'bulletList':
    case 'orderedList':
      return block.items.map((item) => item.blocks.map(blockText).join('\n')).join('\n');
    case 'codeBlock':
      return block.text;
    case 'panel':
    case 'blockquote':
      return block.blocks.map(blockText).join('\n');
    case 'table':
      return block.rows.map((row) => row.map((cell) => cell.blocks.map(blockText).join(' ')).join(' | ')).join('\n');
    case 'rule':
      return '';
  }
}

export function inlineText(content: readonly Inline[]): string {
  return content
    .map((inline) => {
      switch (inline.type) {
        case 'text':
          return inline.text;
        case 'mention':
          return `@${inline.displayName}`;
        case 'emoji':
          return inline.text;
        case 'hardBreak':
          return '\n';
      }
    })
    .join('');
}

/** Account ids mentioned anywhere in a body (CQL `mention`). */
export function mentionedAccountIds(doc: Doc): string[] {
  const ids = new Set<string>();
  const visitInlines = (content: readonly Inline[]): void => {
    for (const inline of content) if (inline.type === 'mention') ids.add(inline.accountId);
  };
  const visit = (blocks: readonly Block[]): void => {
    for (const block of blocks) {
      switch (block.type) {
        case 'paragraph':
        case 'heading':
          visitInlines(block.content);
          break;
        case 'bulletList':
        case 'orderedList':
          for (const item of block.items) visit(item.blocks);
          break;
        case 'panel':
        case 'blockquote':
          visit(block.blocks);
          break;
        case 'table':
          for (const row of block.rows) for (const cell of row) visit(cell.blocks);
          break;
        default:
          break;
      }
    }
  };
  visit(doc);
  return [...ids];
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  return a.length === b.length && a.every((m, i) => JSON.stringify(m) === JSON.stringify(b[i]));
}

/** Merges adjacent text runs with identical marks, the one difference formats do not preserve. */
export function normalizeInlines(content: readonly Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const item of content) {
    const prev = out[out.length - 1];
    if (item.type === 'text' && prev?.type === 'text' && sameMarks(prev.marks, item.marks))
      out[out.length - 1] = { ...prev, text: prev.text + item.text };
    else out.push(item);
  }
  return out;
}

export function normalizeDoc(doc: Doc): Block[] {
  return doc.map((block): Block => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return { ...block, content: normalizeInlines(block.content) };
      case 'bulletList':
      case 'orderedList':
        return { ...block, items: block.items.map((item) => ({ blocks: normalizeDoc(item.blocks) })) };
      case 'panel':
      case 'blockquote':
        return { ...block, blocks: normalizeDoc(block.blocks) };
      case 'table':
        return {
          ...block,
          rows: block.rows.map((row) =>
            row.map((cell) => ({ header: cell.header, blocks: normalizeDoc(cell.blocks) })),
          ),
        };
      default:
        return block;
    }
  });
}
