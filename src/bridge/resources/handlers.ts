// The resource, prompt and completion methods of one bridge server instance (both MCP eras; the
// SDK answers them like tools/list and tools/call).
import type { Server } from '@modelcontextprotocol/server';
import { getPrompt, listPrompts } from '../prompts';
import { appResources, isAppUri, readAppResource } from '../apps/issueCard';
import { complete, type CompletionHost } from './completions';
import { readResource, resourceTemplates } from './read';
import { TEMPLATES } from './uris';

export const RESOURCE_CAPABILITIES = { resources: {}, prompts: {}, completions: {} } as const;

export function registerResourceHandlers(server: Server, host: CompletionHost): void {
  server.setRequestHandler('resources/list', () => ({ resources: appResources(host) as never }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: resourceTemplates(host) as never }));
  server.setRequestHandler('resources/read', async (request, extra) => {
    const { uri } = request.params;
    if (isAppUri(uri)) return await readAppResource(host, uri);
    return await readResource(host, uri, extra.mcpReq.signal);
  });
  server.setRequestHandler('prompts/list', () => ({ prompts: listPrompts(host) as never }));
  server.setRequestHandler(
    'prompts/get',
    async (request, extra) =>
      (await getPrompt(host, request.params.name, request.params.arguments, extra.mcpReq.signal)) as never,
  );
  server.setRequestHandler('completion/complete', async (request, extra) => {
    const { ref, argument, context } = request.params;
    const offered = ref.type === 'ref/resource' ? resourceTemplates(host).some((t) => t.uriTemplate === ref.uri) : true;
    if (!offered) return { completion: { values: [] } };
    const product =
      ref.type === 'ref/resource' && (ref.uri === TEMPLATES.page || ref.uri === TEMPLATES.space)
        ? 'confluence'
        : 'jira';
    return (await complete(host, argument, context?.arguments ?? {}, extra.mcpReq.signal, product)) as never;
  });
}
