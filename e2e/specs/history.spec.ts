import { expect, test } from '../fixtures/test';
import pg from 'pg';
import { createDirect, registerUser } from '../fixtures/api';
import { messageRow, openConversation, renderedRows, scrollHistoryUp, signIn, watchPage } from '../fixtures/ui';

const COUNT = 10_000;
const MAX_ROWS = 100;
const databaseUrl = process.env.E2E_DATABASE_URL;

test.skip(!databaseUrl, 'needs E2E_DATABASE_URL: the rows are written straight into PostgreSQL');

/** Writes COUNT messages with consecutive seq into the conversation in one statement. */
async function fillHistory(conversationId: string, senders: [string, string]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ seq: number }>('SELECT seq FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
    const base = rows[0]!.seq;
    await client.query(
      `INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, kind, body, created_at)
       SELECT gen_random_uuid(), $1::uuid, $2::int + g, $2::int + g,
              CASE WHEN g % 3 = 0 THEN $3::uuid ELSE $4::uuid END,
              'TEXT', 'history message ' || g,
              now() - make_interval(mins => $5::int - g)
       FROM generate_series(1, $5::int) AS g`,
      [conversationId, base, senders[0], senders[1], COUNT],
    );
    const last = base + COUNT;
    await client.query(
      `UPDATE conversations SET seq = $2, last_message_seq = $2, last_message_at = now(), updated_at = now() WHERE id = $1`,
      [conversationId, last],
    );
    // Both have read it all: the chat opens at the newest message, not at a first unread.
    await client.query('UPDATE memberships SET last_read_seq = $2 WHERE conversation_id = $1', [conversationId, last]);
    await client.query('COMMIT');
    return last;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

test('a conversation with 10,000 messages opens at the newest and scrolls back page by page', async ({ page }) => {
  // ~10 s idle; 10,000 rows written and read, and a scroll through several pages.
  test.setTimeout(150_000);
  const watch = watchPage(page, 'reader');
  const [reader, writer] = await Promise.all([registerUser('hreader'), registerUser('hwriter')]);
  const conversationId = await createDirect(writer, reader);
  const lastSeq = await fillHistory(conversationId, [reader.id, writer.id]);

  await signIn(page, reader);
  const opened = Date.now();
  await openConversation(page, conversationId);
  // the section the conversation is in is the one the navigation shows
  await expect(page.getByTestId('nav-chats')).toHaveClass(/v-btn--active/);
  await expect(page.getByTestId('nav-settings')).not.toHaveClass(/v-btn--active/);

  await test.step('only a window of rows is in the DOM, and the newest message is visible', async () => {
    const newest = messageRow(page, `history message ${COUNT}`);
    await expect(newest).toBeVisible();
    await expect(newest).toHaveAttribute('data-seq', String(lastSeq));
    test.info().annotations.push({ type: 'open-to-newest-ms', description: String(Date.now() - opened) });
    const rows = await renderedRows(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(MAX_ROWS);
    expect(rows.at(-1)!.seq).toBe(lastSeq);
  });

  await test.step('scrolling up loads older pages, keeping the DOM small', async () => {
    // The first page holds at most 100 messages: reaching 250 back means at least two more pages came.
    const target = lastSeq - 250;
    let most = 0;
    const seen = await scrollHistoryUp(page, (all) => Math.min(...all.keys()) <= target, {
      timeout: 90_000,
      eachRender: (rows) => {
        most = Math.max(most, rows.length);
        expect(rows.length).toBeLessThan(MAX_ROWS);
      },
    });
    test.info().annotations.push({ type: 'most-rows-in-dom', description: String(most) });
    // Every message on the way is there, once, in order.
    const seqs = [...seen.keys()].filter((seq) => seq >= target).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: lastSeq - seqs[0]! + 1 }, (_, i) => seqs[0]! + i));
    for (const seq of seqs) expect(seen.get(seq)!.body).toBe(`history message ${seq - (lastSeq - COUNT)}`);
    expect(await page.getByTestId('message').count()).toBeLessThan(MAX_ROWS);
  });

  expect(watch.errors, 'uncaught errors in the page').toEqual([]);
});
