import { describe, expect, it } from 'vitest';
import { gridMove, moved, shareLink } from './grid';

describe('gridMove', () => {
  // 10 items, 4 columns:  0 1 2 3 / 4 5 6 7 / 8 9
  it('moves by one across and by a row up and down, stopping at the edges', () => {
    expect(gridMove('ArrowRight', 2, 10, 4)).toBe(3);
    expect(gridMove('ArrowRight', 9, 10, 4)).toBe(9);
    expect(gridMove('ArrowLeft', 0, 10, 4)).toBe(0);
    expect(gridMove('ArrowDown', 1, 10, 4)).toBe(5);
    expect(gridMove('ArrowDown', 6, 10, 4)).toBe(6);
    expect(gridMove('ArrowUp', 5, 10, 4)).toBe(1);
    expect(gridMove('ArrowUp', 2, 10, 4)).toBe(2);
  });

  it('goes to the ends with Home and End, and ignores other keys', () => {
    expect(gridMove('Home', 7, 10, 4)).toBe(0);
    expect(gridMove('End', 0, 10, 4)).toBe(9);
    expect(gridMove('Enter', 3, 10, 4)).toBeNull();
    expect(gridMove('ArrowRight', 0, 0, 4)).toBeNull();
  });
});

describe('moved', () => {
  it('moves one item and keeps the others in order', () => {
    expect(moved(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b'], 1, 5)).toEqual(['a', 'b']);
  });
});

describe('shareLink', () => {
  it('is /stickers/<slug> on the origin', () => {
    expect(shareLink('https://chat.example', 'Ab-9_x')).toBe('https://chat.example/stickers/Ab-9_x');
  });
});
