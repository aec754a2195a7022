/**
 * How a task tells its host where its inspector listens. The debug bootloader (core/component)
 * logs this line through multilang `log`, so it reaches the local engine and, inside Storm, the
 * worker log; the engine and the cluster tools parse it back. `node --inspect` says the same
 * thing its own way on stderr; both forms are recognised.
 */

/** Where a task's inspector listens. */
export interface InspectorAnnouncement {
  url: string;
  pid?: number;
  /** The task holds user code back until a debugger attaches (or its wait runs out). */
  waiting: boolean;
}

const OURS = /^debugger listening on (ws:\/\/\S+) \(pid (\d+)(, waiting for a debugger)?\)/;
const NODE = /^Debugger listening on (ws:\/\/\S+)/;

/** The line the bootloader logs. */
export function formatInspectorAnnouncement(url: string, pid: number, waiting: boolean): string {
  return `debugger listening on ${url} (pid ${pid}${waiting ? ', waiting for a debugger' : ''})`;
}

/** Reads an announcement from a log line (ours) or a stderr line (`node --inspect`'s). */
export function parseInspectorAnnouncement(text: string): InspectorAnnouncement | undefined {
  const ours = OURS.exec(text);
  if (ours) return { url: ours[1]!, pid: Number(ours[2]), waiting: ours[3] !== undefined };
  const node = NODE.exec(text);
  if (node) return { url: node[1]!, waiting: false };
  return undefined;
}
