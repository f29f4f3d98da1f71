/**
 * Demo data: a handful of people, direct chats and a group with history, so a fresh
 * install has something to show. Every demo account's password is DEMO_PASSWORD.
 *
 * Loaded on the first start of the embedded database (SEED_DEMO=auto), or by
 * `npm run db:seed`. It does nothing when the demo user already exists.
 */
import type { PrismaClient } from '../api/src/generated/prisma/client.js';
import { directKey } from '../api/src/core/db/keys.js';
import { hashPassword } from '../api/src/modules/accounts/password.js';

export const DEMO_PASSWORD = 'welcome-to-dash';

const PEOPLE = [
  { username: 'demo', displayName: 'Demo User', bio: 'Try me: sign in as demo / welcome-to-dash.', locale: 'en' },
  { username: 'alice', displayName: 'Alice Martin', bio: 'Trail runner, coffee snob.', locale: 'en' },
  { username: 'bob', displayName: 'Bob Nguyen', bio: null, locale: 'en' },
  { username: 'carol', displayName: 'Carol Schmidt', bio: 'Photos of mountains.', locale: 'en' },
  { username: 'dmitry', displayName: 'Дмитрий Орлов', bio: 'Пишу по-русски.', locale: 'ru' },
] as const;

type Username = (typeof PEOPLE)[number]['username'];
type Line = [Username, string];

const HOUR = 3_600_000;

/** Adds messages to a conversation the way the API does: consecutive seq, counters updated. */
async function appendMessages(prisma: PrismaClient, conversationId: string, ids: Record<Username, string>, lines: Line[], startedAt: number) {
  const step = Math.max(1, Math.floor((Date.now() - startedAt) / (lines.length + 1)));
  const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  let seq = conversation.seq;
  let at = startedAt;
  for (const [sender, body] of lines) {
    seq += 1;
    at += step;
    await prisma.message.create({
      data: { conversationId, seq, updatedSeq: seq, senderId: ids[sender], body, createdAt: new Date(at) },
    });
  }
  await prisma.conversation.update({
    where: { id: conversationId },
    data: { seq, lastMessageSeq: seq, lastMessageAt: new Date(at) },
  });
  return seq;
}

/** Seeds the demo data unless it is there already. @returns whether it seeded. */
export async function seedDemoData(prisma: PrismaClient): Promise<boolean> {
  if (await prisma.user.findUnique({ where: { username: 'demo' } })) return false;

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = {} as Record<Username, string>;
  for (const person of PEOPLE) {
    const user = await prisma.user.create({
      data: { ...person, email: `${person.username}@demo.dash.local`, passwordHash, emailVerifiedAt: new Date() },
    });
    ids[person.username] = user.id;
  }

  await prisma.contact.createMany({
    data: [
      ['demo', 'alice'], ['alice', 'demo'], ['demo', 'bob'], ['bob', 'demo'], ['demo', 'dmitry'], ['alice', 'carol'],
    ].map(([owner, contact]) => ({ ownerId: ids[owner as Username], contactId: ids[contact as Username] })),
  });

  async function direct(a: Username, b: Username, lines: Line[], hoursAgo: number, unreadFor = 0) {
    const conversation = await prisma.conversation.create({
      data: { kind: 'DIRECT', directKey: directKey(ids[a], ids[b]), createdById: ids[a] },
    });
    const seq = await appendMessages(prisma, conversation.id, ids, lines, Date.now() - hoursAgo * HOUR);
    await prisma.membership.createMany({
      data: [
        { conversationId: conversation.id, userId: ids[a], role: 'MEMBER', lastReadSeq: seq - unreadFor },
        { conversationId: conversation.id, userId: ids[b], role: 'MEMBER', lastReadSeq: seq },
      ],
    });
  }

  await direct('demo', 'alice', [
    ['alice', 'Hi! Welcome to **Dash** 👋'],
    ['demo', 'Thanks! Is Markdown supported?'],
    ['alice', 'Yes: *italics*, **bold**, `code`, lists and [links](https://example.org).'],
    ['alice', '```\nconst answer = 42;\n```'],
    ['demo', 'Nice. See you at the hike on Saturday?'],
    ['alice', 'Of course! Bring water 💧'],
  ], 30, 1);
  await direct('demo', 'bob', [
    ['bob', 'Did you get the photos?'],
    ['demo', 'Not yet, can you resend?'],
    ['bob', 'Sending them tonight.'],
  ], 50, 1);
  await direct('demo', 'dmitry', [
    ['dmitry', 'Привет! Как дела?'],
    ['demo', 'Hi Dmitry! All good, thanks.'],
  ], 70);

  const group = await prisma.conversation.create({
    data: { kind: 'GROUP', title: 'Weekend hike', createdById: ids.alice },
  });
  const groupSeq = await appendMessages(prisma, group.id, ids, [
    ['alice', 'Saturday, 8:00 at the trailhead. Who is in?'],
    ['bob', 'In!'],
    ['carol', 'In, bringing the camera 📷'],
    ['demo', 'Count me in.'],
    ['alice', 'Forecast says sun ☀️ — see you there.'],
    ['carol', 'Anyone need a ride?'],
  ], Date.now() - 20 * HOUR);
  await prisma.membership.createMany({
    data: [
      { conversationId: group.id, userId: ids.alice, role: 'OWNER', lastReadSeq: groupSeq },
      { conversationId: group.id, userId: ids.demo, role: 'ADMIN', lastReadSeq: groupSeq - 2 },
      { conversationId: group.id, userId: ids.bob, role: 'MEMBER', lastReadSeq: groupSeq - 1 },
      { conversationId: group.id, userId: ids.carol, role: 'MEMBER', lastReadSeq: groupSeq },
    ],
  });
  return true;
}
