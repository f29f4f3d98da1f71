import { describe, expect, it } from 'vitest';
import { createAvatarRenewal, GATHER_MS, USERS_PER_READ, type AvatarReads } from './avatarRenewal';

/** Reads that record what was asked and answer when told; a timer run by hand. */
function setup() {
  const calls: string[] = [];
  const pending: { resolve(): void; reject(): void }[] = [];
  const answer = () =>
    new Promise<void>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  const reads: AvatarReads = {
    users: (ids) => (calls.push(`users ${ids.join(',')}`), answer()),
    group: (id) => (calls.push(`group ${id}`), answer()),
  };
  const timers: { run: () => void; ms: number }[] = [];
  const renewal = createAvatarRenewal(reads, (run, ms) => void timers.push({ run, ms }));
  const tick = () => timers.splice(0).forEach((timer) => timer.run());
  return { renewal, calls, pending, timers, tick };
}

describe('avatar renewal', () => {
  it('gathers the people whose links ran out into one read, and reads a group at once', () => {
    const { renewal, calls, timers, tick } = setup();
    expect(renewal.renew({ kind: 'user', id: 'ann' }, '/media/a/thumbnail?expires=1')).not.toBeNull();
    expect(renewal.renew({ kind: 'user', id: 'bob' }, '/media/b/thumbnail?expires=1')).not.toBeNull();
    // Ann's large picture ran out too: one read of her is enough.
    expect(renewal.renew({ kind: 'user', id: 'ann' }, '/media/a/original?expires=1')).not.toBeNull();
    expect(renewal.renew({ kind: 'group', id: 'trip' }, '/media/g/thumbnail?expires=1')).not.toBeNull();
    expect(calls).toEqual(['group trip']);
    expect(timers.map((t) => t.ms)).toEqual([GATHER_MS]);
    tick();
    expect(calls).toEqual(['group trip', 'users ann,bob']);
  });

  it('settles once the read is done, whichever way it went: the picture may then be shown', async () => {
    const { renewal, pending, tick } = setup();
    let settled = 0;
    const renewals = [
      renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=1'),
      renewal.renew({ kind: 'user', id: 'bob' }, '/b?expires=1'),
      renewal.renew({ kind: 'group', id: 'trip' }, '/g?expires=1'),
    ].map((renewed) => renewed!.then(() => settled++));
    tick();
    await Promise.resolve();
    expect(settled).toBe(0);
    // The group's read fails (offline), the people's succeeds: every one settles.
    pending[0]!.reject();
    pending[1]!.resolve();
    await Promise.all(renewals);
    expect(settled).toBe(3);
  });

  it('asks once per link, however often it fails', () => {
    const { renewal, calls, tick } = setup();
    renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=1');
    tick();
    expect(renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=1')).toBeNull();
    tick();
    expect(calls).toEqual(['users ann']);
    // A fresh link that fails in its turn is asked about once more.
    expect(renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=2')).not.toBeNull();
  });

  it('may ask again about the links of a read that failed (offline)', async () => {
    const { renewal, calls, pending, tick } = setup();
    const renewals = [renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=1'), renewal.renew({ kind: 'group', id: 'trip' }, '/g?expires=1')];
    tick();
    pending.forEach((read) => read.reject());
    await Promise.all(renewals);
    expect(renewal.renew({ kind: 'user', id: 'ann' }, '/a?expires=1')).not.toBeNull();
    expect(renewal.renew({ kind: 'group', id: 'trip' }, '/g?expires=1')).not.toBeNull();
    tick();
    expect(calls).toEqual(['group trip', 'users ann', 'group trip', 'users ann']);
  });

  it(`reads at most ${USERS_PER_READ} people at once`, () => {
    const { renewal, calls, tick } = setup();
    for (let i = 0; i < USERS_PER_READ + 1; i++) renewal.renew({ kind: 'user', id: `u${i}` }, `/u${i}?expires=1`);
    tick();
    expect(calls.map((call) => call.split(',').length)).toEqual([USERS_PER_READ, 1]);
  });
});
