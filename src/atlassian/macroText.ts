// How a Confluence macro reads in Markdown, the same whether it came as storage XHTML
// (`ac:structured-macro`) or as an ADF extension (`macroParams`): its name and what its parameters
// say, e.g. "Jira issue PROJ-7", "Jira issues (JQL: project = ENG)", "include: DOC:Intro", "toc: maxLevel=3".

/** Parameters that only say how or where a Jira macro renders, not what it shows. */
const JIRA_PLUMBING = ['key', 'jqlQuery', 'server', 'serverId', 'columnIds'];

export function macroText(name: string, params: Readonly<Record<string, string>>): string {
  if (name === 'jira') {
    const what = params.key ? `Jira issue ${params.key}` : `Jira issues (JQL: ${params.jqlQuery ?? ''})`;
    const rest = describeParams(params, JIRA_PLUMBING);
    return `${what}${rest ? `; ${rest}` : ''}`;
  }
  const label = name === 'details' ? 'page properties' : name;
  const described = describeParams(params, []);
  return `${label}${described ? `: ${described}` : ''}`;
}

/** `k=v, …`; the unnamed parameter (include's page) reads as its value alone. */
function describeParams(params: Readonly<Record<string, string>>, skip: readonly string[]): string {
  return Object.entries(params)
    .filter(([k, v]) => !skip.includes(k) && v !== '')
    .map(([k, v]) => (k === 'page' || k === '' ? v : `${k}=${v}`))
    .join(', ');
}
