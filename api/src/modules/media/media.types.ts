import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MediaPurpose } from '../../generated/prisma/enums.js';

registerEnumType(MediaPurpose, {
  name: 'MediaPurpose',
  description: 'What an upload was made for (POST /media?purpose=…): PHOTO and FILE go into messages, AVATAR into setAvatar, STICKER into sticker packs.',
});

@ObjectType({ description: 'An uploaded photo or file. Its URLs are signed and short-lived (MEDIA_URL_TTL): read the media again for fresh ones.' })
export class Media {
  @Field(() => ID, { description: 'Stable id of the media.' })
  id!: string;

  @Field(() => MediaPurpose, { description: 'What it was uploaded for.' })
  purpose!: MediaPurpose;

  @Field(() => String, { description: 'Its type, found from its content: image/jpeg or image/webp for images (re-encoded), application/octet-stream when unknown.' })
  mime!: string;

  @Field(() => Int, { description: 'Its size as stored, in bytes.' })
  bytes!: number;

  @Field(() => Int, { nullable: true, description: 'Width in pixels, for images (orientation applied).' })
  width!: number | null;

  @Field(() => Int, { nullable: true, description: 'Height in pixels, for images.' })
  height!: number | null;

  @Field(() => String, { nullable: true, description: "A file's name as uploaded; null for images." })
  name!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A ThumbHash of an image (base64, ~30 bytes): decode it into a blurred preview at the final size while the image loads.',
  })
  placeholder!: string | null;
}

@ObjectType({ description: "A person's or a group's picture: square, in two sizes." })
export class Avatar {
  @Field(() => ID, { description: 'The media it was made from: changes when the picture does.' })
  id!: string;

  @Field(() => String, { description: 'Signed URL of the 128 × 128 picture, for lists.' })
  small!: string;

  @Field(() => String, { description: 'Signed URL of the 512 × 512 picture, for headers and profiles.' })
  large!: string;

  @Field(() => String, { nullable: true, description: 'A ThumbHash of it (base64).' })
  placeholder!: string | null;
}
