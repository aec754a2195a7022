/**
 * Connecting to a debug target the fastest way it allows: ask the task (over its inspector
 * WebSocket, which any inspector has) where its relay listens and the relay's secret, then
 * switch to the relay. Whoever can reach the inspector can already run any code in the task, so
 * handing the secret out that way grants nothing new. Targets without a relay (plain
 * `node --inspect`, an older runtime) stay on the WebSocket.
 */
import { DEBUG_HOOKS_EXPRESSION, type RelayEndpoint } from '../../common/debug/hooks.js';
import type { CdpChannel, CdpConnection } from './connection.js';
import { connectRelay } from './relay-connection.js';
import { connectWebSocket } from './websocket-connection.js';

/** How to connect. */
export interface ConnectOptions {
  /** 'fast' (default): the relay when the task has one; 'websocket': always the inspector's WebSocket. */
  prefer?: 'fast' | 'websocket';
  /** Where to reach the relay the task names (a tunnel's local end); default: as named. */
  relayAddress?: (endpoint: RelayEndpoint) => { host: string; port: number };
  timeoutMs?: number;
}

/** Connects to the inspector at `url` (a debug target's URL); see ConnectOptions. */
export async function connectInspector(url: string, options: ConnectOptions = {}): Promise<CdpConnection> {
  const websocket = await connectWebSocket(url, { timeoutMs: options.timeoutMs });
  if (options.prefer === 'websocket') return websocket;
  let endpoint: RelayEndpoint | undefined;
  try {
    const answer = await websocket.send('Runtime.evaluate', { expression: `${DEBUG_HOOKS_EXPRESSION}?.relay?.()`, returnByValue: true, silent: true });
    endpoint = answer.exceptionDetails ? undefined : (answer.result.value as RelayEndpoint | undefined);
  } catch {
    endpoint = undefined;
  }
  if (!endpoint) return websocket;
  const address = options.relayAddress?.(endpoint) ?? endpoint;
  try {
    const relay = await connectRelay({ ...endpoint, host: address.host, port: address.port }, { timeoutMs: options.timeoutMs });
    await websocket.close();
    return relay;
  } catch {
    // The relay is a speed-up, not a requirement: an unreachable one (a tunnel without it) leaves the WebSocket.
    return websocket;
  }
}

export type { CdpChannel };
