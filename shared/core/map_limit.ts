/**
 * Bounded concurrency: `fn` over `items` with at most `limit` calls in
 * flight, for fan-outs to a broker (one request per topic or group) that
 * must not open hundreds of requests at once.
 */

/**
 * `fn` over `items` with at most `limit` calls in flight, results in the
 * items' order. The first failure rejects the whole call, and no new call
 * starts after it (those in flight finish); `limit` is a positive integer.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`mapLimit: limit must be a positive integer, got ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
