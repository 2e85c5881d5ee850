// Times as the views and reports show them: relative for a glance, absolute UTC for bug reports.

/** "just now", "3 min ago", "in 52 min", "2 h ago", "5 days ago". */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  if (abs < 45_000) return 'just now';
  const minutes = Math.round(abs / 60_000);
  let text: string;
  if (minutes < 90) text = `${minutes} min`;
  else if (minutes < 48 * 60) text = `${Math.round(minutes / 60)} h`;
  else text = `${Math.round(minutes / (24 * 60))} days`;
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

/** `2026-11-21 10:42 UTC`. */
export function utcMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
