// The `ts` and `js` code blocks of the repository's READMEs and of `docs/`, with the marker
// before each.
//
// Every such block is one of three kinds, chosen by an HTML comment on the line just before its
// opening fence (invisible on a rendered page):
//
//   <!-- app: <name> <file> -->   a file of a whole app that scripts/consumer.test.ts builds
//                                 from the packed packages, starts and signs in to
//   <!-- fragment: <why> -->      a sketch that does not compile on its own (say why)
//   (no marker)                   a module that compiles as it stands (strict, nodenext)
//
// scripts/readme-blocks.test.ts type-checks every block that is not a fragment against the
// source; the consumer test type-checks them again against the installed tarballs.
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type BlockMarker =
  | { kind: 'app'; app: string; file: string }
  | { kind: 'fragment'; reason: string }
  | { kind: 'module' };

export interface ReadmeBlock {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: 'ts' | 'js';
  marker: BlockMarker;
  code: string;
}

/** A marker that does not parse; reported by the test rather than thrown. */
export interface MarkerProblem {
  readme: string;
  line: number;
  problem: string;
}

export const repositoryRoot = new URL('..', import.meta.url).pathname;

/** Every `.md` file under `dir` (recursively), sorted; none when `dir` does not exist. */
function markdownUnder(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // no such folder
  }
  return entries
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return markdownUnder(path);
      return entry.name.endsWith('.md') ? [path] : [];
    })
    .sort();
}

/** The Markdown files whose blocks are checked: the READMEs (root, packages) and `docs/**`. */
export function readmePaths(root = repositoryRoot): string[] {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, 'packages', entry.name, 'README.md'));
  return [
    join(root, 'README.md'),
    ...packages,
    join(root, 'testing', 'README.md'),
    ...markdownUnder(join(root, 'docs')),
  ].filter((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false; // a package without a README: the packaging test says so
    }
  });
}

const fence = /^```(\w+)?\s*$/;
const markerPattern = /^<!--\s*(app|fragment)\b:?\s*(.*?)\s*-->\s*$/;

function parseMarker(line: string | undefined): BlockMarker | string | undefined {
  const match = line === undefined ? null : markerPattern.exec(line.trim());
  if (!match) return undefined;
  const [, kind, rest = ''] = match;
  if (kind === 'fragment') {
    return rest ? { kind: 'fragment', reason: rest } : 'a fragment marker must say why';
  }
  const [app, file, ...extra] = rest.split(/\s+/);
  if (!app || !file || extra.length > 0) return 'write `<!-- app: <name> <file> -->`';
  return { kind: 'app', app, file };
}

/** Every `ts`/`js` block of the given READMEs, and the markers that did not parse. */
export function readmeBlocks(paths = readmePaths(), root = repositoryRoot) {
  const blocks: ReadmeBlock[] = [];
  const problems: MarkerProblem[] = [];
  for (const path of paths) {
    const readme = relative(root, path);
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let index = 0; index < lines.length; index++) {
      const open = fence.exec(lines[index]!);
      if (!open) continue;
      const close = lines.findIndex((line, i) => i > index && /^```\s*$/.test(line));
      if (close === -1) {
        problems.push({ readme, line: index + 1, problem: 'unclosed code block' });
        break;
      }
      const rawLang = open[1] ?? '';
      const lang = ({ ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' } as const)[
        rawLang as 'ts'
      ];
      const marker = parseMarker(lines[index - 1]);
      if (typeof marker === 'string') problems.push({ readme, line: index, problem: marker });
      else if (lang) {
        blocks.push({
          readme,
          line: index + 1,
          lang,
          marker: marker ?? { kind: 'module' },
          code: `${lines.slice(index + 1, close).join('\n')}\n`,
        });
      } else if (marker) {
        problems.push({ readme, line: index, problem: `a marker before a \`${rawLang}\` block` });
      } else if (/^(mjs|cjs|tsx|mts|cts|jsx)$/.test(rawLang)) {
        problems.push({
          readme,
          line: index + 1,
          problem: `write \`ts\` or \`js\`, not ${rawLang}`,
        });
      }
      index = close;
    }
  }
  return { blocks, problems };
}

/** A file name for a block that is checked as a module of its own. */
export function moduleFileName(block: ReadmeBlock): string {
  const base =
    block.readme
      .replace(/\/?README\.md$/, '')
      .replace(/\.md$/, '')
      .replaceAll('/', '-') || 'root';
  return `${base}-line-${block.line}.${block.lang === 'ts' ? 'ts' : 'cjs'}`;
}

/** The blocks that make up each consumer app: app name → file → source. */
export function appSources(blocks: ReadmeBlock[]): Map<string, Map<string, string>> {
  const apps = new Map<string, Map<string, string>>();
  for (const block of blocks) {
    if (block.marker.kind !== 'app') continue;
    const files = apps.get(block.marker.app) ?? new Map<string, string>();
    if (files.has(block.marker.file)) {
      throw new Error(`${block.readme}:${block.line}: ${block.marker.file} given twice`);
    }
    files.set(block.marker.file, block.code);
    apps.set(block.marker.app, files);
  }
  return apps;
}
