// A unified diff between two versions of a Confluence page (toolset confluence_pages, opt-in).
import type { Json } from '../../../atlassian/jira';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, bodyOf, displayNames, pageIdFrom, readPage } from './shared';
import { textOf } from '../../../core/text';

/** Longest diff returned; beyond it the answer says it was cut. */
const MAX_DIFF_CHARS = 100_000;

export const confluenceGetPageDiff: ToolDef = {
  name: 'confluence_get_page_diff',
  title: 'Diff Confluence page versions',
  description:
    'What changed on a Confluence page between two versions: a unified diff of the page as Markdown (or storage XHTML), with the title change and who made each version.',
  toolset: 'confluence_pages',
  product: 'confluence',
  params: {
    page_id: PAGE_ID,
    from_version: p.int('Older version number', 1),
    to_version: p.int('Newer version number (default: the current version)', 1),
    content_format: p.oneOf(['markdown', 'storage'], 'Compare as Markdown (default) or as storage XHTML'),
    context_lines: p.int('Unchanged lines shown around each change (default 3)', 0, 50),
  },
  required: ['page_id', 'from_version'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const format = (args.content_format as 'markdown' | 'storage' | undefined) ?? 'markdown';
    const bodyFormat = format === 'storage' ? 'storage' : undefined;
    const { page: current } = await readPage(ctx, confluence, id, bodyFormat ?? 'atlas_doc_format');
    const latest = Number((current.version as Json | undefined)?.number ?? 0);
    const from = Number(args.from_version);
    const to = (args.to_version as number | undefined) ?? latest;
    for (const [name, v] of [
      ['from_version', from],
      ['to_version', to],
    ] as const)
      if (v > latest)
        throw new InputError(`Invalid argument \`${name}\`: page ${id} has versions 1 to ${latest}, not ${v}.`);
    if (from === to) throw new InputError('Invalid arguments: from_version and to_version are the same version.');
    const at = (v: number) =>
      v === latest
        ? Promise.resolve(current)
        : attempt(`Version ${v} of page ${id}`, () =>
            confluence.pageAtVersion(id, v, bodyFormat ?? 'atlas_doc_format', ctx.signal),
          );
    const [older, newer] = await Promise.all([at(from), at(to)]);
    const text = async (page: Json) => textOf(await bodyOf(page, format), '');
    const { createTwoFilesPatch } = await import('diff');
    let diff = createTwoFilesPatch(`v${from}`, `v${to}`, await text(older), await text(newer), undefined, undefined, {
      context: (args.context_lines as number | undefined) ?? 3,
    });
    // The header repeats what the answer says; the hunks are the diff.
    diff = diff.replace(/^=+\n/m, '').replace(/^Index:.*\n/m, '');
    const truncated = diff.length > MAX_DIFF_CHARS;
    const version = (page: Json) => (page.version as Json | undefined) ?? {};
    const names = await displayNames(confluence, [version(older).authorId, version(newer).authorId], ctx.signal);
    const by = (page: Json) => {
      const author = version(page).authorId;
      return typeof author === 'string' ? (names.get(author) ?? author) : undefined;
    };
    return prune({
      page_id: id,
      from: prune({ version: from, by: by(older), date: shortDate(version(older).createdAt) }),
      to: prune({ version: to, by: by(newer), date: shortDate(version(newer).createdAt) }),
      title_change: older.title !== newer.title ? { from: older.title, to: newer.title } : undefined,
      changed: /^[+-](?![+-]{2} )/m.test(diff),
      diff: truncated ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut at ${MAX_DIFF_CHARS} characters)` : diff,
    });
  },
};
