// The public API report: every entry point of every published package (its `exports` map), each
// exported name with its kind and signature, as the TypeScript checker sees it from source. The
// report is checked in (`api/*.api.md`); `scripts/api-report.test.ts` fails when the surface
// changes without it, so any change to the public API shows up in review.
//   node --conditions=@logto-kit/source --import tsx scripts/api-report.ts         writes api/
//   node --conditions=@logto-kit/source --import tsx scripts/api-report.ts --check compares
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;

interface EntryPoint {
  /** `@logto-kit/core`, `@logto-kit/core/store`, … */
  name: string;
  /** The report's file name in api/. */
  file: string;
  source: string;
}

export function entryPoints(): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    for (const [subpath, target] of Object.entries<Record<string, string>>(manifest.exports)) {
      const source = target['@logto-kit/source'];
      if (!source) continue;
      const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      entries.push({
        name,
        file: `${name.slice(1).replace('/', '-').replaceAll('/', '-')}.api.md`,
        source: join(root, 'packages', dir, source),
      });
    }
  }
  return entries;
}

const flags =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface && f & ts.SymbolFlags.Variable) return 'const+interface';
  if (f & ts.SymbolFlags.TypeAlias && f & ts.SymbolFlags.Variable) return 'const+type';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  return 'other';
}

function isPublicMember(symbol: ts.Symbol): boolean {
  if (symbol.name.startsWith('#') || symbol.name === 'prototype') return false;
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration) return false;
  const modifiers = ts.getCombinedModifierFlags(declaration);
  const internal = (symbol.declarations ?? []).some((d) =>
    ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'internal'),
  );
  return !(modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !internal;
}

function members(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter(isPublicMember)
    .map((member) => {
      const memberType = checker.getTypeOfSymbolAtLocation(member, at);
      const optional = member.flags & ts.SymbolFlags.Optional ? '?' : '';
      return `  ${member.name}${optional}: ${checker.typeToString(memberType, at, flags)}`;
    })
    .sort();
}

function describe(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const symbol =
    exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declaration = symbol.declarations?.[0];
  if (!declaration) return `${exported.name}: unknown`;
  const kind = kindOf(symbol);
  const lines = [`### ${exported.name} (${kind})`];
  if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    const signatures = type.getCallSignatures();
    if (symbol.flags & ts.SymbolFlags.Function) {
      for (const s of signatures)
        lines.push(`  ${checker.signatureToString(s, declaration, flags)}`);
    } else {
      lines.push(`  ${checker.typeToString(type, declaration, flags)}`);
    }
  }
  if (symbol.flags & ts.SymbolFlags.Class) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    for (const s of type.getConstructSignatures()) {
      const internal =
        s.declaration && ts.getJSDocTags(s.declaration).some((t) => t.tagName.text === 'internal');
      lines.push(
        `  new ${internal ? '(@internal)' : checker.signatureToString(s, declaration, flags)}`,
      );
    }
    lines.push(...members(checker, type, declaration).map((line) => ` static${line}`));
    lines.push(...members(checker, checker.getDeclaredTypeOfSymbol(symbol), declaration));
  } else if (symbol.flags & ts.SymbolFlags.Interface) {
    lines.push(...members(checker, checker.getDeclaredTypeOfSymbol(symbol), declaration));
  } else if (symbol.flags & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    lines.push(
      `  = ${checker.typeToString(type, declaration, flags | ts.TypeFormatFlags.InTypeAlias)}`,
    );
  }
  return lines.join('\n');
}

export function report(entries: EntryPoint[] = entryPoints()): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram(
    entries.map((entry) => entry.source),
    config.options,
  );
  const checker = program.getTypeChecker();
  const reports = new Map<string, string>();
  for (const entry of entries) {
    const file = program.getSourceFile(entry.source);
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`${entry.source} has no module symbol`);
    const exported = checker
      .getExportsOfModule(moduleSymbol)
      .sort((a, b) => a.name.localeCompare(b.name));
    // Types the checker names by file come out as import("<absolute path>"): keep the report
    // the same on every machine.
    const body = exported
      .map((symbol) => describe(checker, symbol))
      .join('\n\n')
      .replaceAll(`import("${root}`, 'import("');
    reports.set(
      entry.file,
      `# ${entry.name}\n\n<!-- Generated by scripts/api-report.ts: ${exported.length} exports. Review changes; do not edit. -->\n\n\`\`\`text\n${body}\n\`\`\`\n`,
    );
  }
  return reports;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const [file, text] of report()) writeFileSync(join(root, 'api', file), text);
  console.log('api/ written');
}
