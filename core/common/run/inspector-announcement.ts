/**
 * How a task tells its host where its inspector listens. The debug bootloader (core/component)
 * logs this line through multilang `log`, so it reaches the local engine and, inside Storm, the
 * worker log; the engine and the cluster tools parse it back. `node --inspect` says the same
 * thing its own way on stderr; both forms are recognised.
 *
 *   debugger listening on ws://127.0.0.1:40797/1607f4bd-… (pid 4242, relay port 40811, waiting for a debugger)
 */

/** Where a task's inspector listens. */
export interface InspectorAnnouncement {
  url: string;
  pid?: number;
  /** The task holds user code back until a debugger attaches (or its wait runs out). */
  waiting: boolean;
  /** Loopback port of the task's fast inspector relay, when it has one. */
  relayPort?: number;
}

const OURS = /^debugger listening on (ws:\/\/\S+) \(pid (\d+)((?:, [^,)]+)*)\)/;
const NODE = /^Debugger listening on (ws:\/\/\S+)/;

/** The line the bootloader logs. */
export function formatInspectorAnnouncement(url: string, pid: number, waiting: boolean, relayPort?: number): string {
  const extras = [relayPort !== undefined ? `, relay port ${relayPort}` : '', waiting ? ', waiting for a debugger' : ''].join('');
  return `debugger listening on ${url} (pid ${pid}${extras})`;
}

/** Reads an announcement from a log line (ours) or a stderr line (`node --inspect`'s). */
export function parseInspectorAnnouncement(text: string): InspectorAnnouncement | undefined {
  const ours = OURS.exec(text);
  if (ours) {
    const extras = ours[3]!.split(', ').filter(Boolean);
    const relay = extras.map((e) => /^relay port (\d+)$/.exec(e)).find(Boolean);
    const announcement: InspectorAnnouncement = { url: ours[1]!, pid: Number(ours[2]), waiting: extras.includes('waiting for a debugger') };
    if (relay) announcement.relayPort = Number(relay[1]);
    return announcement;
  }
  const node = NODE.exec(text);
  if (node) return { url: node[1]!, waiting: false };
  return undefined;
}
