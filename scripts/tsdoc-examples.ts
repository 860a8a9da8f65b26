// Type-checks the TSDoc `@example` blocks of the published source (packages/*/src, tests
// excluded). Each example becomes a virtual module beside its source file:
//
//   import { <the package root's exports> } from '<package>';
//   import { <the module's own exports> } from './<module>.js';
//   <the example's own import lines>
//   declare const web: LogtoWeb; …   (names it uses but never declares; see `conventions`)
//   export async function example(): Promise<void> { <the example> }
//
// A name the example uses but never declares is declared with the type that name has across
// our docs (`client` is a LogtoClient, `web` a LogtoWeb, …), so a wrong method name or argument
// count is an error; any other such name (`req`, `res`, `next`, `error`) is `any`. An example
// that cannot be checked says so with `@example` followed by `(not checked: <why>)`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { repositoryRoot as root } from './readme-blocks.js';

/** Names examples use without declaring them, with the type they stand for. */
export const conventions: Record<string, { type: string; from: string }> = {
  client: { type: 'LogtoClient', from: '@logto-kit/core' },
  web: { type: 'LogtoWeb', from: '@logto-kit/core' },
  request: { type: 'LogtoRequest', from: '@logto-kit/core' },
  storage: { type: 'Storage', from: '@logto-kit/core' },
  store: { type: 'SessionStore', from: '@logto-kit/core/store' },
  idp: { type: 'DevServer', from: '@logto-kit/dev-server' },
  manager: { type: 'SessionManager', from: '@logto-kit/core/store' },
};

/** Where a name means something else: a Web `Request` in session code, a Redis client in redis. */
const conventionsIn: Record<string, Record<string, { type: string; from: string }>> = {
  'packages/core/src/session/': { request: { type: 'Request', from: '' } },
  'packages/redis/src/': { client: { type: 'RedisClientLike', from: '@logto-kit/redis' } },
  'packages/next/src/': { web: { type: "import('@logto-kit/core').LogtoWeb<Request>", from: '' } },
};

/** Framework names examples use as the framework's own, imported when used but not declared. */
const frameworkImports: Record<string, string> = {
  express: "import express from 'express';",
  Hono: "import { Hono } from 'hono';",
  Context: "import type { Context } from 'hono';",
  HTTPException: "import { HTTPException } from 'hono/http-exception';",
};
/** `app` is the framework's app in an adapter package's examples. */
const appTypes: Record<string, string> = {
  '@logto-kit/express': "import type { Express as __app_type } from 'express';",
  '@logto-kit/fastify': "import type { FastifyInstance as __app_type } from 'fastify';",
  '@logto-kit/hono':
    "import type { Hono as __hono } from 'hono';\nimport type { LogtoEnv as __env } from '@logto-kit/hono';\ntype __app_type = __hono<__env>;",
  '@logto-kit/redis': "import type { Express as __app_type } from 'express';",
};

export interface TsdocExample {
  /** Source file, relative to the repository root. */
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  code: string;
  /** Why it is not checked, when it says so. */
  unchecked?: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

export function publishedSourceFiles(): string[] {
  return readdirSync(join(root, 'packages')).flatMap((name) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    return manifest.private ? [] : sourceFiles(join(root, 'packages', name, 'src'));
  });
}

/** Every `@example` in the TSDoc comments of a file. */
export function examplesOf(path: string): TsdocExample[] {
  const text = readFileSync(path, 'utf8');
  const examples: TsdocExample[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = comment[0]
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''));
    const startLine = text.slice(0, comment.index).split('\n').length;
    for (let i = 0; i < lines.length; i++) {
      const tag = /^@example\b\s*(.*)$/.exec(lines[i]!.trim());
      if (!tag) continue;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^@\w/.test(lines[j]!.trim()); j++) body.push(lines[j]!);
      const code = body
        .filter((line) => !/^\s*```/.test(line))
        .join('\n')
        .trim();
      const unchecked = /^\(not checked: (.+)\)$/.exec(tag[1] ?? '')?.[1];
      examples.push({
        file: relative(root, path),
        line: startLine + i,
        code,
        ...(unchecked ? { unchecked } : {}),
      });
      i = j - 1;
    }
  }
  return examples;
}

function packageOf(path: string): { name: string; dir: string } {
  let dir = dirname(path);
  while (!readdirSync(dir).includes('package.json')) dir = dirname(dir);
  return { name: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir };
}

/** Type-checks every example; returns "file:line: message" per error. */
export function checkExamples(examples: TsdocExample[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.json does not parse');
  const options: ts.CompilerOptions = {
    ...config.options,
    noUnusedLocals: false,
    noUnusedParameters: false,
    noImplicitReturns: false,
    // The prelude imports types and values alike.
    verbatimModuleSyntax: false,
    isolatedModules: false,
    noEmit: true,
  };
  const checked = examples.filter((example) => !example.unchecked);

  // The exports of each source module and package root, from one program over the sources.
  const base = ts.createProgram(
    [...new Set(checked.map((example) => join(root, example.file)))],
    options,
  );
  const checker = base.getTypeChecker();
  const exportsOf = (fileName: string): string[] => {
    const source = base.getSourceFile(fileName);
    const symbol = source && checker.getSymbolAtLocation(source);
    return symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()) : [];
  };
  const rootExports = new Map<string, string[]>();

  const virtual = new Map<string, { example: TsdocExample; prelude: number }>();
  const texts = new Map<string, string>();
  const build = (undeclared: Map<string, Set<string>>) => {
    texts.clear();
    virtual.clear();
    checked.forEach((example, index) => {
      const source = join(root, example.file);
      const pkg = packageOf(source);
      if (!rootExports.has(pkg.name))
        rootExports.set(pkg.name, exportsOf(join(pkg.dir, 'src/index.ts')));
      const own = example.code.split('\n').filter((line) => /^import\s/.test(line));
      const body = example.code.split('\n').filter((line) => !/^import\s/.test(line));
      const imported = new Set(
        own.flatMap((line) => [...line.matchAll(/\b(\w+)\b/g)].map((m) => m[1]!)),
      );
      const fromRoot = (rootExports.get(pkg.name) ?? []).filter((name) => !imported.has(name));
      const fromModule = exportsOf(source).filter(
        (name) => !imported.has(name) && !fromRoot.includes(name),
      );
      const names = [...(undeclared.get(`${index}`) ?? [])];
      const local = Object.entries(conventionsIn)
        .filter(([prefix]) => example.file.startsWith(prefix))
        .reduce((all, [, more]) => Object.assign(all, more), { ...conventions });
      const typed = names.filter((name) => local[name]);
      const framework = names.filter((name) => frameworkImports[name]);
      const app = names.includes('app') && appTypes[pkg.name];
      const prelude = [
        `import { ${fromRoot.join(', ')} } from '${pkg.name}';`,
        fromModule.length && !source.endsWith('index.ts')
          ? `import { ${fromModule.join(', ')} } from './${source.slice(source.lastIndexOf('/') + 1).replace(/\.ts$/, '.js')}';`
          : '',
        ...own,
        ...typed.map((name) => {
          const { type, from } = local[name]!;
          return from
            ? `import type { ${type} as __${name}_type } from '${from}';\ndeclare let ${name}: __${name}_type;`
            : `declare let ${name}: ${type};`;
        }),
        ...framework.map((name) => frameworkImports[name]!),
        ...(app ? [app, 'declare const app: __app_type;'] : []),
        ...names
          .filter((name) => !local[name] && !frameworkImports[name] && !(name === 'app' && app))
          .map((name) => `declare let ${name}: any;\ntype ${name} = any;`),
        'export async function __example() {',
      ].join('\n');
      const fileName = join(dirname(source), `__example_${index}.ts`);
      texts.set(fileName, `${prelude}\n${body.join('\n')}\n}\n`);
      virtual.set(fileName, { example, prelude: prelude.split('\n').length });
    });
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
    host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
    host.getSourceFile = (name, version, ...rest) =>
      texts.has(name)
        ? ts.createSourceFile(name, texts.get(name)!, version)
        : getSourceFile.call(host, name, version, ...rest);
    const program = ts.createProgram([...texts.keys()], options, host, base);
    return [...texts.keys()].flatMap((name) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(name)).map((diagnostic) => ({
        index: [...texts.keys()].indexOf(name),
        name,
        diagnostic,
      })),
    );
  };

  // Pass 1 finds the names each example uses but never declares; pass 2 declares them.
  const undeclared = new Map<string, Set<string>>();
  for (const { index, diagnostic } of build(undeclared)) {
    const match =
      /^(?:Cannot find name|No value exists in scope for the shorthand property) '(\w+)'/.exec(
        ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      );
    if (!match) continue;
    const names = undeclared.get(`${index}`) ?? new Set<string>();
    names.add(match[1]!);
    undeclared.set(`${index}`, names);
  }
  // A parameter of a callback given to an undeclared (so `any`) function is implicitly `any`.
  const consequence = new Set([7006, 7031]);
  return build(undeclared)
    .filter(({ diagnostic }) => !consequence.has(diagnostic.code))
    .map(({ name, diagnostic }) => {
      const { example, prelude } = virtual.get(name)!;
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      const where = line >= prelude ? `example line ${line - prelude + 1}` : 'prelude';
      return `${example.file}:${example.line} (${where}): TS${diagnostic.code} ${text}`;
    });
}
