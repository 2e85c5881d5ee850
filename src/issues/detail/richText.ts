// Issue text (ADF on Cloud, wiki markup on Data Center) → HTML for the issue detail view, through the
// same Markdown converters the bridge uses. The HTML can show nothing remote: raw HTML in the text is
// escaped, links go only to http(s)/mailto, and images appear only when they are attachments of the
// issue (`<img data-attachment="ID">`, whose bytes the extension fetches and hands over as data).
// The webview sanitises again (DOMPurify) and its CSP forbids scripts and remote loads.
import type { Tokens } from 'marked';
import { adfToMarkdown, isAdfDoc, type AdfNode } from '../../atlassian/adf';
import { wikiToMarkdown } from '../../atlassian/markdown';
import { textOf } from '../../core/text';

/** What the renderer needs to know of an attachment to show it in place. */
export interface AttachmentRef {
  readonly id: string;
  readonly filename: string;
  readonly mimeType: string;
}

const ATTACHMENT_SCHEME = 'attachment:';
const MENTION_SCHEME = 'mention:';
const PANEL = /^<blockquote>\s*<p>\[!(NOTE|TIP|WARNING|CAUTION|IMPORTANT)\]\s*(?:<br>)?\s*/;

/** Renders a description or comment body to HTML; '' for an empty body. */
export async function richTextToHtml(body: unknown, attachments: readonly AttachmentRef[]): Promise<string> {
  const markdown = richTextToMarkdown(body, attachments);
  if (!markdown) return '';
  const { Marked } = await import('marked');
  const marked = new Marked({ gfm: true, breaks: false, async: false, renderer: safeRenderer() });
  return marked.parse(markdown);
}

/** The body as Markdown, with attachment images and mentions marked for the renderer. */
export function richTextToMarkdown(body: unknown, attachments: readonly AttachmentRef[]): string {
  if (isAdfDoc(body)) return adfToMarkdown(withAttachmentsAndMentions(body, attachments));
  if (typeof body === 'string') return wikiToMarkdown(wikiImages(body, attachments));
  return '';
}

/** ADF media nodes that name an attachment become images of it; mentions become marked links. */
function withAttachmentsAndMentions(node: AdfNode, attachments: readonly AttachmentRef[]): AdfNode {
  if (node.type === 'media') {
    const found = findAttachment(node.attrs, attachments);
    if (found && found.mimeType.startsWith('image/'))
      return { type: 'media', attrs: { type: 'external', url: ATTACHMENT_SCHEME + found.id, alt: found.filename } };
    return node;
  }
  if (node.type === 'mention') {
    const text = textOf(node.attrs?.text || node.attrs?.id || '');
    const label = text.startsWith('@') ? text : `@${text}`;
    return {
      type: 'text',
      text: label,
      marks: [{ type: 'link', attrs: { href: MENTION_SCHEME + textOf(node.attrs?.id, '') } }],
    };
  }
  if (!node.content) return node;
  return { ...node, content: node.content.map((child) => withAttachmentsAndMentions(child, attachments)) };
}

/** Cloud media nodes carry a media-service id and, usually, the file name as alt text. */
function findAttachment(
  attrs: Readonly<Record<string, unknown>> | undefined,
  attachments: readonly AttachmentRef[],
): AttachmentRef | undefined {
  const alt = typeof attrs?.alt === 'string' ? attrs.alt : undefined;
  const id = typeof attrs?.id === 'string' ? attrs.id : undefined;
  return attachments.find((a) => a.id === id) ?? attachments.find((a) => alt !== undefined && a.filename === alt);
}

/** Wiki `!file.png!` and `!file.png|thumbnail!` → Markdown images of the attachment with that name. */
function wikiImages(wiki: string, attachments: readonly AttachmentRef[]): string {
  return wiki.replace(/!([^!\s|][^!|\n]*)(?:\|[^!\n]*)?!/g, (whole, name: string) => {
    const found = attachments.find((a) => a.filename === name.trim());
    return found && found.mimeType.startsWith('image/')
      ? `![${found.filename}](${ATTACHMENT_SCHEME}${found.id})`
      : whole;
  });
}

function safeRenderer() {
  return {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      // The converters emit these bare tags themselves (table cell breaks, sub/superscript).
      return /^<\/?(br|sub|sup)\s*\/?>$/i.test(text.trim()) ? text.trim() : escapeHtml(text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const label = this.parser.parseInline(token.tokens);
      if (token.href.startsWith(MENTION_SCHEME))
        return `<span class="mention" data-account="${escapeHtml(token.href.slice(MENTION_SCHEME.length))}">${label}</span>`;
      if (!/^(https?:|mailto:)/i.test(token.href)) return label;
      return `<a href="${escapeHtml(token.href)}" title="${escapeHtml(token.href)}">${label}</a>`;
    },
    image(token: Tokens.Image): string {
      if (!token.href.startsWith(ATTACHMENT_SCHEME)) return escapeHtml(token.text || token.href);
      const id = token.href.slice(ATTACHMENT_SCHEME.length);
      return `<img data-attachment="${escapeHtml(id)}" alt="${escapeHtml(token.text)}">`;
    },
    blockquote(this: { parser: { parse(tokens: Tokens.Generic[]): string } }, token: Tokens.Blockquote): string {
      const inner = `<blockquote>\n${this.parser.parse(token.tokens)}</blockquote>\n`;
      const panel = PANEL.exec(inner);
      if (!panel) return inner;
      const kind = panel[1]!.toLowerCase();
      return `<div class="panel panel-${kind}" role="note"><p>${inner.slice(panel[0].length).replace(/<\/blockquote>\n$/, '')}</div>\n`;
    },
  };
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
