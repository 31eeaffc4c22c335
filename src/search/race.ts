/**
 * A race between two proofs of the same plan on two threads: the exact search in a worker and the
 * HiGHS lower bounds in this thread (optimise.ts). Whichever proves the plan optimal ends the race,
 * and the other stops at its next check, so each may use the whole time limit instead of half.
 *
 * It is one flag in memory both threads share: a worker busy in its search reads no messages, and
 * neither does this thread while HiGHS runs, but both read this flag where they already check
 * their deadline (and HiGHS's interrupt callbacks do).
 */
export type Race = Int32Array;

export function createRace(): Race {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** A proof is in: every search watching the race stops. Without a race, nothing happens. */
export function endRace(race: Race | undefined): void {
  if (race) Atomics.store(race, 0, 1);
}

export function raceOver(race: Race | undefined): boolean {
  return race !== undefined && Atomics.load(race, 0) !== 0;
}

/** A search should stop: its deadline (a performance.now() time) has passed, or the race is over. */
export function pastDeadline(deadline: number | undefined, race?: Race): boolean {
  return (deadline !== undefined && performance.now() > deadline) || raceOver(race);
}
