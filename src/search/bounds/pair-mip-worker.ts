import { parentPort, workerData } from 'node:worker_threads';
import { loadHighs, type HighsLoader } from './highs.js';
import { raceOver, type Race } from '../race.js';

/**
 * Worker thread entry for the pair bound's branch and bound (bounds/pair-model.ts). HiGHS stops a MIP only
 * at checkpoints, and on the county instances its first node went up to a minute between two of
 * them, so a run past its deadline is ended by terminating this thread. Every checkpoint posts the
 * dual bound reached so far, which stays valid whenever the run is cut.
 */

export interface PairMipRequest {
  model: Parameters<Awaited<ReturnType<HighsLoader>>['createModel']>[0];
  integerCols: number[];
  options: Record<string, number | boolean | string>;
  start: Float64Array | null;
  /** Interrupts the run once this race is over (race.ts): shared memory, so it is seen mid-run. */
  race?: Race;
}

export type PairMipReply =
  | { kind: 'progress'; dual: number; nodes: number }
  | { kind: 'done'; status: number; optimal: boolean; timeLimit: boolean; dual: number; nodes: number; colValue: Float64Array | null }
  | { kind: 'error'; message: string };

async function main(request: PairMipRequest): Promise<PairMipReply> {
  const highs = await loadHighs();
  const model = highs.createModel(request.model);
  try {
    model.changeColsIntegrality({ kind: 'set', indices: request.integerCols }, new Int32Array(request.integerCols.length).fill(1));
    model.options.set(request.options);
    if (request.start) model.setSolution({ colValue: request.start });
    const post = (data: { mip_dual_bound?: number; mip_node_count?: bigint }): undefined => {
      const dual = data.mip_dual_bound;
      if (dual !== undefined && Number.isFinite(dual)) parentPort?.postMessage({ kind: 'progress', dual, nodes: Number(data.mip_node_count ?? 0n) } satisfies PairMipReply);
      return undefined;
    };
    model.run({
      [highs.constants.callbackType.mipInterrupt]: (event) => {
        if (raceOver(request.race)) event.interrupt();
        return post(event.data);
      },
      [highs.constants.callbackType.mipLogging]: (event) => post(event.data),
    });
    const status = model.getModelStatus();
    const optimal = status === highs.constants.modelStatus.optimal;
    return {
      kind: 'done',
      status,
      optimal,
      timeLimit: status === highs.constants.modelStatus.timeLimit,
      dual: Number(model.info.get('mip_dual_bound')),
      nodes: Number(model.info.get('mip_node_count')),
      colValue: optimal ? Float64Array.from(model.getSolution().colValue) : null,
    };
  } finally {
    model.dispose();
  }
}

main(workerData as PairMipRequest).then(
  (reply) => parentPort?.postMessage(reply),
  (error: unknown) => parentPort?.postMessage({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies PairMipReply),
);
