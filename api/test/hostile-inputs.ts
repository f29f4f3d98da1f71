/**
 * Hostile values for every argument of every query and mutation, generated from the schema:
 * each argument, each field of an input object and each element of a list gets, one at a
 * time, values a careless or malicious client could send, the rest staying valid. An argument
 * or input field added to the schema is covered without touching this file; a new required
 * one needs a valid value (see `HostileContext.valid`), and the cases say so when it has none.
 */
import { randomUUID } from 'node:crypto';
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isScalarType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputField, type GraphQLInputType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';

/** What the values of one run depend on: who calls, what exists, what is valid. */
export interface HostileContext {
  /** The caller's own user id. */
  selfId: string;
  /** Ids of things that exist but are not the caller's to use: a conversation, a message, a user and a session. */
  foreign: Record<(typeof FOREIGN_KINDS)[number], string>;
  /**
   * A valid value for a position, by its coordinate (`Mutation.sendMessage.input.body`) or its
   * name (`body`); undefined when there is none, which is fine only where the schema allows leaving it out.
   */
  valid(coordinate: string, name: string): unknown;
}

type Value = (ctx: HostileContext) => unknown;

export interface HostileCase {
  /** `Query.messages`, `Mutation.sendMessage`, … */
  operation: string;
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  /** The argument the hostile value goes into. */
  argument: GraphQLArgument;
  /** Where inside it: `input.body`, `cursors[0].seq`, … */
  path: string;
  /** The type of that position. */
  positionType: GraphQLInputType;
  variant: string;
  /** The value holds a NUL, which no string input may (PostgreSQL refuses it in text). */
  nul: boolean;
  variables(ctx: HostileContext): Record<string, unknown>;
  /** The same request with the id spelt as the API spells it: it must be answered alike. */
  canonical?: (ctx: HostileContext) => Record<string, unknown>;
}

interface Variant {
  path: string;
  type: GraphQLInputType;
  name: string;
  value: Value;
  nul?: boolean;
  canonical?: Value;
}

/** A variant before it is placed at a position. */
type Unplaced = Omit<Variant, 'path' | 'type'>;

export const FOREIGN_KINDS = ['conversation', 'message', 'user', 'session'] as const;
const NOTHING = randomUUID();

/** A character and a variation selector: class-validator counts it as one character, PostgreSQL as two. */
const hearts = (n: number) => '\u2764\uFE0F'.repeat(n);

const NUL_STRINGS: Unplaced[] = [
  { name: 'a NUL', value: () => 'nul\u0000here', nul: true },
  { name: 'only a NUL', value: () => '\u0000', nul: true },
];

/** Text that is not what it looks like, too much of it, or none. */
const ODD_TEXT: Unplaced[] = [
  ...NUL_STRINGS,
  { name: 'a lone high surrogate', value: () => 'lone \uD800 high' },
  { name: 'a lone low surrogate', value: () => 'lone \uDC00 low' },
  { name: 'a surrogate pair reversed', value: () => '\uDE00\uD83D' },
  { name: '100 KB', value: () => 'x'.repeat(100_000) },
  { name: 'empty', value: () => '' },
  { name: 'whitespace only', value: () => ' \t\n\r\u00A0\u3000 ' },
];

/** Characters that mean something to LIKE, tsquery, SQL or Markdown. */
const SPECIAL_TEXT: Unplaced[] = [
  { name: 'LIKE wildcards', value: () => '%_%' },
  { name: 'a lone backslash', value: () => '\\' },
  { name: 'a trailing backslash', value: () => 'abc\\' },
  { name: 'quotes', value: () => `'"\`` },
  { name: 'tsquery operators', value: () => "!(a & b) | c:* <-> 'd'" },
  { name: 'every special character', value: () => "%_\\&|!:*()'\"<>-@#;" },
  { name: 'an unbalanced quote', value: () => '"unbalanced' },
  { name: 'a lone minus', value: () => '-' },
  { name: 'SQL', value: () => "'; DROP TABLE users; --" },
  ...[64, 128, 500].map((n) => ({ name: `${n} hearts with variation selectors`, value: () => hearts(n) })),
];

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Cursors this API never gave out (it gives base64url of `[ISO time, uuid]`). */
const BAD_CURSORS: Unplaced[] = [
  ['not base64', '!!!'],
  ['base64 of garbage', b64('garbage')],
  ['base64 of null', b64(null)],
  ['base64 of a number', b64(42)],
  ['base64 of an object', b64({ at: 0 })],
  ['a time and an id of only dashes', b64(['2024-01-01T00:00:00.000Z', '-'.repeat(36)])],
  ['the year 0', b64(['0000-01-01T00:00:00.000Z', NOTHING])],
  ['a year before PostgreSQL\'s range', b64(['-271821-04-20T00:00:00.000Z', NOTHING])],
  ['the last time JavaScript knows', b64([8.64e15, NOTHING])],
  ['a time as a number', b64([0, NOTHING])],
  ['a date without a time', b64(['2024-01-01', NOTHING])],
  ['an id in capitals', b64(['2024-01-01T00:00:00.000Z', NOTHING.toUpperCase()])],
].map(([name, value]) => ({ name: `a cursor: ${name}`, value: () => value }));

const INTS: Unplaced[] = [
  ['the largest Int (2^31-1)', 2 ** 31 - 1],
  ['the smallest Int (-2^31)', -(2 ** 31)],
  ['-1', -1],
  ['0', 0],
  ['2^31 (past Int)', 2 ** 31],
  ['2^53 + 1', 2 ** 53 + 1],
  ['1.5', 1.5],
  ['a string', '1'],
].map(([name, value]) => ({ name: String(name), value: () => value }));

/** For a scalar of our own (a date, JSON): values no parser should let through to the database. */
const ODD_SCALARS: Unplaced[] = [
  ...NUL_STRINGS,
  ...([
    ['empty', ''],
    ['not a date', 'not a date'],
    ['the year 0', '0000-01-01T00:00:00Z'],
    ['a year past PostgreSQL\'s range', '+275760-09-13T00:00:00.000Z'],
    ['the last time JavaScript knows, as a number', 8.64e15],
    ['an object', { a: 1 }],
    ['a list', [1]],
  ] as const).map(([name, value]) => ({ name, value: () => value })),
];

function idVariants(base: Value): Unplaced[] {
  return [
    ...ODD_TEXT,
    { name: 'not a UUID', value: () => 'not-an-id' },
    { name: 'a UUID of nothing', value: () => NOTHING },
    { name: 'the nil UUID', value: () => '00000000-0000-0000-0000-000000000000' },
    { name: 'the max UUID', value: () => 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
    { name: 'a UUID in braces', value: () => `{${NOTHING}}` },
    { name: 'a UUID without dashes', value: () => NOTHING.replace(/-/g, '') },
    { name: 'a UUID and a space', value: () => `${NOTHING} ` },
    { name: 'an Int', value: () => 123 },
    ...FOREIGN_KINDS.map((kind) => ({ name: `another's ${kind} id`, value: (ctx: HostileContext) => ctx.foreign[kind] })),
    { name: "the caller's own user id", value: (ctx) => ctx.selfId },
    { name: "the caller's own user id in capitals", value: (ctx) => ctx.selfId.toUpperCase(), canonical: (ctx) => ctx.selfId },
    { name: 'the valid id in capitals', value: (ctx) => (base(ctx) as string | undefined)?.toUpperCase() },
  ];
}

function scalarVariants(name: string, base: Value, hint: string): Unplaced[] {
  switch (name) {
    case 'String':
      return [...ODD_TEXT, ...SPECIAL_TEXT, ...(/cursor/i.test(hint) ? BAD_CURSORS : [])];
    case 'ID':
      return idVariants(base);
    case 'Int':
      return INTS;
    case 'Float':
      return [{ name: '1e308', value: () => 1e308 }, { name: 'a string', value: () => '1.5' }];
    case 'Boolean':
      return [{ name: 'the string "true"', value: () => 'true' }, { name: 'the number 1', value: () => 1 }];
    default:
      return ODD_SCALARS;
  }
}

/** The valid value of a position: given by the context, else built from its required parts, else left out. */
function baselineOf(type: GraphQLInputType, coordinate: string, name: string, optional: boolean): Value {
  return (ctx) => {
    const given = ctx.valid(coordinate, name);
    if (given !== undefined) return given;
    if (optional || !isNonNullType(type)) return undefined;
    const inner = type.ofType;
    if (isListType(inner)) return [];
    if (isInputObjectType(inner)) {
      const fields = Object.values(inner.getFields()).map((f) => [f.name, baselineOf(f.type, `${coordinate}.${f.name}`, f.name, f.defaultValue !== undefined)(ctx)]);
      return Object.fromEntries(fields.filter(([, value]) => value !== undefined));
    }
    throw new Error(`No valid value for ${coordinate}: give one in the context's valid().`);
  };
}

function variantsOf(type: GraphQLInputType, path: string, coordinate: string, position: GraphQLArgument | GraphQLInputField, base: Value): Variant[] {
  const at = { path, type };
  if (isNonNullType(type)) {
    return [...variantsOf(type.ofType, path, coordinate, position, base), { ...at, name: 'null', value: () => null }];
  }
  if (isListType(type)) {
    const itemBase: Value = (ctx) => (base(ctx) as unknown[] | undefined)?.[0];
    const copies = (n: number) => (ctx: HostileContext) => Array.from({ length: n }, () => itemBase(ctx));
    return [
      { ...at, name: 'an empty list', value: () => [] },
      { ...at, name: 'a single value instead of a list', value: itemBase },
      { ...at, name: '999 copies of the valid element', value: copies(999) },
      { ...at, name: '10,001 copies of the valid element', value: copies(10_001) },
      ...(getNamedType(type).name === 'ID'
        ? [
            { ...at, name: '999 UUIDs of nothing', value: () => Array.from({ length: 999 }, () => randomUUID()) },
            { ...at, name: '10,001 UUIDs of nothing', value: () => Array.from({ length: 10_001 }, () => randomUUID()) },
          ]
        : []),
      ...variantsOf(type.ofType, `${path}[0]`, coordinate, position, itemBase).map((v) => ({
        ...v,
        value: (ctx: HostileContext) => [v.value(ctx)],
        canonical: v.canonical && ((ctx: HostileContext) => [v.canonical!(ctx)]),
      })),
    ];
  }
  if (isInputObjectType(type)) {
    const object = (ctx: HostileContext) => (base(ctx) ?? {}) as Record<string, unknown>;
    return [
      { ...at, name: 'an unknown field', value: (ctx) => ({ ...object(ctx), unknownField: 1 }) },
      { ...at, name: 'a string instead of an object', value: () => 'x' },
      ...Object.values(type.getFields()).flatMap((field) => {
        const fieldBase: Value = (ctx) => (base(ctx) as Record<string, unknown> | undefined)?.[field.name];
        return variantsOf(field.type, `${path}.${field.name}`, `${coordinate}.${field.name}`, field, fieldBase).map((v) => {
          const withField = (value: Value) => (ctx: HostileContext) => ({ ...object(ctx), [field.name]: value(ctx) });
          return { ...v, value: withField(v.value), canonical: v.canonical && withField(v.canonical) };
        });
      }),
    ];
  }
  if (isEnumType(type)) {
    const first = type.getValues()[0]!.name;
    return [
      { ...at, name: 'an unknown value', value: () => 'KING' },
      { ...at, name: 'a value in lower case', value: () => first.toLowerCase() },
      { ...at, name: 'empty', value: () => '' },
    ];
  }
  const hint = `${position.name} ${position.description ?? ''}`;
  return scalarVariants(type.name, base, hint).map((v) => ({ ...v, ...at }));
}

/** Every hostile case of every query and mutation that takes arguments. */
export function hostileCases(schema: GraphQLSchema): HostileCase[] {
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const;
  return roots.flatMap(([kind, root]) =>
    Object.values(root!.getFields()).flatMap((field) => {
      const operation = `${root!.name}.${field.name}`;
      const bases = new Map(field.args.map((arg) => [arg.name, baselineOf(arg.type, `${operation}.${arg.name}`, arg.name, arg.defaultValue !== undefined)]));
      const withArgument = (name: string, value: Value) => (ctx: HostileContext) => {
        const variables = Object.fromEntries([...bases].map(([arg, base]) => [arg, base(ctx)]));
        return { ...variables, [name]: value(ctx) };
      };
      return field.args.flatMap((argument) =>
        variantsOf(argument.type, argument.name, `${operation}.${argument.name}`, argument, bases.get(argument.name)!).map(
          (v): HostileCase => ({
            operation,
            kind,
            field,
            argument,
            path: v.path,
            positionType: v.type,
            variant: v.name,
            nul: v.nul ?? false,
            variables: withArgument(argument.name, v.value),
            ...(v.canonical ? { canonical: withArgument(argument.name, v.canonical) } : {}),
          }),
        ),
      );
    }),
  );
}

/** A document for one root field with every argument given as a variable (or inlined), selecting what it returns three levels deep. */
export function documentFor(c: Pick<HostileCase, 'kind' | 'field'>, variables: Record<string, unknown>, inline?: { name: string; literal: string }): string {
  const given = c.field.args.filter((arg) => variables[arg.name] !== undefined || arg.name === inline?.name);
  const declared = given.filter((arg) => arg.name !== inline?.name).map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const args = given.map((arg) => `${arg.name}: ${arg.name === inline?.name ? inline.literal : `$${arg.name}`}`);
  return `${c.kind}${declared.length ? `(${declared.join(', ')})` : ''} { ${c.field.name}${args.length ? `(${args.join(', ')})` : ''}${selection(c.field.type, 3)} }`;
}

function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named) || depth === 0) return ' { __typename }';
  const fields = Object.values(named.getFields())
    .filter((f) => f.args.every((arg) => !isNonNullType(arg.type)))
    .map((f) => {
      const inner = getNamedType(f.type);
      if (isScalarType(inner) || isEnumType(inner)) return f.name;
      return depth > 1 ? `${f.name}${selection(f.type, depth - 1)}` : null;
    })
    .filter((f): f is string => f !== null);
  return ` { ${fields.length ? fields.join(' ') : '__typename'} }`;
}
