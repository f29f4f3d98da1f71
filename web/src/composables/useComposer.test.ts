import { describe, expect, it } from 'vitest';
import type { MessageData } from '../graphql/messenger';
import { composerKeyAction, insertAt, lastEditable, throttleGate } from './useComposer';

const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, shiftKey: false, isComposing: false, altKey: false, ctrlKey: false, metaKey: false, ...extra });

describe('composerKeyAction', () => {
  it('sends on Enter, types a new line on Shift+Enter and while composing', () => {
    expect(composerKeyAction(key('Enter'), 'hi')).toBe('submit');
    expect(composerKeyAction(key('Enter', { shiftKey: true }), 'hi')).toBeNull();
    expect(composerKeyAction(key('Enter', { isComposing: true }), 'hi')).toBeNull();
  });

  it('edits the last message on Up only when the composer is empty', () => {
    expect(composerKeyAction(key('ArrowUp'), '')).toBe('edit-last');
    expect(composerKeyAction(key('ArrowUp'), 'x')).toBeNull();
    expect(composerKeyAction(key('Escape'), 'x')).toBe('cancel');
  });
});

describe('insertAt', () => {
  it('replaces the selection and puts the caret after the insert', () => {
    expect(insertAt('hello world', 6, 11, '🙂')).toEqual({ text: 'hello 🙂', caret: 8 });
    expect(insertAt('ab', 1, 1, 'X')).toEqual({ text: 'aXb', caret: 2 });
    expect(insertAt('ab', 9, 9, 'X')).toEqual({ text: 'abX', caret: 3 });
  });
});

describe('throttleGate', () => {
  it('lets one call through per interval', () => {
    const gate = throttleGate(3000);
    expect([gate(0), gate(1000), gate(2999), gate(3000), gate(3001)]).toEqual([true, false, false, true, false]);
  });
});

describe('lastEditable', () => {
  it('finds the latest own text message that is not deleted', () => {
    const m = (id: string, sender: string, extra: Partial<MessageData> = {}) => ({ id, kind: 'TEXT', deleted: false, sender: { id: sender }, ...extra }) as MessageData;
    expect(lastEditable([m('1', 'me'), m('2', 'me', { deleted: true }), m('3', 'bob')], 'me')?.id).toBe('1');
    expect(lastEditable([m('1', 'bob')], 'me')).toBeNull();
  });
});
