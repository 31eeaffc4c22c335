/** A plan is reported optimal when a proven lower bound is within this of its objective. */
export const OPTIMAL_TOLERANCE = 1e-7;

/** The gap in percent between a plan's objective and a proven lower bound on it (0 within the tolerance). */
export function gapPercent(objective: number, bound: number): number {
  const difference = Math.max(0, objective - bound);
  if (difference <= OPTIMAL_TOLERANCE) return 0;
  return (100 * difference) / objective;
}
