/**
 * "Did you mean": the allowed word nearest a misspelt one, for every message that refuses a name (SLO spec
 * keys, environment names, configuration keys, CLI commands and options).
 */

/** ` (did you mean "objective"?)` when a close allowed word exists, else the empty string. */
export function suggest(word: string, allowed: readonly string[]): string {
  const best = closest(word, allowed);
  return best !== undefined ? ` (did you mean "${best}"?)` : "";
}

/** The allowed word within a small edit distance of `word` (typos, swapped letters), if any. */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap =
        i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? (prev[j - 2] ?? Infinity) : Infinity;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1), swap);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
