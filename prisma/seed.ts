/**
 * Demo data: a handful of people with contacts, privacy settings and a block; direct
 * chats and groups with Markdown, replies, an edit, a deletion, membership and title
 * changes and unread messages, photos, avatars (people and a group), stickers (the built-in
 * pack and the demo user's own pack) —
 * something to show for every feature. Every demo account's password is DEMO_PASSWORD.
 *
 * Written through the same services the API uses, so every invariant (seq, read
 * cursors, SYSTEM messages) holds; only the timestamps are moved into the past after.
 * Loaded on the first start of the embedded database (SEED_DEMO=auto), or by
 * `npm run db:seed`. It does nothing when the demo user already exists.
 */
import path from 'node:path';
import { repoRoot } from '../api/src/config/env.js';
import type { Database } from '../api/src/core/db/database.js';
import type { MediaStorage } from '../api/src/core/storage/storage.js';
import type { Viewer } from '../api/src/app/context.js';
import { EventBus, membershipsIn } from '../api/src/core/events.js';
import { createAppPubSub } from '../api/src/core/pubsub.js';
import { createLimiter } from '../api/src/core/rate-limit.js';
import { createLogger } from '../api/src/core/logger.js';
import { hashPassword } from '../api/src/modules/accounts/password.js';
import { ConversationService } from '../api/src/modules/conversations/conversations.service.js';
import { ChangeLog } from '../api/src/modules/conversations/conversations.changes.js';
import { ConversationRepository } from '../api/src/modules/conversations/conversations.repository.js';
import { GroupService } from '../api/src/modules/conversations/groups.service.js';
import { MediaAttachments } from '../api/src/modules/media/media.attachments.js';
import { MediaRepository } from '../api/src/modules/media/media.repository.js';
import { MessageRepository } from '../api/src/modules/messages/messages.repository.js';
import { MessageService } from '../api/src/modules/messages/messages.service.js';
import { uploadDrawing } from '../api/src/modules/media/media.drawings.js';
import { StickerRepository } from '../api/src/modules/stickers/stickers.repository.js';
import { StickerService } from '../api/src/modules/stickers/stickers.service.js';
import { UserService } from '../api/src/modules/users/users.service.js';

export const DEMO_PASSWORD = 'welcome-to-dash';

const PEOPLE = [
  { username: 'demo', displayName: 'Demo User', bio: 'Try me: sign in as demo / welcome-to-dash.', locale: 'en' },
  { username: 'alice', displayName: 'Alice Martin', bio: 'Trail runner, coffee snob.', locale: 'en' },
  { username: 'bob', displayName: 'Bob Nguyen', bio: null, locale: 'en', whoCanFind: 'CONTACTS_OF_CONTACTS' },
  { username: 'carol', displayName: 'Carol Schmidt', bio: 'Photos of mountains.', locale: 'en', whoCanMessage: 'CONTACTS' },
  { username: 'dmitry', displayName: 'Дмитрий Орлов', bio: 'Пишу по-русски.', locale: 'ru', whoSeesLastSeen: 'CONTACTS' },
  { username: 'mallory', displayName: 'Mallory', bio: 'Sends too many links.', locale: 'en' },
] as const;

type Username = (typeof PEOPLE)[number]['username'];

const MINUTE = 60_000;

/** The demo user's own sticker pack: drawings in assets/stickers/demo, uploaded as a person's images are. */
const DEMO_STICKERS = [
  { name: 'cat-happy', emoji: '😸' },
  { name: 'cat-love', emoji: '😻' },
  { name: 'cat-shocked', emoji: '🙀' },
  { name: 'cat-sleepy', emoji: '😴' },
];

/**
 * Seeds the demo data unless it is there already. The built-in sticker pack is expected in
 * place (start-up and db:seed install it first); the demo user's pack goes to `storage`.
 * @returns whether it seeded
 */
export async function seedDemoData({ prisma, sql }: Pick<Database, 'prisma' | 'sql'>, storage: MediaStorage): Promise<boolean> {
  if (await prisma.user.findUnique({ where: { username: 'demo' } })) return false;

  const pubSub = createAppPubSub(undefined);
  const bus = new EventBus(pubSub.channels, membershipsIn(sql));
  const users = new UserService(prisma);
  const conversationRepository = new ConversationRepository(prisma);
  const conversations = new ConversationService(conversationRepository, bus, users);
  // The demo's history is written in one go: no rate limit applies to it.
  const unlimited = createLimiter('seed', { points: 1_000_000, durationSeconds: 1 }, undefined);
  const changeLog = new ChangeLog(sql);
  const groups = new GroupService(conversationRepository, bus, changeLog, users, conversations);
  // Its rare warnings (a sticker not noted as recently used) as the server writes them: JSON lines.
  const stickers = new StickerService(new StickerRepository(prisma), createLogger({ level: 'warn', production: true }));
  const messages = new MessageService(new MessageRepository(prisma, sql), bus, changeLog, conversations, users, new MediaAttachments(new MediaRepository(prisma)), stickers, {
    sendPerAccount: unlimited,
    sendPerIp: unlimited,
  });

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const as = {} as Record<Username, Viewer>;
  for (const [i, person] of PEOPLE.entries()) {
    const user = await prisma.user.create({
      data: {
        ...person,
        email: `${person.username}@demo.dash.local`,
        passwordHash,
        emailVerifiedAt: new Date(),
        lastSeenAt: new Date(Date.now() - (i + 1) * 17 * MINUTE),
      },
    });
    as[person.username] = { userId: user.id, sessionId: 'seed' };
  }
  const id = (name: Username) => as[name].userId;
  const drawing = (file: string) => path.join(repoRoot, 'assets', 'demo', file);

  // Pictures for some (the others keep their initials), drawn in assets/demo and uploaded as people's images are.
  for (const name of ['alice', 'bob', 'carol'] as const) {
    const avatar = await uploadDrawing(prisma, storage, drawing(`avatar-${name}.svg`), id(name), 'AVATAR');
    await prisma.user.update({ where: { id: id(name) }, data: { avatarId: avatar.id } });
  }

  for (const [owner, contact] of [['demo', 'alice'], ['alice', 'demo'], ['bob', 'demo'], ['demo', 'bob'], ['demo', 'dmitry'], ['dmitry', 'demo'], ['alice', 'carol'], ['carol', 'alice']] as const) {
    await users.addContact(as[owner], { userId: id(contact) });
  }
  await users.block(as.demo, id('mallory'));

  // The demo user's own pack, published, and added by Alice.
  const cats = await stickers.create(as.demo, 'Demo\'s cats');
  const catStickers = [];
  for (const { name, emoji } of DEMO_STICKERS) {
    const media = await uploadDrawing(prisma, storage, path.join(repoRoot, 'assets', 'stickers', 'demo', `${name}.svg`), id('demo'), 'STICKER');
    catStickers.push(await stickers.addSticker(as.demo, { packId: cats.pack.id, mediaId: media.id, emoji }));
  }
  await stickers.publish(as.demo, cats.pack.id);
  await stickers.install(as.alice, cats.pack.id);
  const builtin = (await stickers.installed(as.alice)).find((pack) => pack.pack.ownerId === null);

  // Messages are sent now, in order, then spread back over the last days.
  let clock = 0;
  const say = async (from: Username, conversationId: string, body: string, replyToId?: string) =>
    messages.send(as[from], { conversationId, body, clientMsgId: `seed-${++clock}`, replyToId: replyToId ?? null });

  const alice = (await conversations.createDirect(as.demo, id('alice'))).id;
  await say('alice', alice, 'Hi! Welcome to **Dash** 👋');
  const question = await say('demo', alice, 'Thanks! Is Markdown supported?');
  await say('alice', alice, 'Yes: *italics*, **bold**, `code`, lists and [links](https://example.org).', question.id);
  await say('alice', alice, '```ts\nconst answer = 42;\n```');
  const typo = await say('demo', alice, 'Nice. See you at the hike on Satruday?');
  await messages.edit(as.demo, typo.id, 'Nice. See you at the hike on Saturday?');
  await say('alice', alice, 'Of course! Bring water 💧');
  const sticker = async (from: Username, conversationId: string, stickerId: string) =>
    messages.send(as[from], { conversationId, body: '', stickerId, clientMsgId: `seed-${++clock}` });
  if (builtin) await sticker('alice', alice, builtin.stickers.find((s) => s.name === 'thumbs-up')?.id ?? builtin.stickers[0]!.id);
  await sticker('demo', alice, catStickers[1]!.id);

  const bob = (await conversations.createDirect(as.bob, id('demo'))).id;
  await say('bob', bob, 'Did you get the photos?');
  const oops = await say('bob', bob, 'Sorry, wrong chat');
  await messages.delete(as.bob, oops.id);
  await say('demo', bob, 'Not yet, can you resend?');
  await say('bob', bob, 'Sending them tonight.');

  const dmitry = (await conversations.createDirect(as.dmitry, id('demo'))).id;
  await say('dmitry', dmitry, 'Привет! Как дела?');
  await say('demo', dmitry, 'Hi Dmitry! All good, thanks. _Всё хорошо!_');

  const hike = (await groups.createGroup(as.alice, 'Hike', [id('demo'), id('bob'), id('carol')])).id;
  await groups.setRole(as.alice, hike, id('demo'), 'ADMIN');
  await say('alice', hike, 'Saturday, 8:00 at the trailhead. Who is in?');
  await say('bob', hike, 'In!');
  await say('carol', hike, 'In, bringing the camera 📷');
  const photos = await Promise.all(['lake.svg', 'trail.svg'].map((file) => uploadDrawing(prisma, storage, drawing(file), id('carol'), 'PHOTO')));
  await messages.send(as.carol, { conversationId: hike, body: 'From last time: the lake at sunset, and the trail up.', mediaIds: photos.map((p) => p.id), clientMsgId: `seed-${++clock}` });
  await groups.rename(as.demo, hike, 'Weekend hike');
  await groups.setAvatar(as.demo, hike, (await uploadDrawing(prisma, storage, drawing('group-hike.svg'), id('demo'), 'AVATAR')).id);
  await groups.addMembers(as.demo, hike, [id('dmitry')]);
  await say('dmitry', hike, 'Можно с вами? Can I join?');
  const plan = await say('alice', hike, 'Forecast says sun ☀️ — see you there.');
  await say('carol', hike, 'Anyone need a ride?', plan.id);

  const books = (await groups.createGroup(as.demo, 'Book club', [id('alice'), id('carol')])).id;
  await say('demo', books, 'Next book: *The Left Hand of Darkness*. Thoughts?');
  await say('alice', books, 'Loved it!');
  await groups.leave(as.carol, books);

  // Read cursors: the demo user has a few unread messages waiting.
  for (const [who, conversationId, unread] of [['alice', alice, 0], ['demo', alice, 1], ['bob', hike, 1], ['carol', hike, 0], ['demo', hike, 2], ['dmitry', dmitry, 0], ['demo', dmitry, 0], ['alice', books, 0]] as const) {
    const { seq } = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const lastMessage = await prisma.message.findFirst({ where: { conversationId, kind: { not: 'SYSTEM' } }, orderBy: { seq: 'desc' }, skip: unread });
    await conversations.markRead(as[who], conversationId, Math.min(seq, lastMessage?.seq ?? seq));
  }

  // Spread the history over the last three days, oldest first, a few minutes apart.
  const all = await prisma.message.findMany({ orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }], select: { id: true } });
  const start = Date.now() - 3 * 24 * 60 * MINUTE;
  const step = Math.floor((Date.now() - 5 * MINUTE - start) / all.length);
  for (const [i, message] of all.entries()) {
    await prisma.message.update({ where: { id: message.id }, data: { createdAt: new Date(start + i * step) } });
  }
  await prisma.$executeRaw`
    UPDATE conversations c SET last_message_at = m.created_at
    FROM messages m WHERE m.conversation_id = c.id AND m.seq = c.last_message_seq`;

  await bus.close();
  await pubSub.close();
  return true;
}
