/**
 * Breaking changes to the API's contract (schema.graphql), and whether each is announced.
 *
 * What is compared (docs/API.md, "Versioning"): every version of schema.graphql since the
 * last release — the nearest tag `v*` reachable from HEAD, or the file's first commit while
 * there is none — with the one before it: each commit that changed the file, then the
 * working tree's copy when it differs from HEAD's. Step by step rather than only the last
 * step, so the verdict on a commit does not depend on how many commits were pushed together.
 * A breaking step (graphql's findBreakingChanges) passes only when the change notes
 * (docs/schema-changes.md) name its schema coordinate in backticks, e.g. `Message.edited`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, findDangerousChanges, type BreakingChange, type DangerousChange } from 'graphql';

export const SCHEMA_FILE = 'schema.graphql';
export const CHANGE_NOTES = 'docs/schema-changes.md';

export interface SchemaVersion {
  /** A tag, a short commit id, or "working tree". */
  label: string;
  sdl: string;
}

export interface SchemaHistory {
  /** What the comparison starts from: `v1.2.0 (the last release tag)`, or why it starts where it does. */
  baseline: string;
  /** Oldest first. */
  versions: SchemaVersion[];
  /** Whether git had only part of the history (a shallow clone): earlier steps were not seen. */
  shallow: boolean;
}

export interface SchemaChange {
  /** `from → to` of the step that made it. */
  step: string;
  type: string;
  description: string;
  /** Its schema coordinate (`Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `@directive`): what the notes must name. */
  coordinate: string;
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** The versions of schema.graphql to compare, from the baseline to the working tree. */
export function schemaHistory(root: string): SchemaHistory {
  const working: SchemaVersion = { label: 'working tree', sdl: readFileSync(path.join(root, SCHEMA_FILE), 'utf8') };
  if (git(root, ['rev-parse', '--verify', 'HEAD']) === null) return { baseline: 'no git history', versions: [working], shallow: false };
  const tag = git(root, ['describe', '--tags', '--abbrev=0', '--match', 'v*', 'HEAD'])?.trim() || null;
  const versions: SchemaVersion[] = [];
  const atTag = tag ? git(root, ['show', `${tag}:${SCHEMA_FILE}`]) : null;
  if (tag && atTag !== null) versions.push({ label: tag, sdl: atTag });
  const range = tag ? [`${tag}..HEAD`] : [];
  const commits = (git(root, ['log', '--format=%h', '--reverse', ...range, '--', SCHEMA_FILE]) ?? '').split('\n').filter(Boolean);
  for (const commit of commits) {
    const sdl = git(root, ['show', `${commit}:${SCHEMA_FILE}`]);
    if (sdl !== null) versions.push({ label: commit, sdl });
  }
  if (versions.at(-1)?.sdl !== working.sdl) versions.push(working);
  return {
    baseline: tag ? `${tag} (the last release tag)` : `the first commit of ${SCHEMA_FILE} (no release tag v* yet)`,
    versions,
    shallow: git(root, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true',
  };
}

/** The breaking and dangerous changes of each step from one version to the next. */
export function changesAlong(versions: SchemaVersion[]): { breaking: SchemaChange[]; dangerous: SchemaChange[] } {
  const breaking: SchemaChange[] = [];
  const dangerous: SchemaChange[] = [];
  for (let i = 1; i < versions.length; i++) {
    const before = buildSchema(versions[i - 1]!.sdl);
    const after = buildSchema(versions[i]!.sdl);
    const step = `${versions[i - 1]!.label} → ${versions[i]!.label}`;
    breaking.push(...findBreakingChanges(before, after).map((change) => described(step, change)));
    dangerous.push(...findDangerousChanges(before, after).map((change) => described(step, change)));
  }
  return { breaking, dangerous };
}

/** The changes whose coordinate the notes do not name in backticks. */
export function unannounced(changes: SchemaChange[], notes: string): SchemaChange[] {
  return changes.filter((change) => !notes.includes(`\`${change.coordinate}\``));
}

function described(step: string, change: BreakingChange | DangerousChange): SchemaChange {
  return { step, type: change.type, description: change.description, coordinate: coordinateOf(change) };
}

/**
 * The schema coordinate a change is about, read from graphql's description of it (the
 * descriptions are fixed sentences per change type in graphql 16).
 */
export function coordinateOf({ type, description }: BreakingChange | DangerousChange): string {
  const match = (pattern: RegExp) => pattern.exec(description)?.slice(1) ?? [];
  switch (type) {
    case 'REQUIRED_ARG_ADDED':
    case 'OPTIONAL_ARG_ADDED': {
      const onDirective = match(/^An? \w+ arg (\w+) on directive (\w+)/);
      if (onDirective.length) return `@${onDirective[1]}(${onDirective[0]}:)`;
      const [arg, owner, field] = match(/^An? \w+ arg (\w+) on (\w+)\.(\w+)/);
      return `${owner}.${field}(${arg}:)`;
    }
    case 'ARG_REMOVED':
    case 'ARG_CHANGED_KIND':
    case 'ARG_DEFAULT_VALUE_CHANGE': {
      const [owner, field, arg] = match(/^(\w+)\.(\w+) arg (\w+)/);
      return `${owner}.${field}(${arg}:)`;
    }
    case 'REQUIRED_INPUT_FIELD_ADDED':
    case 'OPTIONAL_INPUT_FIELD_ADDED': {
      const [field, owner] = match(/field (\w+) on input type (\w+)/);
      return `${owner}.${field}`;
    }
    case 'VALUE_REMOVED_FROM_ENUM':
    case 'VALUE_ADDED_TO_ENUM': {
      const [value, owner] = match(/^(\w+) was \w+ (?:from|to) enum type (\w+)/);
      return `${owner}.${value}`;
    }
    case 'TYPE_REMOVED_FROM_UNION':
    case 'TYPE_ADDED_TO_UNION':
      return match(/union type (\w+)/)[0] ?? description;
    case 'DIRECTIVE_REMOVED':
      return `@${match(/^(\w+) was removed/)[0]}`;
    case 'DIRECTIVE_REPEATABLE_REMOVED':
    case 'DIRECTIVE_LOCATION_REMOVED':
      return `@${match(/ from (\w+)\.$/)[0]}`;
    case 'REQUIRED_DIRECTIVE_ARG_ADDED': {
      const [arg, directive] = match(/arg (\w+) on directive (\w+)/);
      return `@${directive}(${arg}:)`;
    }
    case 'DIRECTIVE_ARG_REMOVED': {
      const [arg, directive] = match(/^(\w+) was removed from (\w+)/);
      return `@${directive}(${arg}:)`;
    }
    case 'IMPLEMENTED_INTERFACE_ADDED':
      return match(/implemented by (\w+)/)[0] ?? description;
    case 'TYPE_REMOVED':
      return match(/(\w+) was removed/)[0] ?? description;
    default:
      // FIELD_REMOVED, FIELD_CHANGED_KIND ("Type.field …"), TYPE_CHANGED_KIND, IMPLEMENTED_INTERFACE_REMOVED ("Type …").
      return match(/^(\w+(?:\.\w+)?)/)[0] ?? description;
  }
}
