// A deliberately broken multilang child, to prove the test host catches what Storm treats as fatal.
// Plain JavaScript, no Squall code: ROGUE=<mode> picks the fault.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const mode = process.env.ROGUE;
const send = (m) => process.stdout.write(`${JSON.stringify(m)}\nend\n`);
let buffer = '';
let handshaken = false;
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf('\nend\n')) !== -1) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 5);
    if (!handshaken) {
      handshaken = true;
      writeFileSync(path.join(message.pidDir, String(process.pid)), '');
      send({ pid: process.pid });
      continue;
    }
    if (mode === 'silent') continue;
    if (message.stream === '__heartbeat') {
      send({ command: 'sync' });
      continue;
    }
    if (mode === 'stray-output') process.stdout.write('hello from console.log\n');
    if (mode === 'ack-unknown') send({ command: 'ack', id: 'no-such-tuple' });
    if (mode === 'double-ack') {
      send({ command: 'ack', id: message.id });
      send({ command: 'ack', id: message.id });
    }
    if (mode === 'anchor-after-ack') {
      send({ command: 'ack', id: message.id });
      send({ command: 'emit', anchors: [message.id], tuple: [1], need_task_ids: false });
    }
    if (mode === 'metrics') send({ command: 'metrics', name: 'my-metric', params: 1 });
    if (mode === 'spout-ack') {
      send({ command: 'ack', id: 'x' });
      send({ command: 'sync' });
    }
    if (mode === 'spout-unknown') {
      send({ command: 'flush' });
      send({ command: 'sync' });
    }
  }
});
