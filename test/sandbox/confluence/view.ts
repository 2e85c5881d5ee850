// The `view` representation: rendered HTML as a browser would get it, macros already expanded.
import { escapeXml } from './xhtml';
import type { Block, Doc, Inline, Mark, PanelType } from './model';

const PANEL_CLASS: Record<PanelType, string> = {
  info: 'confluence-information-macro-information',
  note: 'confluence-information-macro-note',
  success: 'confluence-information-macro-tip',
  warning: 'confluence-information-macro-note',
  error: 'confluence-information-macro-warning',
};

/** Renders the model as view HTML; `wikiBase` is the site's `/wiki` URL for people links. */
export function toView(doc: Doc, wikiBase: string): string {
  const blocks = (list: readonly Block[]): string => list.map(block).join('');
  const block = (b: Block): string => {
    switch (b.type) {
      case 'paragraph':
        return `<p>${inlines(b.content)}</p>`;
      case 'heading':
        return `<h${b.level} id="${anchor(b.content)}">${inlines(b.content)}</h${b.level}>`;
      case 'bulletList':
      case 'orderedList': {
        const tag = b.type === 'bulletList' ? 'ul' : 'ol';
        return `<${tag}>${b.items.map((item) => `<li>${blocks(item.blocks)}</li>`).join('')}</${tag}>`;
      }
      case 'codeBlock':
        return `<div class="code panel pdl conf-macro output-block" data-macro-name="code"><div class="codeContent panelContent pdl"><pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: ${escapeXml(b.language ?? 'plain')}; gutter: false; theme: Confluence" data-theme="Confluence">${escapeXml(b.text)}</pre></div></div>`;
      case 'panel':
        return `<div class="confluence-information-macro ${PANEL_CLASS[b.panelType]} conf-macro output-block"><div class="confluence-information-macro-body">${blocks(b.blocks)}</div></div>`;
      case 'table':
        return `<div class="table-wrap"><table class="confluenceTable"><tbody>${b.rows
          .map(
            (row) =>
              `<tr>${row.map((c) => (c.header ? `<th class="confluenceTh">${blocks(c.blocks)}</th>` : `<td class="confluenceTd">${blocks(c.blocks)}</td>`)).join('')}</tr>`,
          )
          .join('')}</tbody></table></div>`;
      case 'blockquote':
        return `<blockquote>${blocks(b.blocks)}</blockquote>`;
      case 'rule':
        return '<hr/>';
    }
  };
  const inlines = (content: readonly Inline[]): string => content.map(inline).join('');
  const inline = (i: Inline): string => {
    switch (i.type) {
      case 'text':
        return applyMarks(escapeXml(i.text), i.marks);
      case 'mention':
        return `<a href="${escapeXml(`${wikiBase}/people/${i.accountId}`)}" class="confluence-userlink user-mention" data-account-id="${escapeXml(i.accountId)}" data-linked-resource-type="userinfo">${escapeXml(i.displayName)}</a>`;
      case 'emoji':
        return `<span data-emoji-short-name="${escapeXml(i.shortName)}">${escapeXml(i.text)}</span>`;
      case 'hardBreak':
        return '<br/>';
    }
  };
  return blocks(doc);
}

function anchor(content: readonly Inline[]): string {
  return content
    .map((i) => (i.type === 'text' ? i.text : ''))
    .join('')
    .replace(/[^A-Za-z0-9]+/g, '');
}

const TAG: Record<string, string> = { strong: 'strong', em: 'em', code: 'code', strike: 's', underline: 'u' };

function applyMarks(html: string, marks: readonly Mark[]): string {
  let out = html;
  for (const mark of [...marks].reverse()) {
    out =
      mark.type === 'link'
        ? `<a href="${escapeXml(mark.href)}" rel="nofollow">${out}</a>`
        : `<${TAG[mark.type]}>${out}</${TAG[mark.type]}>`;
  }
  return out;
}
