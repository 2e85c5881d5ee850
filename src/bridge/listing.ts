// How much of a list a result holds, said the same way everywhere ("11–20 of about 57 …; …"), so a
// model never mistakes one page or a truncated list for all there is, and knows how to get the rest.

export interface Extent {
  /** 0-based position of the first item shown. */
  readonly offset: number;
  readonly shown: number;
  /** How many there are, when known. */
  readonly total?: number;
  /** The total is Jira's estimate (Cloud's approximate count), not an exact figure. */
  readonly approximate?: boolean;
  /** What the list holds, plural: "matching issues", "comments". */
  readonly noun: string;
  /** How to get the rest, when there is more: "pass page_token=next_page_token". */
  readonly more?: string;
}

/** "11–20 of about 57 matching issues; more: pass page_token=next_page_token", or undefined when nothing is missing. */
export function extentText(extent: Extent): string | undefined {
  const { offset, shown, total, approximate, noun, more } = extent;
  const all = offset === 0 && total !== undefined && shown >= total && !approximate;
  if (all && !more) return undefined;
  const range = shown === 0 ? 'none' : shown === 1 ? `${offset + 1}` : `${offset + 1}–${offset + shown}`;
  const of =
    total === undefined ? `${noun} (how many in all is unknown)` : `${approximate ? 'about ' : ''}${total} ${noun}`;
  return `${range} of ${of}${more ? `; more: ${more}` : ''}`;
}
