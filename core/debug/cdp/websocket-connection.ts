/**
 * CDP over the inspector's own WebSocket, through chrome-remote-interface. Works for any
 * inspector (`node --inspect`, a task without a relay, a tunnel to a remote task), but an
 * exchange may stall ~40 ms (Nagle on Node's server socket × the client's delayed ACK, which a
 * client cannot switch off from Node): see relay-connection for the fast path.
 */
import CDP from 'chrome-remote-interface';
import { CdpError } from './connection.js';
import { MessageChannel } from './message-channel.js';

type RawSend = (method: string, params: object | undefined, callback: (error: boolean | Error, response: unknown) => void) => void;

/** Connects to an inspector WebSocket URL (`ws://127.0.0.1:9229/<uuid>`). */
export async function connectWebSocket(url: string, options: { timeoutMs?: number } = {}): Promise<MessageChannel> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CdpError('connect', `no answer from ${url} within ${timeoutMs} ms`)), timeoutMs)));
  const connecting = CDP({ target: url, local: true }); // local: the protocol bundled with the library, not fetched
  let client: CDP.Client;
  try {
    client = await Promise.race([connecting, timeout]);
  } catch (error) {
    void connecting.then((late) => late.close(), () => undefined); // a connection that comes too late is closed
    throw error instanceof CdpError ? error : new CdpError('connect', `cannot reach the inspector at ${url}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  const send = client.send.bind(client) as unknown as RawSend;
  const channel: MessageChannel = new MessageChannel('websocket', {
    write: ({ id, method, params }) =>
      send(method, params as object | undefined, (error, response) => {
        if (error === false) channel.receive({ id, result: response });
        else if (error === true) channel.receive({ id, error: response as { message: string; code: number } });
        else channel.receive({ id, error: { message: (error as Error).message } });
      }),
    end: () => client.close(),
  });
  client.on('event', (message: CDP.EventMessage) => channel.receive({ method: message.method, params: message.params }));
  client.on('disconnect', () => channel.gone('the inspector closed the connection'));
  return channel;
}
