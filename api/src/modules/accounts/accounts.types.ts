import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DiscoverPrivacy, LastSeenPrivacy, MessagePrivacy } from '../../generated/prisma/enums.js';
import { registerEnumType } from 'type-graphql';

registerEnumType(MessagePrivacy, { name: 'MessagePrivacy', description: 'Who may start a direct conversation with a user.' });
registerEnumType(DiscoverPrivacy, { name: 'DiscoverPrivacy', description: 'Who may find a user by search.' });
registerEnumType(LastSeenPrivacy, { name: 'LastSeenPrivacy', description: 'Who may see when a user was last online.' });

@ObjectType({ description: 'The signed-in user: profile and private settings.' })
export class Me {
  @Field(() => ID, { description: 'Stable id of the user.' })
  id!: string;

  @Field(() => String, { description: 'Unique user name, as the user typed it.' })
  username!: string;

  @Field(() => String, { description: 'Name shown to others.' })
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'A short text about the user.' })
  bio!: string | null;

  @Field(() => String, { description: 'Email address (lower-cased).' })
  email!: string;

  @Field(() => Boolean, { description: 'Whether the email address has been confirmed.' })
  emailVerified!: boolean;

  @Field(() => Boolean, { description: 'Whether signing in asks for a code from an authenticator app (or a recovery code) after the password.' })
  twoFactorEnabled!: boolean;

  @Field(() => Int, { description: 'How many unused recovery codes are left; 0 while two-factor sign-in is off.' })
  recoveryCodesLeft!: number;

  @Field(() => String, { description: 'Preferred language (BCP 47 tag), e.g. "en" or "ru".' })
  locale!: string;

  @Field(() => MessagePrivacy, { description: 'Who may start a direct conversation with this user.' })
  whoCanMessage!: MessagePrivacy;

  @Field(() => DiscoverPrivacy, { description: 'Who may find this user by search.' })
  whoCanFind!: DiscoverPrivacy;

  @Field(() => LastSeenPrivacy, { description: 'Who may see when this user was last online.' })
  whoSeesLastSeen!: LastSeenPrivacy;

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt!: Date;
}

@ObjectType('Session', { description: 'A signed-in device or browser.' })
export class SessionInfo {
  @Field(() => ID, { description: 'Id of the session (not its token).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'User agent of the client that signed in.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'IP address the session was last used from.' })
  ip!: string | null;

  @Field(() => Date, { description: 'When the user signed in.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'Last request made with this session.' })
  lastUsedAt!: Date;

  @Field(() => Date, { description: 'When the session ends unless it is used again (sliding expiry).' })
  expiresAt!: Date;

  @Field(() => Boolean, { description: 'Whether this is the session making the request.' })
  current!: boolean;
}

@ObjectType({ description: 'The result of signing in or registering.' })
export class AuthPayload {
  @Field(() => String, {
    description: 'Opaque session token: send it as `Authorization: Bearer <token>`, or as `token` in the WebSocket connection params.',
  })
  token!: string;

  @Field(() => SessionInfo, { description: 'The session just started.' })
  session!: SessionInfo;

  @Field(() => Me, { description: 'The signed-in user.' })
  me!: Me;
}
