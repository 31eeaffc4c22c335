import type { Crosswalk } from '../align/types.js';
import type { Layer } from '../layers/types.js';
import type { Membership } from './membership.js';

/**
 * What each footprint is made of, in the areas people already know: for every layer, the areas
 * with residents in the footprint and the share of each area's residents inside it
 * ("Chadderton North 100%, Chadderton Central 62%"), from N(a,f) = Σ_{u in f} pop(u)·w(u,a).
 */
export interface CompositionPart {
  id: string;
  name: string;
  /** Residents of the area inside the footprint, N(a,f). */
  residents: number;
  /** N(a,f) / N(a). */
  share: number;
}

export interface LayerComposition {
  layer: string;
  /** Per footprint, its areas, most residents first. */
  footprints: CompositionPart[][];
}

export function composition(
  layers: Array<{ name: string; layer: Layer; crosswalk: Crosswalk }>,
  populations: ArrayLike<number>,
  membership: Membership,
): LayerComposition[] {
  const k = membership.units.length;
  return layers.map(({ name, layer, crosswalk: cw }) => {
    const nAreas = cw.areaIds.length;
    const joint = new Float64Array(nAreas * k);
    const residents = new Float64Array(nAreas);
    for (let u = 0; u < cw.unitIds.length; u++) {
      for (let p = cw.start[u]; p < cw.start[u + 1]; p++) residents[cw.area[p]] += populations[u] * cw.weight[p];
    }
    // N(a,f) = Σ_u m(u,f)·pop(u)·w(u,a): whole units for a plan, shares for the areas of a layer.
    membership.units.forEach((units, f) => {
      const shares = membership.weights[f];
      for (let i = 0; i < units.length; i++) {
        const u = units[i];
        for (let p = cw.start[u]; p < cw.start[u + 1]; p++) joint[cw.area[p] * k + f] += populations[u] * cw.weight[p] * shares[i];
      }
    });
    const names = new Map(layer.areas.map((a) => [a.id, a.name ?? stringName(a.properties.name) ?? a.id]));
    const footprints = Array.from({ length: k }, (_, f) => {
      const parts: CompositionPart[] = [];
      for (let a = 0; a < nAreas; a++) {
        const n = joint[a * k + f];
        if (n > 0) parts.push({ id: cw.areaIds[a], name: names.get(cw.areaIds[a]) ?? cw.areaIds[a], residents: n, share: n / residents[a] });
      }
      return parts.sort((x, y) => y.residents - x.residents || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    });
    return { layer: name, footprints };
  });
}

function stringName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Names for footprints: those given, else the area of the first kept-whole layer (or the first
 * layer) holding most of the footprint's residents. Areas are handed out most residents first, so
 * no two footprints get the same name, and only to a footprint holding most of the area; a
 * footprint left without one keeps its id.
 */
export function footprintNames(footprintIds: string[], compositions: LayerComposition[], preferred: number, given: Record<string, string> = {}): string[] {
  const names = footprintIds.map((id) => given[id] ?? null);
  const used = new Set(names.filter((n): n is string => n !== null));
  const order = compositions.length === 0 ? [] : [preferred, ...compositions.map((_, i) => i).filter((i) => i !== preferred)];
  for (const layer of order) {
    const candidates: Array<{ f: number; part: CompositionPart }> = [];
    compositions[layer].footprints.forEach((parts, f) => {
      // An area mostly elsewhere would misname the footprint.
      if (names[f] === null) for (const part of parts) if (part.share >= 0.5) candidates.push({ f, part });
    });
    candidates.sort((a, b) => b.part.residents - a.part.residents || a.f - b.f);
    for (const { f, part } of candidates) {
      if (names[f] !== null || used.has(part.name)) continue;
      names[f] = part.name;
      used.add(part.name);
    }
  }
  return names.map((n, f) => n ?? footprintIds[f]);
}
