import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A sticker: an image (WebP, at most 512 px a side, transparency kept) and the emoji it stands for.' })
export class Sticker {
  @Field(() => ID, { description: 'Stable id of the sticker; `sendMessage` takes it as `stickerId`.' })
  id!: string;

  @Field(() => ID, { description: 'The pack it belongs to.' })
  packId!: string;

  @Field(() => String, { description: 'The emoji it stands for: what a client suggests it for and shows in a preview.' })
  emoji!: string;
}

@ObjectType({ description: 'A sticker pack: built in, or made by someone from their own images.' })
export class StickerPack {
  @Field(() => ID, { description: 'Stable id of the pack.' })
  id!: string;

  @Field(() => String, { description: 'Its title, 1–64 characters.' })
  title!: string;

  @Field(() => String, {
    description: "The pack's share link is `/stickers/<slug>` on the web client; `stickerPack(slug:)` previews it. Unguessable for a person's pack.",
  })
  slug!: string;

  @Field(() => Boolean, { description: 'Ships with the server: in everyone\'s list, first, and cannot be removed from it.' })
  builtin!: boolean;

  @Field(() => Boolean, { description: 'Its owner published it: anyone signed in with the link may preview and add it. Built-in packs are.' })
  published!: boolean;

  @Field(() => Boolean, { description: 'The viewer made it (and may change it).' })
  mine!: boolean;

  @Field(() => Boolean, { description: "In the viewer's sticker list." })
  installed!: boolean;

  @Field(() => [Sticker], { description: 'Its stickers, in order.' })
  stickers!: unknown[];

  @Field(() => Int, { description: 'How many stickers it holds.' })
  stickerCount!: number;

  @Field(() => Date, { description: 'When it was made.' })
  createdAt!: Date;

  /** Resolved to `owner` (the User type lives in the users module). */
  ownerId!: string | null;
}
