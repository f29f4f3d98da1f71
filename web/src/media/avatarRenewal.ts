/**
 * Avatar links are signed for a short while (MEDIA_URL_TTL), as every media's: a list, a header
 * or a panel kept open longer holds some that ran out. When an avatar is to be shown with such a
 * link, or fails to load, its owner is read again — people in one batch (`users(ids)`: a
 * screenful of avatars runs out at once), a group through `conversation` — and the fresh links
 * enter the cache, where every place that shows the picture reads them. Once per link, so a
 * picture gone for good is not asked for in a loop; a read that failed (offline) may be asked
 * again. Pure: the reads and the timer are passed in, and unit-tested.
 */

/** Whose picture: a person's, or a group's (a conversation's). */
export interface AvatarOwner {
  kind: 'user' | 'group';
  id: string;
}

export interface AvatarReads {
  /** Reads these people again into the cache. */
  users(ids: string[]): Promise<unknown>;
  /** Reads this group again into the cache. */
  group(id: string): Promise<unknown>;
}

/** How long asks for people are gathered into one read: the images of a screen fail one after another. */
export const GATHER_MS = 50;

/** At most this many people in one read (the API's bound on `users(ids)`). */
export const USERS_PER_READ = 100;

/** People gathered for one read, and its end. */
interface Batch {
  /** Each person, with the links that asked for them. */
  urls: Map<string, string[]>;
  settled: Promise<void>;
  settle(): void;
}

export function createAvatarRenewal(reads: AvatarReads, schedule: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms)) {
  const asked = new Set<string>();
  let gathering: Batch | null = null;

  function newBatch(): Batch {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    return { urls: new Map(), settled, settle };
  }

  function flush({ urls, settle }: Batch): void {
    const ids = [...urls.keys()];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += USERS_PER_READ) chunks.push(ids.slice(i, i + USERS_PER_READ));
    const done = chunks.map((chunk) =>
      reads.users(chunk).then(
        () => {},
        () => {
          for (const id of chunk) for (const url of urls.get(id)!) asked.delete(url);
        },
      ),
    );
    void Promise.all(done).then(settle);
  }

  return {
    /**
     * Asks for fresh links for `owner`'s picture, whose link `url` ran out or failed.
     * @returns settled once the owner was read again (or could not be), with the cache updated;
     * null when this link was asked about already
     */
    renew(owner: AvatarOwner, url: string): Promise<void> | null {
      if (asked.has(url)) return null;
      asked.add(url);
      if (owner.kind === 'group') {
        return reads.group(owner.id).then(
          () => {},
          () => void asked.delete(url),
        );
      }
      if (!gathering) {
        const batch = (gathering = newBatch());
        schedule(() => {
          gathering = null;
          flush(batch);
        }, GATHER_MS);
      }
      gathering.urls.set(owner.id, [...(gathering.urls.get(owner.id) ?? []), url]);
      return gathering.settled;
    },
  };
}
