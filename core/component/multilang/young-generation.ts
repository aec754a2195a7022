import v8 from 'node:v8';

/**
 * Keeps a task's young generation at V8's initial size. A busy component allocates many
 * short-lived objects (messages, tuples); V8 then grows its semi-spaces up to 16 MB each,
 * which is resident memory in every task for little gain: survivors of a multilang round trip
 * are few. Storm starts `node <script>` with no flags, so the setting comes from the script;
 * the growth factor is read each time V8 considers growing, so setting it at start works.
 * A `--max-semi-space-size` or growth factor given on the command line or in NODE_OPTIONS wins.
 */
export function holdYoungGeneration(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi[-_]space/.test(given)) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
