/** Writes a small topology project into a temp folder: a spout, a bolt, and whatever extras a test asks for. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FixtureOptions {
  node?: string;
  manifest?: string;
  setup?: { name: 'setup.sh' | 'setup.mjs'; text: string };
  files?: Record<string, string | Buffer>;
  dependencies?: Record<string, string>;
}

/** Returns the topology file path; the folder is its dirname (remove it when done). */
export function writeFixtureProject(options: FixtureOptions = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'squall-package-'));
  const files: Record<string, string | Buffer> = {
    'package.json': JSON.stringify({ name: 'fixture-topology', private: true, type: 'module', dependencies: options.dependencies ?? {} }),
    'topology.yaml': [
      'name: numbers',
      options.node ? `node: "${options.node}"` : '',
      'spouts:',
      '  numbers:',
      '    script: components/numbers.ts',
      'bolts:',
      '  double:',
      '    script: components/double.ts',
      '    parallelism: 2',
      '    inputs:',
      '      - source: numbers',
      '        grouping: shuffle',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
    'components/numbers.ts': [
      "import { Spout } from 'squall';",
      'export default class Numbers extends Spout {',
      "  static outputs = { default: ['n'] };",
      '  private n = 0;',
      '  nextTuple(): void {',
      '    this.emit([this.n++]);',
      '  }',
      '}',
    ].join('\n'),
    'components/double.ts': [
      "import { BasicBolt, type Tuple } from 'squall';",
      'export default class Double extends BasicBolt {',
      "  static outputs = { default: ['n', 'twice'] };",
      '  process(tuple: Tuple): void {',
      '    const n = tuple.values[0] as number;',
      '    this.emit([n, n * 2]);',
      '  }',
      '}',
    ].join('\n'),
    ...(options.manifest !== undefined ? { 'manifest.txt': options.manifest } : {}),
    ...(options.setup ? { [options.setup.name]: options.setup.text } : {}),
    ...options.files,
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return path.join(dir, 'topology.yaml');
}
