import highsPackage from 'highs';
import { pastDeadline, type Race } from '../race.js';

// highs ships CommonJS typings for an ES module build: under NodeNext the typed default is the
// CommonJS module object, while at run time the ES build's default export is the loader itself.
export type HighsLoader = typeof highsPackage.default;
export const loadHighs: HighsLoader = typeof highsPackage === 'function' ? (highsPackage as unknown as HighsLoader) : highsPackage.default;
export type Highs = Awaited<ReturnType<HighsLoader>>;

/**
 * Callbacks that interrupt a HiGHS run once `deadline` (a performance.now() time) has passed, or
 * undefined without one. HiGHS checks its own time_limit only between larger steps (a MIP's first
 * node can run far past the limit: docs/benchmarks.md); the interrupt callbacks come during
 * simplex, interior-point and MIP progress. A run they stop ends with status `interrupted`, and the
 * dual bound it reached stays valid. With a race (race.ts), they also stop it once the race is over,
 * and with `stop`, whenever it says so (row generation's eager separation).
 */
export function deadlineCallbacks(highs: Highs, deadline: number, race?: Race, stop?: () => boolean) {
  if (!Number.isFinite(deadline) && !race && !stop) return undefined;
  const interrupt = (event: { interrupt(): void }): undefined => {
    if (stop?.() || pastDeadline(deadline, race)) event.interrupt();
    return undefined;
  };
  const { callbackType } = highs.constants;
  return { [callbackType.simplexInterrupt]: interrupt, [callbackType.ipmInterrupt]: interrupt, [callbackType.mipInterrupt]: interrupt };
}
