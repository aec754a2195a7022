/**
 * `squall init`: scaffolds a runnable project (topology.yaml, one spout, two bolts, a test,
 * package.json, tsconfig.json) from core/project/templates/basic.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SquallError } from '../common/errors.js';
import { forbiddenNameCharacter, legalTopologyName } from '../common/topology/topology-name.js';
import { makeFolders, removeCreated, writeProjectFile, type CreatedPaths } from './project-folder.js';

/** Options of initProject. */
export interface InitOptions {
  /** Topology name; defaults to the folder's name made legal for Storm. */
  name?: string;
}

/** What initProject created. */
export interface InitResult {
  dir: string;
  name: string;
  /** Created files, relative to dir, sorted. */
  files: string[];
}

const TEMPLATE_DIR = fileURLToPath(new URL('./templates/basic/', import.meta.url));
/** Root of this Squall checkout: the project's package.json points its `squall` dependency here. */
const SQUALL_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Creates a new project in `dir` (which must not exist or be empty). Fails with a SquallError
 * naming the path and the reason when it cannot be created; what it created by then is removed.
 */
export async function initProject(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const absolute = path.resolve(dir);
  await ensureEmptyFolder(absolute, dir);
  const name = options.name ?? legalTopologyName(path.basename(absolute));
  checkName(name, options.name !== undefined);
  const created: CreatedPaths = { folders: [], files: [] };
  const files: string[] = [];
  const write = async (relative: string, content: string): Promise<void> => {
    const target = path.join(absolute, relative);
    await makeFolders(path.dirname(target), dir, created);
    await writeProjectFile(target, content, dir, created);
    files.push(relative.split(path.sep).join('/'));
  };
  try {
    await makeFolders(absolute, dir, created);
    for (const template of await templateFiles(TEMPLATE_DIR)) {
      const text = await readFile(path.join(TEMPLATE_DIR, template), 'utf8');
      const relative = template.replace(/\.tmpl$/, '').replace(/^gitignore$/, '.gitignore');
      await write(relative, text.replaceAll('{{name}}', name));
    }
    await write('package.json', `${JSON.stringify(packageJson(name, absolute), null, 2)}\n`);
    await write('tsconfig.json', `${JSON.stringify(tsconfigJson(absolute), null, 2)}\n`);
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
  return { dir: absolute, name, files: files.sort() };
}

function checkName(name: string, given: boolean): void {
  const bad = forbiddenNameCharacter(name);
  if (!name || bad) {
    throw new SquallError('usage', bad ? `topology name '${name}' contains '${bad}', which Storm does not allow` : 'the topology name is empty', {}, given ? `pass another --name, e.g. --name ${legalTopologyName(name)}` : 'pass --name <name>');
  }
}

async function ensureEmptyFolder(absolute: string, shown: string): Promise<void> {
  let info;
  try {
    info = await stat(absolute);
  } catch {
    return; // missing (or unreachable): makeFolders creates it or says why it cannot
  }
  if (!info.isDirectory()) throw new SquallError('usage', `${shown} exists and is not a folder`, {}, 'choose a new folder name for the project');
  const entries = await readdir(absolute).catch((error: NodeJS.ErrnoException) => {
    throw new SquallError('io', `cannot read the folder ${shown} (${error.code ?? error.message})`, {}, 'choose a folder you can read and write');
  });
  if (entries.length > 0) {
    throw new SquallError('usage', `${shown} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); squall init only writes into a new or empty folder`, {}, 'choose a new folder, or empty this one first');
  }
}

async function templateFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await templateFiles(root, relative)));
    else out.push(relative);
  }
  return out;
}

/** Posix path from the project to Squall, for package.json and tsconfig.json. */
function squallPathFrom(project: string): string {
  const relative = path.relative(project, SQUALL_ROOT).split(path.sep).join('/') || '.';
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function packageJson(name: string, project: string): Record<string, unknown> {
  return {
    name: name.toLowerCase().replace(/[^a-z0-9-_~]+/g, '-'),
    private: true,
    type: 'module',
    scripts: {
      validate: 'squall validate topology.yaml',
      describe: 'squall describe topology.yaml',
      start: 'squall run topology.yaml',
      test: 'vitest run',
    },
    // Only needed for editors and `npm test`: squall's own commands resolve 'squall' themselves.
    dependencies: { squall: `file:${squallPathFrom(project)}` },
    devDependencies: { typescript: '^6.0.3', vitest: '^4.1.12' },
  };
}

function tsconfigJson(project: string): Record<string, unknown> {
  const squall = squallPathFrom(project);
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      verbatimModuleSyntax: true,
      // Lets an editor resolve 'squall' before (or without) `npm install`.
      paths: {
        squall: [`${squall}/core/component/index.ts`],
        'squall/testing': [`${squall}/core/testing/index.ts`],
        // The scaffolded test's types, from Squall's own install, until the project has one.
        vitest: [`${squall}/node_modules/vitest/dist/index.d.ts`],
      },
      typeRoots: [`${squall}/node_modules/@types`, './node_modules/@types'],
      types: ['node'],
    },
    include: ['components', 'test'],
  };
}
