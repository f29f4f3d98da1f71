import { ArrayMaxSize, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { CharLength } from '../../core/text.validators.js';
import { STICKER_LIMITS, TITLE_MAX } from './stickers.service.js';

// Letters, marks, numbers, punctuation, symbols and spaces: no control or format characters (as group titles).
const TITLE_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;
const TITLE_LENGTH = `A title is 1–${TITLE_MAX} characters long.`;
const TITLE_CHARACTERS = 'The title contains characters that are not allowed.';

@ArgsType()
export class CreateStickerPackArgs {
  @Field(() => String, { description: `The title, 1–${TITLE_MAX} characters.` })
  @CharLength(1, TITLE_MAX, { message: TITLE_LENGTH })
  @Matches(TITLE_PATTERN, { message: TITLE_CHARACTERS })
  title!: string;
}

@ArgsType()
export class RenameStickerPackArgs extends CreateStickerPackArgs {
  @Field(() => ID, { description: 'The pack (one of the viewer\'s).' })
  packId!: string;
}

@InputType({ description: 'A sticker to add to one of the viewer\'s packs.' })
export class AddStickerInput {
  @Field(() => ID, { description: 'The pack (one of the viewer\'s).' })
  packId!: string;

  @Field(() => ID, { description: 'The image: an upload of the viewer\'s made with `purpose=sticker` (POST /media), already a 512 px WebP.' })
  mediaId!: string;

  @Field(() => String, { description: 'The emoji it stands for: one emoji.' })
  @CharLength(1, 16, { message: "A sticker's keyword is one emoji." })
  emoji!: string;
}

@ArgsType()
export class ReorderStickersArgs {
  @Field(() => ID, { description: 'The pack (one of the viewer\'s).' })
  packId!: string;

  @Field(() => [ID], { description: 'Every sticker of the pack, once each, in the new order.' })
  @ArrayMaxSize(STICKER_LIMITS.stickersPerPack, { message: `A pack holds at most ${STICKER_LIMITS.stickersPerPack} stickers.` })
  @IsUUID('all', { each: true, message: 'stickerIds must hold sticker ids.' })
  stickerIds!: string[];
}

@ArgsType()
export class ReorderStickerPacksArgs {
  @Field(() => [ID], { description: "Every pack in the viewer's list but the built-in ones, once each, in the new order." })
  @ArrayMaxSize(STICKER_LIMITS.installedPacks, { message: `A list holds at most ${STICKER_LIMITS.installedPacks} packs.` })
  @IsUUID('all', { each: true, message: 'packIds must hold sticker pack ids.' })
  packIds!: string[];
}

@ArgsType()
export class StickerPackBySlugArgs {
  @Field(() => String, { description: 'The slug from the share link `/stickers/<slug>`.' })
  @Length(1, 64, { message: 'A slug is 1–64 characters long.' })
  slug!: string;
}

@ArgsType()
export class RecentStickersArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most this many (1–30).' })
  @Min(1, { message: 'first must be at least 1.' })
  @Max(30, { message: 'first must be at most 30.' })
  first!: number;
}
