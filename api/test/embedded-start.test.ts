/**
 * `npm start` with no DATABASE_URL: the real process on the embedded database in a
 * fresh data folder. It migrates, loads the demo data, serves, and keeps everything
 * across a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../prisma/seed.js';
import { startApi, type ApiProcess } from './processes.js';

/** Starts the API as `npm start` does: no DATABASE_URL, data in `dataDir`. */
function start(dataDir: string): Promise<ApiProcess> {
  return startApi({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'info' } });
}

async function gql(api: ApiProcess, query: string, variables: Record<string, unknown> = {}) {
  return api.gql<Record<string, { me: { username: string } }>>(query, variables);
}

const LOGIN = 'mutation($login: String!, $password: String!) { login(input: { login: $login, password: $password }) { me { username } } }';

const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-embedded-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('embedded start (no DATABASE_URL)', () => {
  it('migrates, seeds the demo data, serves, and keeps data across a restart', { timeout: 180_000 }, async () => {
    const first = await start(dataDir);
    try {
      expect(first.logs.join('\n')).toContain('applied migrations');
      expect(first.logs.join('\n')).toContain('loaded the demo data');
      const ready = await fetch(`${first.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'embedded' });
      expect((await gql(first, LOGIN, { login: 'demo', password: DEMO_PASSWORD })).data?.login?.me.username).toBe('demo');
      const registered = await gql(first, 'mutation { register(input: { username: "kept_user", email: "kept@example.test", password: "a long kept password" }) { me { username } } }');
      expect(registered.errors).toBeUndefined();
      await chatsOnTheEmbeddedDatabase(first);
      await demoMedia(first);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await start(dataDir);
    try {
      expect(second.logs.join('\n')).not.toContain('applied migrations');
      expect(second.logs.join('\n')).not.toContain('loaded the demo data');
      expect((await gql(second, LOGIN, { login: 'kept_user', password: 'a long kept password' })).data?.login?.me.username).toBe('kept_user');
      expect((await gql(second, LOGIN, { login: 'demo', password: DEMO_PASSWORD })).data?.login?.me.username).toBe('demo');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

/** The hot paths written in SQL (send, history with senders, search) on PGlite, as on PostgreSQL. */
async function chatsOnTheEmbeddedDatabase(api: ApiProcess): Promise<void> {
  const login = await api.gql<{ login: { token: string; me: { id: string } } }>(
    'mutation($p: String!) { login(input: { login: "demo", password: $p }) { token me { id } } }', { p: DEMO_PASSWORD });
  const { token, me } = login.data!.login;
  const asDemo = <T>(query: string, variables: Record<string, unknown> = {}) => api.gql<T>(query, variables, token);
  const list = await asDemo<{ conversations: { nodes: { id: string }[] } }>('{ conversations(first: 1) { nodes { id } } }');
  const conversationId = list.data!.conversations.nodes[0]!.id;
  const sent = await asDemo<{ sendMessage: { id: string; seq: number } }>(
    'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }',
    { input: { conversationId, clientMsgId: 'embedded-1', body: 'embedded zanzibar' } });
  expect(sent.errors).toBeUndefined();
  const history = await asDemo<{ messages: { messages: { id: string; sender: { id: string } }[] } }>(
    'query($c: ID!) { messages(conversationId: $c, limit: 5) { messages { id sender { id } } } }', { c: conversationId });
  expect(history.data!.messages.messages.at(-1)).toEqual({ id: sent.data!.sendMessage.id, sender: { id: me.id } });
  const found = await asDemo<{ searchMessages: { nodes: { id: string }[] } }>('{ searchMessages(query: "zanzibar") { nodes { id } } }');
  expect(found.data!.searchMessages.nodes.map((n) => n.id)).toEqual([sent.data!.sendMessage.id]);
}

/** The demo data shows every kind of content: photos, people's and a group's pictures, both kinds of sticker pack. */
async function demoMedia(api: ApiProcess): Promise<void> {
  const login = await api.gql<{ login: { token: string } }>('mutation($p: String!) { login(input: { login: "demo", password: $p }) { token } }', { p: DEMO_PASSWORD });
  const token = login.data!.login.token;
  type Node = { title: string | null; avatar: { small: string } | null; members: { user: { username: string; avatar: { small: string } | null } }[] };
  const list = await api.gql<{ conversations: { nodes: (Node & { id: string })[] } }>(
    '{ conversations(first: 20) { nodes { id title avatar { small } members { user { username avatar { small } } } } } }', {}, token);
  expect(list.errors).toBeUndefined();
  const hike = list.data!.conversations.nodes.find((c) => c.title === 'Weekend hike')!;
  expect(hike.avatar?.small).toBeTruthy();
  const pictured = new Set(list.data!.conversations.nodes.flatMap((c) => c.members.filter((m) => m.user.avatar).map((m) => m.user.username)));
  expect([...pictured].sort()).toEqual(['alice', 'bob', 'carol']);
  const history = await api.gql<{ messages: { messages: { attachments: { url: string; thumbnailUrl: string | null; width: number | null; placeholder: string | null }[] }[] } }>(
    'query($c: ID!) { messages(conversationId: $c, limit: 50) { messages { attachments { url thumbnailUrl width placeholder } } } }', { c: hike.id }, token);
  const photos = history.data!.messages.messages.flatMap((m) => m.attachments);
  expect(photos).toHaveLength(2);
  for (const photo of photos) {
    expect(photo).toMatchObject({ width: expect.any(Number), placeholder: expect.any(String) });
    for (const url of [photo.url, photo.thumbnailUrl!, hike.avatar!.small]) {
      const served = await fetch(new URL(url, api.url));
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/^image\//);
    }
  }
  const packs = await api.gql<{ stickerPacks: { builtin: boolean; mine: boolean; stickerCount: number }[] }>('{ stickerPacks { builtin mine stickerCount } }', {}, token);
  expect(packs.data!.stickerPacks.map(({ builtin, mine }) => ({ builtin, mine }))).toEqual([{ builtin: true, mine: false }, { builtin: false, mine: true }]);
  expect(packs.data!.stickerPacks.every((p) => p.stickerCount >= 4)).toBe(true);
}
