// Confluence storage XHTML → Markdown that keeps what macros mean. htmlparser2 parses the storage
// document; `ac:`/`ri:` elements (macros, links, images, tasks, emoticons) are rewritten into plain
// HTML plus `x-md` markers carrying literal Markdown; node-html-markdown does the rest. Both load on
// first use so the bridge starts without them.
import { isCDATA, isTag, isText, type ChildNode, type Element } from 'domhandler';
import { macroText } from './macroText';

/**
 * Alert labels for Confluence's panel macros: the same as Jira wiki's (`WIKI_PANEL_LABEL`), since a
 * Markdown write to Data Center goes as wiki markup and must name the same macro again.
 */
export const PANEL_ALERTS: Readonly<Record<string, string>> = {
  info: 'NOTE',
  tip: 'TIP',
  note: 'IMPORTANT',
  warning: 'WARNING',
  panel: 'PANEL',
};

export async function storageToMarkdown(xhtml: string): Promise<string> {
  const [{ parseDocument }, { NodeHtmlMarkdown }] = await Promise.all([
    import('htmlparser2'),
    import('node-html-markdown'),
  ]);
  const doc = parseDocument(xhtml, { recognizeCDATA: true, recognizeSelfClosing: true, decodeEntities: true });
  const html = nodes(doc.children);
  const markdown = NodeHtmlMarkdown.translate(html, { useInlineLinks: true }, MARKERS);
  return markdown.trim();
}

const MARKERS = {
  'x-md': ({ node }: { node: { getAttribute(name: string): string | undefined } }) => ({
    content: node.getAttribute('data-md') ?? '',
    recurse: false,
    noEscape: true,
  }),
};

function nodes(list: readonly ChildNode[]): string {
  return list.map(node).join('');
}

function node(n: ChildNode): string {
  if (isText(n)) return esc(n.data);
  if (isCDATA(n)) return nodes(n.children);
  if (!isTag(n)) return '';
  const el = n;
  const name = el.name;
  if (name.startsWith('ac:') || name.startsWith('ri:')) return confluenceElement(el);
  if (name === 'time') return esc(el.attribs.datetime ?? textOf(el));
  const attrs = Object.entries(el.attribs)
    .filter(([k]) => ['href', 'src', 'alt', 'title', 'class', 'colspan', 'rowspan'].includes(k))
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<${name}${attrs}>${nodes(el.children)}</${name}>`;
}

function confluenceElement(el: Element): string {
  switch (el.name) {
    case 'ac:structured-macro':
    case 'ac:macro':
      return macro(el);
    case 'ac:link':
      return link(el);
    case 'ac:image':
      return image(el);
    case 'ac:emoticon':
      return esc(el.attribs['ac:emoji-fallback'] ?? `:${el.attribs['ac:name'] ?? 'emoticon'}:`);
    case 'ac:task-list':
      return `<ul>${el.children
        .filter((c): c is Element => isTag(c) && c.name === 'ac:task')
        .map(task)
        .join('')}</ul>`;
    case 'ac:placeholder':
    case 'ac:parameter':
    case 'ac:task-id':
      return '';
    default:
      // Layouts, rich-text bodies and the like: their content is what matters.
      return nodes(el.children);
  }
}

function macro(el: Element): string {
  const name = el.attribs['ac:name'] ?? 'macro';
  const params = parameters(el);
  const body = child(el, 'ac:rich-text-body');
  const plain = child(el, 'ac:plain-text-body');
  if (name === 'code' || name === 'noformat') {
    const lang = params.language ? ` class="language-${esc(params.language)}"` : '';
    const title = params.title ? `<p><strong>${esc(params.title)}</strong></p>` : '';
    return `${title}<pre><code${lang}>${esc(plain ? textOf(plain) : '')}</code></pre>`;
  }
  const alert = PANEL_ALERTS[name];
  if (alert) {
    const head = marker(`[!${alert}]${params.title ? ` ${params.title}` : ''}`);
    return `<blockquote><p>${head}</p>${body ? nodes(body.children) : ''}</blockquote>`;
  }
  if (name === 'status') return marker(`[status: ${params.title ?? ''}${params.colour ? ` (${params.colour})` : ''}]`);
  if (name === 'jira') return marker(`[${macroText(name, params)}]`);
  if (name === 'expand') {
    return `<p>${marker(`[expand: ${params.title ?? 'Click here to expand...'}]`)}</p>${body ? nodes(body.children) : ''}<p>${marker('[/expand]')}</p>`;
  }
  const label = name === 'details' ? 'page properties' : name;
  const open = marker(`[${macroText(name, params)}]`);
  if (!body && !plain) return open;
  const inner = body ? nodes(body.children) : `<pre><code>${esc(textOf(plain!))}</code></pre>`;
  return `<p>${open}</p>${inner}<p>${marker(`[/${label}]`)}</p>`;
}

/** Macro parameters by name; a parameter holding a link (include's page) reads as that link. */
function parameters(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of el.children) {
    if (!isTag(p) || p.name !== 'ac:parameter') continue;
    const key = p.attribs['ac:name'] || 'page';
    const ref = p.children.find((c): c is Element => isTag(c) && /^(ac:link|ri:)/.test(c.name));
    const resource = ref && ref.name.startsWith('ri:') ? ref : ref ? resourceOf(ref) : undefined;
    out[key] = resource ? describeResource(resource) : textOf(p).trim();
  }
  return out;
}

function link(el: Element): string {
  const resource = resourceOf(el);
  const body = child(el, 'ac:link-body') ?? child(el, 'ac:plain-text-link-body');
  const text = body ? textOf(body).trim() : '';
  if (!resource) return esc(text);
  const a = resource.attribs;
  const anchor = el.attribs['ac:anchor'];
  switch (resource.name) {
    case 'ri:user': {
      const who = text || a['ri:username'] || a['ri:account-id'] || a['ri:userkey'] || 'user';
      return marker(`@${who}`);
    }
    case 'ri:attachment':
      return marker(`[${text || a['ri:filename']}](attachment:${encodeURI(a['ri:filename'] ?? '')})`);
    case 'ri:url':
      return `<a href="${esc(a['ri:value'] ?? '')}">${esc(text || a['ri:value'] || '')}</a>`;
    default: {
      const target = describeResource(resource) + (anchor ? `#${anchor}` : '');
      return marker(`[[${target}${text && text !== target ? `|${text}` : ''}]]`);
    }
  }
}

function image(el: Element): string {
  const resource = child(el, 'ri:attachment') ?? child(el, 'ri:url');
  const alt = el.attribs['ac:alt'] ?? el.attribs['ac:title'] ?? '';
  if (!resource) return '';
  const src = resource.name === 'ri:url' ? resource.attribs['ri:value'] : resource.attribs['ri:filename'];
  return marker(`![${alt}](${encodeURI(src ?? '')})`);
}

function task(el: Element): string {
  const done = textOf(child(el, 'ac:task-status') ?? el).trim() === 'complete';
  const body = child(el, 'ac:task-body');
  return `<li>${marker(done ? '[x] ' : '[ ] ')}${body ? nodes(body.children) : ''}</li>`;
}

function resourceOf(el: Element): Element | undefined {
  return el.children.find((c): c is Element => isTag(c) && c.name.startsWith('ri:'));
}

/** `SPACE:Title` for pages and blog posts, a file name for attachments, else what the resource names. */
function describeResource(r: Element): string {
  const a = r.attribs;
  if (r.name === 'ri:page' || r.name === 'ri:blog-post')
    return `${a['ri:space-key'] ? `${a['ri:space-key']}:` : ''}${a['ri:content-title'] ?? ''}`;
  if (r.name === 'ri:attachment') return a['ri:filename'] ?? '';
  if (r.name === 'ri:user') return `@${a['ri:username'] ?? a['ri:account-id'] ?? a['ri:userkey'] ?? ''}`;
  if (r.name === 'ri:space') return a['ri:space-key'] ?? '';
  return a['ri:value'] ?? Object.values(a).join(' ');
}

function child(el: Element, name: string): Element | undefined {
  return el.children.find((c): c is Element => isTag(c) && c.name === name);
}

function textOf(n: ChildNode | Element): string {
  if (isText(n)) return n.data;
  if ('children' in n) return n.children.map((c) => textOf(c)).join('');
  return '';
}

function marker(markdown: string): string {
  return `<x-md data-md="${esc(markdown)}"></x-md>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
