// A Confluence page as the Markdown document chat attaches (model-facing, so English): title, space,
// version and link, then the body converted from storage XHTML (Cloud and Data Center alike).
import type { ConfluenceApi } from '../../atlassian/confluence';
import type { Json } from '../../atlassian/jira';
import { textOf } from '../../core/text';
import { bounded } from './issueMarkdown';

export interface PageForChat {
  readonly page: Json;
  readonly siteName: string;
  /** What the page's `webui` link is relative to: `https://site/wiki` on Cloud, Confluence's own URL on Data Center. */
  readonly webBase: string;
}

export async function loadPageForChat(
  api: ConfluenceApi,
  id: string,
  site: { readonly siteName: string; readonly webBase: string },
  signal?: AbortSignal,
): Promise<PageForChat> {
  return { page: await api.page(id, 'storage', signal), ...site };
}

export async function pageMarkdown(input: PageForChat): Promise<string> {
  const { page } = input;
  const storage = (((page.body as Json | undefined)?.storage as Json | undefined)?.value ?? '') as unknown;
  const { storageToMarkdown } = await import('../../atlassian/storage');
  const body = typeof storage === 'string' && storage ? await storageToMarkdown(storage) : '';
  const version = (page.version as Json | undefined)?.number;
  const webui = ((page._links as Json | undefined)?.webui as string | undefined) ?? '';
  const out = [`# ${textOf(page.title, `Page ${textOf(page.id, '?')}`)}`, ''];
  out.push(`- Site: ${input.siteName}`);
  out.push(`- Page id: ${textOf(page.id, '?')}`);
  if (page.spaceId !== undefined) out.push(`- Space: ${textOf(page.spaceId, '?')}`);
  if (typeof version === 'number') out.push(`- Version: ${version}`);
  if (webui) out.push(`- Link: ${/^https?:\/\//.test(webui) ? webui : `${input.webBase.replace(/\/+$/, '')}${webui}`}`);
  out.push('', bounded(body) || '(empty page)');
  return `${out.join('\n')}\n`;
}
