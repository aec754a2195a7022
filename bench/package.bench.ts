/**
 * Packaging and upload figures (`npm run bench -- package`), each next to a baseline measured
 * in the same run:
 * (a) `squall package` time (cold cache, then warm) and JAR size for wordcount and
 *     rolling-top-words, against esbuild alone bundling the same components (the floor);
 * (b) JAR upload to the fake Nimbus on loopback (framed Thrift, 256 KiB chunks, one call at a
 *     time) against a raw TCP copy of the same bytes.
 * Goals: wordcount packages in < 2 s, its JAR < 2 MB.
 */
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { NimbusClient } from '../core/cluster/nimbus-client.js';
import { SQUALL_API } from '../core/build/bundle.js';
import { packageTopology } from '../core/package/package-topology.js';
import { FakeNimbus } from '../test/cluster/fake-nimbus.js';

const root = path.resolve(import.meta.dirname, '..');
// Inside the checkout (in the git-ignored cache folder) so examples still resolve the
// checkout's node_modules (rolling-top-words uses stopword), each copy with its own cache.
mkdirSync(path.join(root, '.squall-cache'), { recursive: true });
const work = mkdtempSync(path.join(root, '.squall-cache', 'bench-package-'));
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_MB ?? 32) * 1024 * 1024;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A copy of an example in its own project folder, so its bundle cache starts empty. */
function isolatedCopy(example: string): string {
  const dir = path.join(work, example);
  cpSync(path.join(root, 'examples', example), dir, { recursive: true, filter: (src) => !src.includes('.squall-cache') });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-${example}`, private: true, type: 'module' }));
  return path.join(dir, 'topology.yaml');
}

async function packageFigures(example: string): Promise<void> {
  if (!existsSync(path.join(root, 'examples', example, 'topology.yaml'))) {
    process.stdout.write(`${example}: not present, skipped\n`);
    return;
  }
  const file = isolatedCopy(example);
  let start = process.hrtime.bigint();
  const cold = await packageTopology(file, { out: path.join(work, `${example}.jar`) });
  const coldMs = ms(start);
  start = process.hrtime.bigint();
  await packageTopology(file, { out: path.join(work, `${example}-warm.jar`), spec: cold.spec });
  const warmMs = ms(start);
  // Baseline: esbuild alone, one bundle per component, nothing else.
  start = process.hrtime.bigint();
  await Promise.all(
    cold.spec.components.map((c) =>
      build({ entryPoints: [path.resolve(path.dirname(file), c.script)], bundle: true, platform: 'node', format: 'esm', write: false, sourcemap: 'inline', alias: { squall: SQUALL_API }, logLevel: 'silent' }),
    ),
  );
  const esbuildMs = ms(start);
  const goal = example === 'wordcount' ? `  (goal < 2000 ms, < 2 MB: ${coldMs < 2000 && cold.bytes < 2_000_000 ? 'met' : 'MISSED'})` : '';
  process.stdout.write(
    `${example}: package ${coldMs.toFixed(0)} ms cold (introspection included), ${warmMs.toFixed(0)} ms warm; ` +
      `JAR ${(cold.bytes / 1024).toFixed(0)} KiB, ${cold.entries.length} files | baseline esbuild alone ${esbuildMs.toFixed(0)} ms${goal}\n`,
  );
}

async function uploadFigures(): Promise<void> {
  const jar = randomBytes(UPLOAD_BYTES);
  const nimbus = await new FakeNimbus().start();
  const client = await NimbusClient.connect({ host: '127.0.0.1', port: nimbus.port });
  let start = process.hrtime.bigint();
  const location = await client.uploadJar(jar);
  const thriftMs = ms(start);
  client.close();
  if (!nimbus.jars.get(location)!.equals(jar)) throw new Error('the fake Nimbus reassembled different bytes');
  await nimbus.stop();

  // Baseline: the same bytes over a plain loopback socket into a sink.
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sink = net.createServer((socket) =>
    socket.on('data', (d: Buffer) => {
      received += d.length;
      if (received >= jar.length) done();
    }),
  );
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const socket = net.connect((sink.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  start = process.hrtime.bigint();
  socket.write(jar);
  await finished;
  const rawMs = ms(start);
  socket.destroy();
  await new Promise<void>((resolve) => sink.close(() => resolve()));

  const mb = jar.length / 1e6;
  process.stdout.write(
    `upload ${mb.toFixed(0)} MB to the fake Nimbus: ${(mb / (thriftMs / 1000)).toFixed(0)} MB/s (${Math.ceil(jar.length / (256 * 1024))} chunks of 256 KiB) | ` +
      `baseline raw loopback TCP ${(mb / (rawMs / 1000)).toFixed(0)} MB/s\n`,
  );
}

try {
  await packageFigures('wordcount');
  await packageFigures('rolling-top-words');
  await uploadFigures();
} finally {
  rmSync(work, { recursive: true, force: true });
}
