// Markdown writes that keep what Markdown cannot say: a page read as Markdown and written back
// unchanged is sent back in its own representation, and an edited Markdown body that would drop
// macros the page has (Jira issues, include, expand, status…) is refused before anything is sent.
import type { AdfNode } from '../../../atlassian/adf';
import type { BodyRepresentation } from '../../../atlassian/confluence';
import type { Json } from '../../../atlassian/jira';
import { adfMacros, lostMacros, storageMacros, wikiMacros, type MacroCount } from '../../../atlassian/macros';
import { InputError } from '../../schema';
import { bodyOf, writeBody } from './shared';

type Body = { representation: BodyRepresentation; value: string };

/** The page's ADF (Cloud, read as atlas_doc_format) as the API sent it, and parsed. */
function adfOf(page: Json): { raw: string; doc: AdfNode } | undefined {
  const value = (((page.body as Json | undefined)?.atlas_doc_format as Json | undefined) ?? {}).value;
  if (value === undefined || value === null) return undefined;
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    return { raw, doc: JSON.parse(raw) as AdfNode };
  } catch {
    return undefined;
  }
}

function storageOf(page: Json): string | undefined {
  const value = (((page.body as Json | undefined)?.storage as Json | undefined) ?? {}).value;
  return typeof value === 'string' ? value : undefined;
}

const normalized = (markdown: string) => markdown.replace(/\r\n?/g, '\n').trim();

/**
 * The body a Markdown update of `page` (read with its body: ADF on Cloud, storage on Data Center)
 * sends. Throws when the Markdown would flatten macros the page has.
 */
export async function markdownUpdateBody(
  page: Json,
  markdown: string,
  id: string,
  flavour: 'cloud' | 'datacenter',
): Promise<Body> {
  const adf = adfOf(page);
  const storage = storageOf(page);
  if (normalized(markdown) === normalized(String(await bodyOf(page, 'markdown')))) {
    if (adf) return { representation: 'atlas_doc_format', value: adf.raw };
    if (storage !== undefined) return { representation: 'storage', value: storage };
  }
  const next = await writeBody(markdown, 'markdown', 'content', flavour);
  const before: MacroCount = adf
    ? adfMacros(adf.doc)
    : storage !== undefined
      ? await storageMacros(storage)
      : new Map<string, number>();
  const after = next.representation === 'wiki' ? wikiMacros(next.value) : adfMacros(JSON.parse(next.value) as AdfNode);
  const lost = lostMacros(before, after);
  if (lost.length > 0) {
    const raw = flavour === 'cloud' ? '"adf" (or "storage")' : '"storage"';
    throw new InputError(
      `Page ${id} has macros that Markdown cannot carry (${lost.join(', ')}): writing this Markdown would flatten them, so nothing was changed. ` +
        `To keep them, read the page with content_format ${raw}, edit that body and send it back with the same content_format, ` +
        'or change one section with confluence_update_page_section.',
    );
  }
  return next;
}
