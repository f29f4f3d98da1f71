/**
 * The sweep: what stored media nothing uses any more is removed, in three steps.
 * 1. People's stickers taken out of their packs (or whose pack was deleted) that no message
 *    shows are deleted; a sticker that was sent stays, so sent stickers keep showing.
 * 2. Media rows nothing uses are deleted: those in messages deleted for everyone, at once; the
 *    others (never sent, the image of a sticker deleted in step 1) once uploaded MEDIA_UNUSED_AFTER
 *    ago, so an upload waiting to be sent is left alone. What a person lets go of in so many
 *    words is deleted where it is let go of, without waiting for a sweep: a conversation deleted
 *    for everyone takes its media and its picture (ConversationRepository.delete), a replaced
 *    picture goes with the change (MediaRepository.setUserAvatar, ConversationRepository.setAvatar),
 *    an account takes its uploads (AccountDeletionService). Messages deleted for everyone are
 *    left to the sweep, because their media are already gone to everyone: not served (410), not
 *    counted against the quota (MediaRepository.usedBytes).
 * 3. Stored content no media row refers to is removed from the storage, with its ledger row
 *    (media.contents.ts). The same bytes are stored once, so content goes only when the last row
 *    that refers to it went, however it went.
 *
 * Why a new upload can never lose its bytes to a sweep removing the same content: an upload
 * claims the key (locking its ledger row) and inserts its media row in one transaction, and
 * stores the content only after that commits (row first, then store). Step 3 locks the ledger
 * row, looks again for rows that refer to the key, and holds the lock until the content and the
 * ledger row are gone. So either the upload's row committed first, and step 3 sees it and keeps
 * the content; or step 3 went first, the upload's claim waited for it, and the upload then stores
 * the content anew (storage.put writes what is missing). Writers that store first and insert
 * their row after (our drawings, the built-in stickers: ClaimingStorage) are covered by a grace
 * period instead: content last claimed less than MEDIA_UNUSED_AFTER ago is not removed.
 *
 * Several instances may sweep at once (each on its own schedule, MEDIA_SWEEP_INTERVAL): every
 * deletion locks what it found with SKIP LOCKED, so two sweeps share the work instead of waiting
 * on each other, and checks again under the lock, so nothing is removed twice or wrongly. A
 * lock held across instances (an advisory lock) is not needed, and a sweep that dies half-way
 * leaves nothing the next one does not finish: the ledger is only cleared after the storage is.
 */
import type { Logger } from '../../core/logger.js';
import type { MediaStorage } from '../../core/storage/storage.js';
import type { Batch, MediaSweepRepository } from './media.sweep.repository.js';

export interface SweepOptions {
  /** The sweep's idea of now: tests sweep as if later. @default the clock */
  now?: Date;
}

/** What a sweep removed. */
export interface SweepResult {
  stickers: number;
  media: number;
  /** Bytes of the media rows deleted, as their owners' quotas counted them. */
  mediaBytes: number;
  contents: number;
}

export class MediaSweeper {
  private running: Promise<SweepResult> | undefined;

  /**
   * @param unusedAfterSeconds MEDIA_UNUSED_AFTER: how long unused uploads and unclaimed content are kept
   * @param batch rows or keys one statement of the sweep handles at most @default 200
   */
  constructor(
    private readonly repository: MediaSweepRepository,
    private readonly storage: MediaStorage,
    private readonly unusedAfterSeconds: number,
    private readonly logger: Logger,
    private readonly batch = 200,
  ) {}

  /** Sweeps once; a sweep asked for while one runs in this instance joins it. */
  sweep(options: SweepOptions = {}): Promise<SweepResult> {
    this.running ??= this.sweepOnce(options.now ?? new Date()).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Waits for a sweep under way (at shutdown). */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async sweepOnce(now: Date): Promise<SweepResult> {
    const cutoff = new Date(now.getTime() - this.unusedAfterSeconds * 1000);
    const stickers = await this.drain((after) => this.repository.deleteRemovedStickers(this.batch, after));
    const media = await this.drain((after) => this.repository.deleteUnusedMedia(cutoff, this.batch, after));
    const contents = await this.drain((after) => this.repository.reclaimContents(cutoff, this.batch, after, (keys) => this.remove(keys)));
    const result = { stickers: stickers.length, media: media.length, mediaBytes: media.reduce((sum, row) => sum + row.bytes, 0), contents: contents.length };
    if (result.stickers + result.media + result.contents > 0) this.logger.info(result, 'swept media nothing uses');
    return result;
  }

  private async remove(keys: string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key);
  }

  /**
   * Runs a step batch after batch, each after the last one's candidates, until a batch comes back
   * short: one pass over what there is. What a concurrent sweep held (skipped) or a writer took
   * meanwhile is left for the next sweep.
   */
  private async drain<T>(step: (after: string | null) => Promise<Batch<T>>): Promise<T[]> {
    const all: T[] = [];
    let after: string | null = null;
    for (;;) {
      const { found, deleted, last }: Batch<T> = await step(after);
      all.push(...deleted);
      if (found < this.batch) return all;
      after = last;
    }
  }
}
