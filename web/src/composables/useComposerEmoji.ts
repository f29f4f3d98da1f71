/** The composer's built-in emoji: about a hundred common ones in a few categories (no dependency). */
export interface EmojiCategory {
  /** Key under `conversation.emoji`. */
  id: 'smileys' | 'gestures' | 'hearts' | 'nature' | 'food' | 'objects';
  icon: string;
  emoji: string[];
}

const split = (list: string) => [...new Intl.Segmenter().segment(list.replace(/\s+/g, ''))].map((s) => s.segment);

export const EMOJI_CATEGORIES: readonly EmojiCategory[] = [
  { id: 'smileys', icon: '😀', emoji: split('😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😋😛😜🤪🤓😎🤩🥳😏😒😞😔😟😕🙁😣😖😫😩🥺😢😭😤😠😡🤯😳😱😨🤔🤗🤭🤫😶😐😑😬🙄😴🤤😷🤒') },
  { id: 'gestures', icon: '👍', emoji: split('👍👎👌✌️🤞🤟🤘👏🙌👐🤝🙏💪👋🤙👉👈👆👇☝️✋') },
  { id: 'hearts', icon: '❤️', emoji: split('❤️🧡💛💚💙💜🖤🤍💔💕💞💖') },
  { id: 'nature', icon: '🌸', emoji: split('🐶🐱🐭🦊🐻🐼🐸🐵🌸🌻🌈☀️🌙⭐🔥❄️') },
  { id: 'food', icon: '🍕', emoji: split('🍎🍌🍉🍓🍕🍔🍟🌮🍣🍰🍪☕🍺🍷') },
  { id: 'objects', icon: '🎉', emoji: split('🎉🎁🎂🎈✨💡📌📎✅❌⚠️❓💯🚀⏰📷') },
];
