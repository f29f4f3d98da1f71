/**
 * The GraphQL documents a client's source code sends, found where they are written — every
 * gql`…` template and gql(…) call in the TypeScript and Vue files under the given folders —
 * and validated against the schema. Interpolations (`${FRAGMENT}`) and arguments
 * (gql(TEXT + OTHER)) are followed to the constants they name, in the same file or imported
 * from another, so each document is checked as the client sends it. What cannot be followed
 * is reported, never skipped: a document the check cannot read is a document it cannot vouch for.
 *
 * Test files (*.test.ts, *.spec.ts) are left out: they are not what a client sends.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  NoUnusedFragmentsRule,
  parse,
  print,
  specifiedRules,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import ts from 'typescript';

/** A document as a client sends it. */
export interface ClientDocument {
  /** Where it is written, relative to the folder the search started from. */
  file: string;
  line: number;
  /** The constant it is assigned to, or `file:line`. */
  name: string;
  /** Its text, interpolations filled in. */
  text: string;
}

/** Something the finder could not read, or a document that is not valid. */
export interface DocumentProblem {
  file: string;
  line: number;
  name?: string;
  message: string;
}

/** Where the clients' documents are written: the web client and the examples (relative to the repository). */
export const CLIENT_FOLDERS = ['web/src', 'examples'];

/** Names of the template tag and function that make a document (Apollo's, graphql-tag's, and the example client's own). */
const DOCUMENT_TAGS = new Set(['gql', 'graphql']);
const SOURCE_FILE = /\.(ts|tsx|mts|vue)$/;
const TEST_FILE = /\.(test|spec)\.(ts|tsx|mts)$/;
/** A literal marked as GraphQL text for editors (a GraphQL comment before it): it must end up in a document, or it is sent unchecked. */
const GRAPHQL_MARK = /\/\*\s*GraphQL\s*\*\/\s*$/i;

/** One parsed file: its top-level constants and imports, so names can be followed. */
interface Module {
  file: string;
  source: ts.SourceFile;
  constants: Map<string, ts.Expression>;
  imports: Map<string, { from: string; name: string }>;
}

class CannotFollow extends Error {
  constructor(
    readonly node: ts.Node,
    readonly module: Module,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every document in the source files under `folders` (relative to `root`), and whatever
 * could not be followed. Folders that do not exist contribute nothing.
 */
export function findDocuments(root: string, folders: string[]): { documents: ClientDocument[]; problems: DocumentProblem[] } {
  const modules = new Map<string, Module | null>();
  const load = (file: string): Module | null => {
    if (!modules.has(file)) modules.set(file, readModule(file));
    return modules.get(file)!;
  };
  const documents: ClientDocument[] = [];
  const problems: DocumentProblem[] = [];
  const used = new Set<ts.Node>();
  const marked: { node: ts.Node; module: Module }[] = [];
  const relative = (file: string) => path.relative(root, file);
  const lineOf = (module: Module, node: ts.Node) => module.source.getLineAndCharacterOfPosition(node.getStart(module.source)).line + 1;

  for (const file of folders.flatMap((folder) => sourceFiles(path.join(root, folder)))) {
    const module = load(file);
    if (!module) continue;
    const visit = (node: ts.Node): void => {
      if (isGraphQLMarked(node, module.source)) marked.push({ node, module });
      const site = documentSite(node);
      if (site) {
        const line = lineOf(module, node);
        const name = declaredName(node) ?? `${relative(file)}:${line}`;
        try {
          documents.push({ file: relative(file), line, name, text: textOf(site, module, load, used, new Set()) });
        } catch (error) {
          if (!(error instanceof CannotFollow)) throw error;
          problems.push({ file: relative(error.module.file), line: lineOf(error.module, error.node), name, message: error.message });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(module.source);
  }
  for (const { node, module } of marked) {
    if (used.has(node)) continue;
    problems.push({
      file: relative(module.file),
      line: lineOf(module, node),
      message: 'GraphQL text that no gql document uses: it cannot be checked. Build the document that sends it with gql.',
    });
  }
  return { documents, problems };
}

/**
 * The problems of each document against `schema`: GraphQL's own rules and `rules` for
 * documents with operations; a document of fragments only is checked without the rule that
 * wants each fragment used (its users are documents of their own).
 */
export function validateDocuments(schema: GraphQLSchema, documents: ClientDocument[], rules: readonly ValidationRule[] = []): DocumentProblem[] {
  return documents.flatMap(({ file, line, name, text }) => {
    let document: DocumentNode;
    try {
      document = withoutRepeatedFragments(parse(text));
    } catch (error) {
      return [{ file, line, name, message: (error as GraphQLError).message }];
    }
    const operations = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const checks = operations ? [...specifiedRules, ...rules] : specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
    return validate(schema, document, checks).map((error) => ({ file, line, name, message: error.message }));
  });
}

/**
 * A fragment interpolated twice (directly and through another fragment) appears twice in
 * the joined text; Apollo's gql keeps one copy when they are the same, and so does this.
 */
function withoutRepeatedFragments(document: DocumentNode): DocumentNode {
  const seen = new Map<string, string>();
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const printed = print(definition);
      if (seen.get(definition.name.value) === printed) continue;
      seen.set(definition.name.value, printed);
    }
    definitions.push(definition);
  }
  return { ...document, definitions };
}

function sourceFiles(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.sort().flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) return [];
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return SOURCE_FILE.test(entry) && !TEST_FILE.test(entry) && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

function readModule(file: string): Module | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (file.endsWith('.vue')) {
    // Only the <script> blocks, each on the lines it has in the file, so that line numbers stay true.
    const blocks = [...text.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/g)];
    if (blocks.length === 0) return null;
    const lines = text.split('\n').map(() => '');
    for (const block of blocks) {
      const start = text.slice(0, block.index! + block[1]!.length).split('\n').length - 1;
      block[2]!.split('\n').forEach((line, i) => (lines[start + i] = line));
    }
    text = lines.join('\n');
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const constants = new Map<string, ts.Expression>();
  const imports = new Map<string, { from: string; name: string }>();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) constants.set(declaration.name.text, declaration.initializer);
      }
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          imports.set(element.name.text, { from: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text });
        }
      }
    }
  }
  return { file, source, constants, imports };
}

/** The expression holding a document's text, when `node` makes a document. */
function documentSite(node: ts.Node): ts.Expression | null {
  if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && DOCUMENT_TAGS.has(node.tag.text)) return node.template;
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'gql' && node.arguments.length === 1) return node.arguments[0]!;
  return null;
}

/** The name of the constant a document is assigned to (through `as`, `satisfies` and the like). */
function declaredName(node: ts.Node): string | null {
  let parent = node.parent;
  while (parent && (ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isParenthesizedExpression(parent))) parent = parent.parent;
  return parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : null;
}

function isGraphQLMarked(node: ts.Node, source: ts.SourceFile): boolean {
  if (!ts.isNoSubstitutionTemplateLiteral(node) && !ts.isTemplateExpression(node) && !ts.isStringLiteral(node)) return false;
  return GRAPHQL_MARK.test(source.text.slice(node.getFullStart(), node.getStart(source)));
}

/** The text an expression makes, following names to their constants. */
function textOf(node: ts.Expression, module: Module, load: (file: string) => Module | null, used: Set<ts.Node>, following: Set<string>): string {
  used.add(node);
  const inner = (expression: ts.Expression, within = module) => textOf(expression, within, load, used, following);
  if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => inner(span.expression) + span.literal.text).join('');
  if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && DOCUMENT_TAGS.has(node.tag.text)) return inner(node.template);
  if (ts.isCallExpression(node) && documentSite(node)) return inner(node.arguments[0]!);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return inner(node.left) + inner(node.right);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) return inner(node.expression);
  if (ts.isIdentifier(node)) {
    const key = `${module.file}#${node.text}`;
    if (following.has(key)) throw new CannotFollow(node, module, `\`${node.text}\` refers to itself`);
    following.add(key);
    try {
      const constant = module.constants.get(node.text);
      if (constant) return inner(constant);
      const imported = module.imports.get(node.text);
      const target = imported && resolveImport(module.file, imported.from);
      const other = target ? load(target) : null;
      const exported = other && imported ? other.constants.get(imported.name) : undefined;
      if (other && exported) return inner(exported, other);
      throw new CannotFollow(node, module, `cannot follow \`${node.text}\` to a constant of this file or of a relative import`);
    } finally {
      following.delete(key);
    }
  }
  throw new CannotFollow(node, module, `cannot read \`${node.getText(module.source).slice(0, 60)}\` as GraphQL text: use string constants, templates, + and gql`);
}

/** The file a relative import names (`./x`, `./x.js` written for `./x.ts`), or null for a package. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, base.replace(/\.(m?js)$/, '.ts'), `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.vue`, path.join(base, 'index.ts')];
  return candidates.find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  }) ?? null;
}
