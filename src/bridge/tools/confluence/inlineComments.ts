// Confluence inline comments (toolset confluence_comments, opt-in): comments anchored to a text
// selection in the page, with the text they point at.
import { addInlineComment, inlineComments } from '../../../atlassian/confluenceFiles';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, decodeCursor, encodeCursor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, bodyOf, displayNames, pageIdFrom, readPage, writeBody } from './shared';

export const confluenceGetInlineComments: ToolDef = {
  name: 'confluence_get_inline_comments',
  title: 'Get Confluence inline comments',
  description:
    'Inline comments of a Confluence page (comments anchored to highlighted text): the highlighted text, the comment as Markdown, author, date and whether it was resolved.',
  toolset: 'confluence_comments',
  product: 'confluence',
  params: {
    page_id: PAGE_ID,
    limit: p.int('Comments per page (default 25)', 1, 100),
    page_token: p.str('next_page_token from the previous page'),
  },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    await readPage(ctx, confluence, id, undefined);
    const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
    const page = await attempt(`Page ${id}`, () =>
      inlineComments(confluence, id, {
        limit: (args.limit as number | undefined) ?? 25,
        cursor: cursor?.c as string | undefined,
        signal: ctx.signal,
      }),
    );
    const names = await displayNames(
      confluence,
      page.results.map((c) => c.authorId),
      ctx.signal,
    );
    return prune({
      page_id: id,
      comments: await Promise.all(
        page.results.map(async (c) =>
          prune({
            id: c.id,
            highlighted_text: c.selection,
            body: await bodyOf({ body: c.body }, 'markdown'),
            author: c.authorId === undefined ? undefined : (names.get(c.authorId) ?? c.authorId),
            created: shortDate(c.createdAt),
            resolution: c.resolution,
            parent_comment_id: c.parentCommentId,
          }),
        ),
      ),
      next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined,
    });
  },
};

/** Visible text of storage XHTML, for counting where a selection occurs. */
async function pageText(storage: string): Promise<string> {
  const { parseDocument, DomUtils } = await import('htmlparser2');
  const doc = parseDocument(storage, { xmlMode: true, decodeEntities: true });
  // Macro parameters are settings, not text a reader can highlight.
  for (const param of DomUtils.findAll((e) => e.name === 'ac:parameter', doc.children)) DomUtils.removeElement(param);
  return DomUtils.textContent(doc.children);
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

export const confluenceAddInlineComment: ToolDef = {
  name: 'confluence_add_inline_comment',
  title: 'Add Confluence inline comment',
  description:
    'Comment (Markdown) on a passage of a Confluence page: the comment is anchored to `text_selection`, text that appears in the page. When it appears several times, `text_selection_match_index` (0-based) picks which. Cloud only.',
  toolset: 'confluence_comments',
  product: 'confluence',
  write: true,
  params: {
    page_id: PAGE_ID,
    body: p.str('The comment, in Markdown'),
    text_selection: p.str('Exact text in the page to anchor the comment to'),
    text_selection_match_count: p.int('How many times the text appears (computed when omitted)', 1),
    text_selection_match_index: p.int('Which occurrence to anchor to, 0-based (default 0)', 0),
  },
  required: ['page_id', 'body', 'text_selection'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    if (confluence.flavour === 'datacenter')
      throw notOnDataCenter('Adding an inline comment (anchored to a text selection)');
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const selection = String(args.text_selection);
    if (!selection.trim()) throw new InputError('Invalid argument `text_selection`: empty.');
    const { page } = await readPage(ctx, confluence, id, 'storage');
    const count = occurrences(await pageText(String(await bodyOf(page, 'storage'))), selection);
    if (count === 0)
      throw new InputError(
        `Invalid argument \`text_selection\`: "${selection}" does not appear in page ${id}'s text. Quote the page text exactly.`,
      );
    const given = args.text_selection_match_count as number | undefined;
    if (given !== undefined && given !== count)
      throw new InputError(
        `Invalid argument \`text_selection_match_count\`: the text appears ${count} times in page ${id}, not ${given}.`,
      );
    const index = (args.text_selection_match_index as number | undefined) ?? 0;
    if (index >= count)
      throw new InputError(
        `Invalid argument \`text_selection_match_index\`: the text appears ${count} times (indexes 0–${count - 1}).`,
      );
    const body = await writeBody(args.body, 'markdown', 'body', confluence.flavour);
    const created = await attempt(`Page ${id}`, () =>
      addInlineComment(confluence, id, body, { text: selection, matchCount: count, matchIndex: index }, ctx.signal),
    );
    return prune({
      id: created.id,
      page_id: id,
      highlighted_text: created.selection ?? selection,
      created: shortDate(created.createdAt),
    });
  },
};
