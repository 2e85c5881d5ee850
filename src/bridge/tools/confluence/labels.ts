// Confluence page labels (toolset confluence_labels).
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, pageIdFrom, readPage } from './shared';

/** Characters Confluence refuses in a label (a space would split it into several). */
const LABEL_INVALID = /[!#&()*,.:;<>?@[\]^]/;

function labelName(value: unknown): string {
  const name = String(value).trim().toLowerCase();
  if (/\s/.test(name))
    throw new InputError(
      'Invalid argument `name`: a label cannot contain spaces (Confluence would split it into several labels). Use hyphens (e.g. "needs-review"), or call once per label.',
    );
  const bad = LABEL_INVALID.exec(name)?.[0];
  if (bad)
    throw new InputError(
      `Invalid argument \`name\`: "${bad}" is not allowed in a label (nor any of ! # & ( ) * , . : ; < > ? @ [ ] ^). Use letters, digits, hyphens or underscores.`,
    );
  if (name.length > 255) throw new InputError('Invalid argument `name`: a label can have at most 255 characters.');
  return name;
}

export const confluenceGetLabels: ToolDef = {
  name: 'confluence_get_labels',
  title: 'Get Confluence labels',
  description: 'Labels (tags) of a Confluence page.',
  toolset: 'confluence_labels',
  product: 'confluence',
  params: { page_id: PAGE_ID },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    await readPage(ctx, confluence, id, undefined);
    const labels = await attempt(`Page ${id}`, () => confluence.labels(id, ctx.signal));
    return labels.map((l) => l.name);
  },
};

export const confluenceAddLabel: ToolDef = {
  name: 'confluence_add_label',
  title: 'Add Confluence label',
  description:
    'Add a label (tag) to a Confluence page and return all its labels. Labels are lower case, without spaces.',
  toolset: 'confluence_labels',
  product: 'confluence',
  write: true,
  idempotent: true,
  params: { page_id: PAGE_ID, name: p.str('Label, e.g. needs-review') },
  required: ['page_id', 'name'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const name = labelName(args.name);
    await readPage(ctx, confluence, id, undefined);
    const labels = await attempt(`Page ${id}`, () =>
      confluence.addLabels(id, [{ prefix: 'global', name }], ctx.signal),
    );
    return labels.map((l) => l.name);
  },
};
