/**
 * Warnings about input found while reading it (a file read as Windows-1252, a table read with ";"
 * as its delimiter), from code too deep to hand them back with its result. The CLI listens for the
 * length of a run and writes each to stderr once (cli/main.ts); a library caller may listen too.
 * Without a listener they are dropped: reading never depends on who hears about it.
 */
export type NoticeListener = (message: string) => void;

let listener: NoticeListener | null = null;
const told = new Set<string>();

/** Hear notices until the returned function is called (which restores the previous listener). */
export function listenForInputNotices(next: NoticeListener): () => void {
  const previous = listener;
  listener = next;
  told.clear();
  return () => {
    listener = previous;
    told.clear();
  };
}

/** Tell the listener, once per message while it listens (a file read twice warns once). */
export function inputNotice(message: string): void {
  if (!listener || told.has(message)) return;
  told.add(message);
  listener(message);
}
