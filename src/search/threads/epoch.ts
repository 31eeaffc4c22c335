/**
 * Deadlines across threads. A search's deadline is a performance.now() time, but every thread's
 * performance.now() has its own origin; wall-clock milliseconds (Date.now()) mean the same in all
 * of them. So a deadline crosses to a worker as toEpoch's value and is turned back by fromEpoch there.
 */
export const toEpoch = (deadline: number | undefined): number | undefined => (deadline === undefined ? undefined : Date.now() + (deadline - performance.now()));

export const fromEpoch = (epochMs: number | undefined): number | undefined => (epochMs === undefined ? undefined : performance.now() + (epochMs - Date.now()));
