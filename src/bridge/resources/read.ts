// Reading the bridge's resources. Each kind is read by running the tool that already reads it
// (jira_get_issue, jira_search, confluence_get_page, confluence_search), so the projects and spaces
// filters, the formatters and the error wording are the tools' own; a kind is offered only while
// its tool is exposed (TOOLSETS, ENABLED_TOOLS), and every kind is a read, so read-only mode keeps them.
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError } from '@modelcontextprotocol/server';
import { AtlassianError } from '../../atlassian/errors';
import { textOf } from '../../core/text';
import type { SecretRedactor } from '../../core/redact';
import type { BridgeConfig } from '../config';
import { InputError } from '../schema';
import { quoteValue } from '../scope';
import type { SiteDirectory } from '../sites';
import { errorResult, type ToolContext, type ToolDef } from '../tooling';
import { issueMarkdown, pageMarkdown } from './markdown';
import { parseResourceUri, TEMPLATES, type ResourceRef } from './uris';

export interface ResourceHost {
  readonly config: BridgeConfig;
  readonly directory: SiteDirectory;
  readonly redactor?: SecretRedactor;
  /** The tool of this name when this configuration exposes it. */
  tool(name: string): ToolDef | undefined;
}

/** The tool that reads each kind of resource. */
export const READER: Record<ResourceRef['kind'], string> = {
  issue: 'jira_get_issue',
  search: 'jira_search',
  page: 'confluence_get_page',
  space: 'confluence_search',
};

const DESCRIPTIONS: Record<ResourceRef['kind'], { name: string; title: string; description: string; mime: string }> = {
  issue: {
    name: 'jira_issue',
    title: 'Jira issue',
    description:
      'One Jira issue as Markdown: fields, description, links and recent comments. `site` is a name from atlassian_list_sites.',
    mime: 'text/markdown',
  },
  search: {
    name: 'jira_search',
    title: 'Jira JQL result',
    description: 'The first 50 issues a JQL query finds, as jira_search returns them (JSON).',
    mime: 'application/json',
  },
  page: {
    name: 'confluence_page',
    title: 'Confluence page',
    description: 'One Confluence page by id, as Markdown.',
    mime: 'text/markdown',
  },
  space: {
    name: 'confluence_space',
    title: 'Confluence space',
    description: 'The 50 most recently changed pages of a Confluence space (JSON: id, title, url, excerpt).',
    mime: 'application/json',
  },
};

/** How many issues or pages a result-set resource holds. */
const RESULT_SET_LIMIT = 50;

export function offeredKinds(host: ResourceHost): ResourceRef['kind'][] {
  return (Object.keys(READER) as ResourceRef['kind'][]).filter((kind) => host.tool(READER[kind]));
}

export function resourceTemplates(host: ResourceHost): Record<string, unknown>[] {
  return offeredKinds(host).map((kind) => {
    const d = DESCRIPTIONS[kind];
    return { uriTemplate: TEMPLATES[kind], name: d.name, title: d.title, description: d.description, mimeType: d.mime };
  });
}

export async function readResource(
  host: ResourceHost,
  uri: string,
  signal: AbortSignal,
): Promise<{ contents: { uri: string; mimeType: string; text: string }[] }> {
  const ref = parseResourceUri(uri);
  const tool = ref && host.tool(READER[ref.kind]);
  if (!ref || !tool) throw new ResourceNotFoundError(uri, `No such resource here: ${uri}.`);
  const ctx: ToolContext = { config: host.config, directory: host.directory, signal };
  try {
    const text = await read(ref, tool, ctx);
    const redacted = host.redactor ? host.redactor.redactKnown(text) : text;
    return { contents: [{ uri, mimeType: DESCRIPTIONS[ref.kind].mime, text: redacted }] };
  } catch (err) {
    throw protocolError(uri, err, host);
  }
}

async function read(ref: ResourceRef, tool: ToolDef, ctx: ToolContext): Promise<string> {
  switch (ref.kind) {
    case 'issue':
      return issueMarkdown((await tool.run({ issue_key: ref.key, site: ref.site }, ctx)) as Record<string, unknown>);
    case 'page':
      return pageMarkdown((await tool.run({ page_id: ref.id, site: ref.site }, ctx)) as Record<string, unknown>);
    case 'search':
      return JSON.stringify(await tool.run({ jql: ref.jql, site: ref.site, limit: RESULT_SET_LIMIT }, ctx));
    case 'space': {
      const space = ref.space.trim().toUpperCase();
      const allowed = ctx.config.spacesFilter;
      if (allowed && !allowed.includes(space))
        throw new InputError(
          `Space ${space} is outside this bridge's allowed spaces (${allowed.join(', ')}; CONFLUENCE_SPACES_FILTER).`,
        );
      const query = `space = ${quoteValue(space)} AND type = page ORDER BY lastmodified DESC`;
      return JSON.stringify(await tool.run({ query, site: ref.site, limit: RESULT_SET_LIMIT }, ctx));
    }
  }
}

/** The tools' own wording, as a JSON-RPC error: refusals are invalid params, missing things not found. */
function protocolError(uri: string, err: unknown, host: ResourceHost): Error {
  const text = textOf(errorResult(err, host.directory.connectHint).content[0]?.text, 'Failed.');
  const message = host.redactor ? host.redactor.redactKnown(text) : text;
  if (err instanceof AtlassianError && err.kind === 'notFound') return new ResourceNotFoundError(uri, message);
  if (err instanceof InputError) return new ProtocolError(ProtocolErrorCode.InvalidParams, message);
  return new ProtocolError(ProtocolErrorCode.InternalError, message);
}
