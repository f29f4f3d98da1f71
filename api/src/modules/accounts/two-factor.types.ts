import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'A new authenticator secret, pending until `confirmTwoFactorSetup` accepts a code made from it. Shown this once: the API never returns it again.',
})
export class TwoFactorSetup {
  @Field(() => String, { description: 'The secret in base32, for typing into an authenticator app by hand.' })
  secret!: string;

  @Field(() => String, { description: 'The same secret as an `otpauth://totp/…` URI, for showing as a QR code to scan.' })
  otpauthUri!: string;
}

@ObjectType({
  description: 'Single-use recovery codes, each of which stands in for an authenticator code once. Shown this once: the server keeps only their hashes.',
})
export class RecoveryCodes {
  @Field(() => [String], { description: 'The codes, as `ABCD-EFGH-JKMN`; case, spaces and dashes do not matter when one is typed.' })
  codes!: string[];
}
