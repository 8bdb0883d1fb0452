/** Small helpers the benchmarks share. */
export const percentile = (xs: readonly number[], p: number): number => {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
export const median = (xs: readonly number[]) => percentile(xs, 50);
export const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** Runs `work` for each item with at most `n` at a time. */
export async function pool<T, R>(items: readonly T[], n: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  }));
  return out;
}

export const section = (title: string) => console.log(`\n== ${title}\n`);
