/**
 * A breaking change to schema.graphql fails the build until docs/schema-changes.md names it
 * (scripts/schema: `npm run schema:check`, run by `npm test`): found between two versions,
 * named by its schema coordinate, and judged in a real git checkout — against the file's
 * history before any release, against the last `v*` tag after one, committed or not.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changesAlong, unannounced } from '../../scripts/schema/breaking.js';
import { repoRoot } from '../src/config/env.js';

const current = readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8');

/** The schema without one field of Message (its description included). */
function withoutMessageField(sdl: string, field: 'edited' | 'deleted'): string {
  const pattern = new RegExp(`\\n  """[^"]*"""\\n  ${field}: Boolean!\\n`);
  expect(sdl).toMatch(pattern);
  return sdl.replace(pattern, '\n');
}

describe('breaking changes', () => {
  it('are found between two versions and named by their schema coordinates', () => {
    const before = /* GraphQL */ `
      type Query { conversation(id: ID!, peek: Boolean): Conversation }
      type Conversation { id: ID! title: String! kind: Kind! }
      enum Kind { DIRECT GROUP }
      union Event = Added | Removed
      type Added { id: ID! }
      type Removed { id: ID! }
      input Send { body: String! }
      type Mutation { send(input: Send!): Boolean }
    `;
    const after = /* GraphQL */ `
      type Query { conversation(id: ID!, at: Int!): Conversation }
      type Conversation { id: ID! title: Int! kind: Kind! }
      enum Kind { DIRECT }
      union Event = Added
      type Added { id: ID! }
      input Send { body: String! clientMsgId: String! }
      type Mutation { send(input: Send!): Boolean }
    `;
    const { breaking } = changesAlong([
      { label: 'before', sdl: before },
      { label: 'after', sdl: after },
    ]);
    expect(breaking.map((change) => `${change.type} ${change.coordinate}`).sort()).toEqual([
      'ARG_REMOVED Query.conversation(peek:)',
      'FIELD_CHANGED_KIND Conversation.title',
      'REQUIRED_ARG_ADDED Query.conversation(at:)',
      'REQUIRED_INPUT_FIELD_ADDED Send.clientMsgId',
      'TYPE_REMOVED Removed',
      'TYPE_REMOVED_FROM_UNION Event',
      'VALUE_REMOVED_FROM_ENUM Kind.GROUP',
    ]);
    expect(new Set(breaking.map((change) => change.step))).toEqual(new Set(['before → after']));
  });

  it('a removed field of the real schema is one, until the notes name it', () => {
    const { breaking, dangerous } = changesAlong([
      { label: 'HEAD', sdl: current },
      { label: 'working tree', sdl: withoutMessageField(current, 'edited') },
    ]);
    expect(breaking).toEqual([{ step: 'HEAD → working tree', type: 'FIELD_REMOVED', description: 'Message.edited was removed.', coordinate: 'Message.edited' }]);
    expect(dangerous).toEqual([]);
    expect(unannounced(breaking, '# Schema changes\n\nNo breaking changes.\n')).toEqual(breaking);
    expect(unannounced(breaking, 'Message.edited is gone')).toEqual(breaking);
    expect(unannounced(breaking, '- `Message.edited` removed: read `editedAt`.\n')).toEqual([]);
  });
});

describe('npm run schema:check -- --breaking, in a git checkout', () => {
  let folder: string;
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
      cwd: folder,
      stdio: 'pipe',
    });
  const check = () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema/check.ts', '--breaking', '--root', folder], { cwd: repoRoot, encoding: 'utf8' });
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const notes = (entries: string) => writeFile(path.join(folder, 'docs', 'schema-changes.md'), `# Schema changes\n\n## Unreleased\n\n${entries}\n`);

  it('fails on a removed field until the notes name it, committed or not, and compares with the last release once there is one', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'dash-schema-changes-'));
    await mkdir(path.join(folder, 'docs'));
    git('init', '-q');
    await writeFile(path.join(folder, 'schema.graphql'), current);
    await notes('No breaking changes.');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    expect(check()).toMatchObject({ code: 0 });

    // Not yet committed: the working tree against HEAD.
    await writeFile(path.join(folder, 'schema.graphql'), withoutMessageField(current, 'edited'));
    let result = check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('✗ ');
    expect(result.output).toContain('→ working tree: Message.edited was removed. (FIELD_REMOVED)');
    expect(result.output).toContain('- `Message.edited`: Message.edited was removed.');

    await notes('- `Message.edited` removed: read `editedAt` (null when it was not edited).');
    result = check();
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('announced in docs/schema-changes.md');

    // Released: the tag is the baseline, and what came before it is not judged again.
    git('commit', '-q', '-am', 'remove Message.edited');
    git('tag', 'v1.0.0');
    await notes('No breaking changes.');
    git('commit', '-q', '-am', 'notes for the next release');
    result = check();
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('since v1.0.0 (the last release tag)');

    // A breaking change committed without a note (a fresh clone in CI sees only commits): still found.
    await writeFile(path.join(folder, 'schema.graphql'), withoutMessageField(withoutMessageField(current, 'edited'), 'deleted'));
    git('commit', '-q', '-am', 'remove Message.deleted');
    result = check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('- `Message.deleted`: Message.deleted was removed.');
    expect(result.output).not.toContain('`Message.edited`:');
  });
});
