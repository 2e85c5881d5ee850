// Stand-in for `@vscode/l10n` in the bridge bundle (esbuild.js aliases it). The bridge's messages
// go to models and stay English, and the library loads fs/promises on import: ~7 ms of startup.
// Formats exactly as the library does without a bundle (a unit test compares the two).
import { textOf } from '../../core/text';
type Values = Record<string, unknown> | readonly unknown[];

export function t(message: string, ...args: unknown[]): string;
export function t(options: { message: string; args?: Values; comment?: string | string[] }): string;
export function t(first: string | { message: string; args?: Values }, ...rest: unknown[]): string {
  if (typeof first !== 'string') return format(first.message, first.args ?? {});
  return format(first, rest.length > 0 && typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as Values) : rest);
}

export function config(): void {}

function format(template: string, values: Values): string {
  if (Object.keys(values).length === 0) return template;
  return template.replace(/{([^}]+)}/g, (match, key: string) =>
    textOf((values as Record<string, unknown>)[key], match),
  );
}
