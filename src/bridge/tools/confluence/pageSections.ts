// Replacing one section of a Confluence page (toolset confluence_pages, opt-in). The page's storage
// XHTML is parsed only to find where the section starts and ends; the new body is the old one with
// that span replaced, so everything outside it (macros included) is sent back byte for byte.
import { Element, isTag, type AnyNode } from 'domhandler';
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, bodyOf, pageIdFrom, pageUrl, readPage } from './shared';

const HEADING = /^h([1-6])$/;

export interface Section {
  readonly heading: string;
  readonly level: number;
  /** Offsets into the storage string: the content under the heading, up to the next heading of the same or a higher level. */
  readonly start: number;
  readonly end: number;
  /** Macros inside the span, by name (they are replaced with it). */
  readonly macros: string[];
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Every heading's section in a storage document, in document order. */
export async function sectionsOf(storage: string): Promise<Section[]> {
  const { parseDocument, DomUtils } = await import('htmlparser2');
  const doc = parseDocument(storage, { xmlMode: true, withStartIndices: true, withEndIndices: true });
  const sections: Section[] = [];
  const visit = (nodes: readonly AnyNode[]) => {
    nodes.forEach((node, i) => {
      if (!isTag(node)) return;
      const level = HEADING.exec(node.name)?.[1];
      if (!level) return visit(node.children);
      const after = nodes.slice(i + 1);
      const boundary = after.findIndex((n) => {
        const m = isTag(n) ? HEADING.exec(n.name) : null;
        return m !== null && Number(m[1]) <= Number(level);
      });
      const inside = boundary === -1 ? after : after.slice(0, boundary);
      const start = node.endIndex! + 1;
      const end =
        boundary === -1
          ? inside.length
            ? inside[inside.length - 1]!.endIndex! + 1
            : start
          : after[boundary]!.startIndex!;
      const macros = DomUtils.findAll((e) => e.name === 'ac:structured-macro', inside).map(
        (m) => m.attribs['ac:name'] ?? '?',
      );
      sections.push({
        heading: DomUtils.textContent(node).replace(/\s+/g, ' ').trim(),
        level: Number(level),
        start,
        end,
        macros,
      });
    });
  };
  visit(doc.children);
  return sections;
}

/**
 * Markdown as storage XHTML: marked's HTML, re-serialised as well-formed XML, with images as
 * Confluence images (a bare file name is the page's attachment, as mcp-atlassian writes them).
 */
export async function markdownToStorage(markdown: string): Promise<string> {
  const [{ marked }, { parseDocument, DomUtils }, { render }] = await Promise.all([
    import('marked'),
    import('htmlparser2'),
    import('dom-serializer'),
  ]);
  const html = await marked.parse(markdown, { gfm: true, async: true });
  const doc = parseDocument(html);
  for (const img of DomUtils.findAll((e) => e.name === 'img', doc.children)) {
    const src = img.attribs.src ?? '';
    const target = /^[a-z][a-z0-9+.-]*:|^\//i.test(src)
      ? new Element('ri:url', { 'ri:value': src })
      : new Element('ri:attachment', { 'ri:filename': decodeURIComponent(src) });
    const image = new Element('ac:image', img.attribs.alt ? { 'ac:alt': img.attribs.alt } : {}, [target]);
    target.parent = image;
    DomUtils.replaceElement(img, image);
  }
  return render(doc.children, { xmlMode: true, encodeEntities: 'utf8' }).trim();
}

export const confluenceUpdatePageSection: ToolDef = {
  name: 'confluence_update_page_section',
  title: 'Update Confluence page section',
  description:
    'Replace the content under one heading of a Confluence page (up to the next heading of the same or a higher level), leaving the rest of the page, its macros included, exactly as it was. The heading itself stays.',
  toolset: 'confluence_pages',
  product: 'confluence',
  write: true,
  destructive: true,
  params: {
    page_id: PAGE_ID,
    heading_text: p.str('Text of the heading whose section is replaced (case and spacing ignored)'),
    new_content: p.str('New content of the section, in Markdown (or storage XHTML with content_format storage)'),
    content_format: p.oneOf(['markdown', 'storage'], 'Format of new_content (default markdown)'),
    occurrence: p.int('Which heading, when several have this text (1 = the first)', 1),
    version_comment: p.str('Version comment'),
    is_minor_edit: p.bool('Do not notify watchers'),
  },
  required: ['page_id', 'heading_text', 'new_content'],
  async run(args, ctx) {
    const { site, confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const { page } = await readPage(ctx, confluence, id, 'storage');
    const storage = String(await bodyOf(page, 'storage'));
    const wanted = normalise(String(args.heading_text));
    const sections = await sectionsOf(storage);
    const matches = sections.filter((s) => normalise(s.heading) === wanted);
    const occurrence = args.occurrence as number | undefined;
    if (matches.length === 0)
      throw new InputError(
        `Invalid argument \`heading_text\`: page ${id} has no heading "${String(args.heading_text)}". Its headings: ${
          sections.map((s) => JSON.stringify(s.heading)).join(', ') || 'none'
        }.`,
      );
    if (matches.length > 1 && occurrence === undefined)
      throw new InputError(
        `Invalid argument \`heading_text\`: ${matches.length} headings read "${matches[0]!.heading}"; pass \`occurrence\` (1–${matches.length}).`,
      );
    const section = matches[(occurrence ?? 1) - 1];
    if (!section)
      throw new InputError(`Invalid argument \`occurrence\`: there are only ${matches.length} such headings.`);
    const content = String(args.new_content);
    const replacement =
      args.content_format === 'storage' ? content : await markdownToStorage(content.replace(/^\s+|\s+$/g, ''));
    const value = storage.slice(0, section.start) + replacement + storage.slice(section.end);
    const current = Number((page.version as Json | undefined)?.number ?? 0);
    const updated = await attempt(`Page ${id}`, () =>
      confluence.updatePage(
        id,
        {
          title: String(page.title),
          body: { representation: 'storage', value },
          version: prune({
            number: current + 1,
            message: args.version_comment as string | undefined,
            minorEdit: args.is_minor_edit as boolean | undefined,
          }),
        },
        ctx.signal,
      ),
    );
    return prune({
      id,
      title: updated.title,
      version: (updated.version as Json | undefined)?.number,
      section: section.heading,
      replaced_macros: section.macros.length ? section.macros : undefined,
      url: pageUrl(site, updated),
    });
  },
};
