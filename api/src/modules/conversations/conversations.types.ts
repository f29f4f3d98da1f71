import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConversationKind, MemberRole } from '../../generated/prisma/enums.js';

registerEnumType(ConversationKind, {
  name: 'ConversationKind',
  description: 'DIRECT: two people, one conversation per pair. GROUP: a titled conversation of several members.',
});
registerEnumType(MemberRole, {
  name: 'MemberRole',
  description: 'OWNER: one per group, may do anything. ADMIN: may rename, add and remove members. MEMBER: may write.',
});

@ObjectType({ description: 'A direct conversation or a group, as the viewer sees it.' })
export class Conversation {
  @Field(() => ID, { description: 'Stable id of the conversation.' })
  id!: string;

  @Field(() => ConversationKind, { description: 'Direct or group.' })
  kind!: ConversationKind;

  @Field(() => Int, {
    description:
      "The conversation's change counter: every message, edit, deletion and membership or title change takes the next value. For a viewer removed from the group, the seq of their removal (nothing later reaches them).",
  })
  seq!: number;

  @Field(() => Date, { description: 'When the conversation was created.' })
  createdAt!: Date;
}

@ObjectType({ description: 'A member of a conversation.' })
export class Member {
  @Field(() => MemberRole, { description: "The member's role (always MEMBER in a direct conversation)." })
  role!: MemberRole;

  @Field(() => Int, { description: "The member's read cursor: they have read everything up to this seq." })
  lastReadSeq!: number;

  @Field(() => Date, { description: 'When the member joined.' })
  joinedAt!: Date;
}

@ObjectType({ description: 'Where a page of a list ends.' })
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null for an empty page.' })
  endCursor!: string | null;

  @Field(() => Boolean, { description: 'Whether another page follows.' })
  hasNextPage!: boolean;
}

@ObjectType({ description: 'A page of conversations, by last activity, newest first.' })
export class ConversationConnection {
  @Field(() => [Conversation], { description: 'The conversations of this page.' })
  nodes!: unknown[];

  @Field(() => PageInfo, { description: 'Where this page ends.' })
  pageInfo!: PageInfo;
}
