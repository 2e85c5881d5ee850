// The bridge's audit log of writes: one JSON object a line (docs/audit-log.md). The bridge appends
// entries (src/bridge/audit.ts); "Atlassian: Show Agent Activity" reads them back through this
// module. No vscode here: the parser and the text rendering are plain functions with unit tests.
import * as l10n from '@vscode/l10n';

/** How a write ended: done, failed, or never sent because the person did not confirm it. */
export type AuditOutcome = 'ok' | 'error' | 'declined' | 'unconfirmed';

export interface AuditEntry {
  /** ISO 8601, UTC, when the call finished. */
  readonly time: string;
  readonly tool: string;
  readonly outcome: AuditOutcome;
  /** The error's kind (an Atlassian error kind such as `forbidden`, or `input`, `internal`); only for `error`. */
  readonly error?: string;
  readonly durationMs: number;
  /** The site's name and URL, when the call got as far as choosing one. */
  readonly site?: string;
  readonly siteUrl?: string;
  /** The team server's signed-in person (account id), never a token. */
  readonly person?: string;
  /** Issue keys and ids the call named (its `*_key`, `*_id`, `*_keys`, `*_ids` arguments). */
  readonly targets?: Readonly<Record<string, string | readonly string[]>>;
  /** What the call created (`key`/`id` of its answer), when it created something. */
  readonly created?: string;
}

const OUTCOMES: readonly string[] = ['ok', 'error', 'declined', 'unconfirmed'];

/** The entries of a log's text, oldest first; lines that are not entries (a torn last line) are skipped. */
export function parseAuditLog(text: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (isEntry(value)) entries.push(value);
  }
  return entries;
}

function isEntry(value: unknown): value is AuditEntry {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.time === 'string' &&
    typeof v.tool === 'string' &&
    typeof v.outcome === 'string' &&
    OUTCOMES.includes(v.outcome) &&
    typeof v.durationMs === 'number'
  );
}

/** A readable report of the entries, newest first, at most `limit` of them. */
export function renderActivity(entries: readonly AuditEntry[], limit = 500): string {
  const shown = [...entries].sort((a, b) => b.time.localeCompare(a.time)).slice(0, limit);
  const lines = [
    l10n.t('Atlassian agent activity: writes made through the bridge, newest first.'),
    entries.length > shown.length
      ? l10n.t('Showing the latest {0} of {1} entries.', shown.length, entries.length)
      : l10n.t('{0} entries.', entries.length),
    '',
  ];
  if (shown.length === 0) lines.push(l10n.t('No writes yet. Writes an agent makes through the bridge appear here.'));
  for (const entry of shown) lines.push(renderEntry(entry));
  return `${lines.join('\n')}\n`;
}

function renderEntry(entry: AuditEntry): string {
  const when = entry.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const targets = Object.values(entry.targets ?? {})
    .flatMap((v): readonly string[] => (typeof v === 'string' ? [v] : v))
    .join(', ');
  const parts = [when, outcomeText(entry), entry.tool];
  if (targets) parts.push(targets);
  if (entry.created) parts.push(l10n.t('created {0}', entry.created));
  if (entry.site) parts.push(l10n.t('on {0}', entry.site));
  if (entry.person) parts.push(l10n.t('by {0}', entry.person));
  parts.push(`${Math.round(entry.durationMs)} ms`);
  return parts.join('  ·  ');
}

function outcomeText(entry: AuditEntry): string {
  switch (entry.outcome) {
    case 'ok':
      return l10n.t('done');
    case 'error':
      return l10n.t('failed ({0})', entry.error ?? l10n.t('unknown'));
    case 'declined':
      return l10n.t('declined by you');
    case 'unconfirmed':
      return l10n.t('not confirmed');
  }
}
