import { describe, expect, it } from 'vitest';
import { fileIcon, fitBox, formatBytes, gridColumns, kindOf, linkExpired, MAX_PHOTOS, planMessages } from './attachments';

const photo = (n: number) => ({ kind: 'photo' as const, n });
const file = (n: number) => ({ kind: 'file' as const, n });

describe('kindOf', () => {
  it('sends the images the API decodes as photos, anything else as a file', () => {
    expect(kindOf({ type: 'image/jpeg' })).toBe('photo');
    expect(kindOf({ type: 'image/png' })).toBe('photo');
    expect(kindOf({ type: 'image/svg+xml' })).toBe('file');
    expect(kindOf({ type: 'application/pdf' })).toBe('file');
    expect(kindOf({ type: '' })).toBe('file');
  });
});

describe('planMessages', () => {
  it('puts photos together with the caption', () => {
    expect(planMessages([photo(1), photo(2)], 'hi')).toEqual([{ items: [photo(1), photo(2)], body: 'hi' }]);
  });

  it('splits past ten photos and gives each file its own message, the caption on the first', () => {
    const photos = Array.from({ length: MAX_PHOTOS + 2 }, (_, i) => photo(i));
    const plan = planMessages([file(100), ...photos, file(101)], 'look');
    expect(plan.map((m) => [m.items.length, m.body])).toEqual([
      [10, 'look'],
      [2, ''],
      [1, ''],
      [1, ''],
    ]);
    expect(plan[2]!.items).toEqual([file(100)]);
    expect(plan[3]!.items).toEqual([file(101)]);
  });

  it('is the caption alone without attachments, and nothing for nothing', () => {
    expect(planMessages([], 'text')).toEqual([{ items: [], body: 'text' }]);
    expect(planMessages([], '')).toEqual([]);
  });
});

describe('fitBox', () => {
  it('scales a photo down to fit, keeping its shape, and never up', () => {
    expect(fitBox(4000, 3000, 320)).toEqual({ width: 320, height: 240 });
    expect(fitBox(1000, 2000, 320)).toEqual({ width: 160, height: 320 });
    expect(fitBox(100, 50, 320)).toEqual({ width: 100, height: 50 });
  });

  it('gives a 4:3 box when the size is unknown', () => {
    expect(fitBox(null, null, 320)).toEqual({ width: 320, height: 240 });
  });
});

describe('gridColumns', () => {
  it('lays one, two to four, and more photos out in 1, 2 and 3 columns', () => {
    expect([1, 2, 3, 4, 5, 10].map(gridColumns)).toEqual([1, 2, 2, 2, 3, 3]);
  });
});

describe('formatBytes', () => {
  it('says sizes in the largest unit that fits', () => {
    expect(formatBytes(512, 'en')).toBe('512 byte');
    expect(formatBytes(24 * 1024, 'en')).toBe('24 kB');
    expect(formatBytes(3.44 * 1024 ** 2, 'en')).toBe('3.4 MB');
  });
});

describe('fileIcon', () => {
  it('picks an icon from the extension, case-insensitively', () => {
    expect(fileIcon('Report.PDF')).toBe('pdf');
    expect(fileIcon('backup.tar.gz')).toBe('archive');
    expect(fileIcon('notes')).toBe('file');
    expect(fileIcon(null)).toBe('file');
  });
});

describe('linkExpired', () => {
  const link = (expires: number) => `/media/0190/original?expires=${expires}&signature=abc`;
  const now = 1_800_000_000_000;

  it('says a signed link has run out at its expiry, a few seconds early, and not before', () => {
    expect(linkExpired(link(now / 1000 - 1), now)).toBe(true);
    expect(linkExpired(link(now / 1000 + 3), now)).toBe(true); // within the margin: it would run out on the way
    expect(linkExpired(link(now / 1000 + 60), now)).toBe(false);
  });

  it('never for a link without an expiry', () => {
    expect(linkExpired('/media/0190/original', now)).toBe(false);
    expect(linkExpired('https://example.org/file?expires=soon', now)).toBe(false);
  });
});
