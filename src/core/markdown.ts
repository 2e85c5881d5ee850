// Text from elsewhere (Jira, error messages) placed into Markdown we render: shown as written, so
// no formatting, link or HTML can sneak in, and with ordinary spaces so long lines still wrap.
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}
