// Times as the views and reports show them: relative for a glance, absolute UTC for bug reports.
import * as l10n from '@vscode/l10n';

/** "just now", "3 min ago", "in 52 min", "2 h ago", "5 days ago". */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  if (abs < 45_000) return l10n.t('just now');
  const future = delta > 0;
  const minutes = Math.round(abs / 60_000);
  if (minutes < 90) return future ? l10n.t('in {0} min', minutes) : l10n.t('{0} min ago', minutes);
  if (minutes < 48 * 60) {
    const hours = Math.round(minutes / 60);
    return future ? l10n.t('in {0} h', hours) : l10n.t('{0} h ago', hours);
  }
  const days = Math.round(minutes / (24 * 60));
  return future ? l10n.t('in {0} days', days) : l10n.t('{0} days ago', days);
}

/** `2026-11-21 10:42 UTC`. */
export function utcMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
