// Atlassian Document Format <-> the canonical content model.
import { emojiByShortName, normalizeDoc, type Block, type Doc, type Inline, type Mark, type PanelType } from './model';

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export class AdfError extends Error {}

export function toAdf(doc: Doc): AdfDoc {
  return { type: 'doc', version: 1, content: doc.map(blockToAdf) };
}

function withContent(node: AdfNode, content: AdfNode[]): AdfNode {
  // Confluence omits `content` on empty paragraphs rather than sending [].
  return content.length > 0 ? { ...node, content } : node;
}

function blockToAdf(block: Block): AdfNode {
  switch (block.type) {
    case 'paragraph':
      return withContent({ type: 'paragraph' }, block.content.map(inlineToAdf));
    case 'heading':
      return withContent({ type: 'heading', attrs: { level: block.level } }, block.content.map(inlineToAdf));
    case 'bulletList':
      return {
        type: 'bulletList',
        content: block.items.map((item) => ({ type: 'listItem', content: item.blocks.map(blockToAdf) })),
      };
    case 'orderedList':
      return {
        type: 'orderedList',
        attrs: { order: 1 },
        content: block.items.map((item) => ({ type: 'listItem', content: item.blocks.map(blockToAdf) })),
      };
    case 'codeBlock':
      return withContent(
        { type: 'codeBlock', attrs: block.language ? { language: block.language } : {} },
        block.text ? [{ type: 'text', text: block.text }] : [],
      );
    case 'panel':
      return { type: 'panel', attrs: { panelType: block.panelType }, content: block.blocks.map(blockToAdf) };
    case 'table':
      return {
        type: 'table',
        attrs: { isNumberColumnEnabled: false, layout: 'default' },
        content: block.rows.map((row) => ({
          type: 'tableRow',
          content: row.map((cell) => ({
            type: cell.header ? 'tableHeader' : 'tableCell',
            attrs: {},
            content: cell.blocks.map(blockToAdf),
          })),
        })),
      };
    case 'blockquote':
      return { type: 'blockquote', content: block.blocks.map(blockToAdf) };
    case 'rule':
      return { type: 'rule' };
  }
}

function inlineToAdf(inline: Inline): AdfNode {
  switch (inline.type) {
    case 'text': {
      const node: AdfNode = { type: 'text', text: inline.text };
      if (inline.marks.length > 0) {
        node.marks = inline.marks.map((m) =>
          m.type === 'link' ? { type: 'link', attrs: { href: m.href } } : { type: m.type },
        );
      }
      return node;
    }
    case 'mention':
      return { type: 'mention', attrs: { id: inline.accountId, text: `@${inline.displayName}`, accessLevel: '' } };
    case 'emoji': {
      const info = emojiByShortName(inline.shortName);
      return {
        type: 'emoji',
        attrs: { shortName: inline.shortName, id: info?.id ?? inline.shortName, text: inline.text },
      };
    }
    case 'hardBreak':
      return { type: 'hardBreak' };
  }
}

// ---- parsing ----

const PANEL_TYPES = new Set<PanelType>(['info', 'note', 'success', 'warning', 'error']);
const SIMPLE_MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline']);

/** Parses an ADF JSON string (as v2 bodies carry it) into the model. */
export function fromAdfString(value: string): Doc {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AdfError('Invalid ADF: the value is not valid JSON');
  }
  return fromAdf(parsed);
}

export function fromAdf(value: unknown): Doc {
  if (!isNode(value) || value.type !== 'doc' || !Array.isArray(value.content)) {
    throw new AdfError('Invalid ADF: the root node must be {"type":"doc","version":1,"content":[…]}');
  }
  return normalizeDoc(blocksFromAdf(value.content));
}

function isNode(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function children(node: AdfNode): AdfNode[] {
  if (node.content === undefined) return [];
  if (!Array.isArray(node.content) || !node.content.every(isNode))
    throw new AdfError(`Invalid ADF: "${node.type}" has malformed content`);
  return node.content;
}

function blocksFromAdf(nodes: readonly unknown[]): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    if (!isNode(node)) throw new AdfError('Invalid ADF: every node needs a string "type"');
    out.push(...blockFromAdf(node));
  }
  return out;
}

function blockFromAdf(node: AdfNode): Block[] {
  switch (node.type) {
    case 'paragraph':
      return [{ type: 'paragraph', content: inlinesFromAdf(children(node)) }];
    case 'heading': {
      const level = Number(node.attrs?.['level'] ?? 1);
      if (!Number.isInteger(level) || level < 1 || level > 6)
        throw new AdfError('Invalid ADF: heading level must be 1–6');
      return [{ type: 'heading', level: level as 1 | 2 | 3 | 4 | 5 | 6, content: inlinesFromAdf(children(node)) }];
    }
    case 'bulletList':
    case 'orderedList':
      return [{ type: node.type, items: children(node).map((item) => ({ blocks: blocksFromAdf(children(item)) })) }];
    case 'taskList':
      return [{ type: 'bulletList', items: children(node).map((item) => ({ blocks: taskBlocks(item) })) }];
    case 'codeBlock': {
      const language = node.attrs?.['language'];
      return [
        {
          type: 'codeBlock',
          language: typeof language === 'string' && language ? language : null,
          text: children(node)
            .map((c) => c.text ?? '')
            .join(''),
        },
      ];
    }
    case 'panel': {
      const type = String(node.attrs?.['panelType'] ?? 'info') as PanelType;
      return [
        { type: 'panel', panelType: PANEL_TYPES.has(type) ? type : 'info', blocks: blocksFromAdf(children(node)) },
      ];
    }
    case 'table':
      return [
        {
          type: 'table',
          rows: children(node).map((row) =>
            children(row).map((cell) => ({
              header: cell.type === 'tableHeader',
              blocks: blocksFromAdf(children(cell)),
            })),
          ),
        },
      ];
    case 'blockquote':
      return [{ type: 'blockquote', blocks: blocksFromAdf(children(node)) }];
    case 'rule':
      return [{ type: 'rule' }];
    case 'mediaSingle':
    case 'mediaGroup':
    case 'extension':
    case 'bodiedExtension':
      return [];
    default:
      // expand, layoutSection, decisionList…: keep the readable content they wrap.
      return blocksFromAdf(children(node));
  }
}

function taskBlocks(item: AdfNode): Block[] {
  const inline = children(item).every((c) => !['paragraph', 'taskItem', 'taskList'].includes(c.type));
  return inline ? [{ type: 'paragraph', content: inlinesFromAdf(children(item)) }] : blocksFromAdf(children(item));
}

function inlinesFromAdf(nodes: readonly AdfNode[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        if (typeof node.text !== 'string' || node.text.length === 0)
          throw new AdfError('Invalid ADF: text nodes need non-empty "text"');
        out.push({ type: 'text', text: node.text, marks: marksFromAdf(node.marks) });
        break;
      case 'mention': {
        const id = String(node.attrs?.['id'] ?? '');
        const label = String(node.attrs?.['text'] ?? '');
        out.push({ type: 'mention', accountId: id, displayName: label.replace(/^@/, '') || id });
        break;
      }
      case 'emoji': {
        const shortName = String(node.attrs?.['shortName'] ?? '');
        const known = emojiByShortName(shortName);
        out.push({ type: 'emoji', shortName, text: String(node.attrs?.['text'] ?? known?.text ?? shortName) });
        break;
      }
      case 'hardBreak':
        out.push({ type: 'hardBreak' });
        break;
      case 'inlineCard': {
        const url = String(node.attrs?.['url'] ?? '');
        if (url) out.push({ type: 'text', text: url, marks: [{ type: 'link', href: url }] });
        break;
      }
      case 'status':
        out.push({ type: 'text', text: String(node.attrs?.['text'] ?? ''), marks: [] });
        break;
      case 'date':
        out.push({
          type: 'text',
          text: new Date(Number(node.attrs?.['timestamp'] ?? 0)).toISOString().slice(0, 10),
          marks: [],
        });
        break;
      default:
        out.push(...inlinesFromAdf(children(node)));
    }
  }
  return out;
}

function marksFromAdf(marks: AdfNode['marks']): Mark[] {
  if (marks === undefined) return [];
  if (!Array.isArray(marks)) throw new AdfError('Invalid ADF: "marks" must be an array');
  const out: Mark[] = [];
  for (const mark of marks) {
    if (mark.type === 'link') out.push({ type: 'link', href: String(mark.attrs?.['href'] ?? '') });
    else if (SIMPLE_MARKS.has(mark.type)) out.push({ type: mark.type as 'strong' });
  }
  return out;
}
