/**
 * The CDP connection layer: connect to a debug target (relay fast path, WebSocket otherwise),
 * send commands, receive events, close. Used by the debugger and the profiler.
 *
 *   const cdp = await connectInspector(target.url);
 *   await cdp.send('Profiler.enable');
 *   cdp.on('Debugger.paused', (event) => ...);
 *   await cdp.close();
 */
export { CdpError, type CdpChannel, type CdpCommand, type CdpConnection, type CdpEventName, type CdpEventParams, type CdpParams, type CdpResult } from './connection.js';
export { connectInspector, type ConnectOptions } from './connect.js';
export { connectRelay } from './relay-connection.js';
export { connectWebSocket } from './websocket-connection.js';
export { MessageChannel, type Transport } from './message-channel.js';
