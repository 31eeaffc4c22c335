/**
 * Compressed sparse rows from one map per row (column → value): the shape adjacency lists,
 * crosswalks and node pieces are all stored in. Columns come out sorted, so the result does not
 * depend on the order entries were added in.
 */
export interface Csr {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

export function csrFromMaps(rows: ReadonlyArray<ReadonlyMap<number, number>>): Csr {
  const start = new Int32Array(rows.length + 1);
  let total = 0;
  rows.forEach((row, r) => {
    start[r] = total;
    total += row.size;
  });
  start[rows.length] = total;
  const column = new Int32Array(total);
  const value = new Float64Array(total);
  rows.forEach((row, r) => {
    let i = start[r];
    for (const c of [...row.keys()].sort((a, b) => a - b)) {
      column[i] = c;
      value[i++] = row.get(c)!;
    }
  });
  return { start, column, value };
}
