import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Another person on this server, as the viewer may see them.' })
export class User {
  @Field(() => ID, { description: 'Stable id of the user.' })
  id!: string;

  @Field(() => String, { description: 'Unique user name.' })
  username!: string;

  @Field(() => String, { description: 'Name shown to others.' })
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'A short text about the user.' })
  bio!: string | null;

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt!: Date;
}
