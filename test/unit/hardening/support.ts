// Shared by the hardening suites: the one-line figure each test prints.

/** Prints the figure a hardening test proves, on one line, for the `npm test` output. */
export function figure(text: string): void {
  console.log(`    [hardening] ${text}`);
}

export const ms = (start: number): number => Math.round(performance.now() - start);
