/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** A sticker to add to one of the viewer's packs. */
export type AddStickerInput = {
  /** The emoji it stands for: one emoji. */
  emoji: string;
  /** The image: an upload of the viewer's made with `purpose=sticker` (POST /media), already a 512 px WebP. */
  mediaId: string;
  /** The pack (one of the viewer's). */
  packId: string;
};

/** Starts turning two-factor sign-in on. */
export type BeginTwoFactorSetupInput = {
  /** The signed-in user's current password. */
  password: string;
};

/** A new password for the signed-in account, with the current one as proof. */
export type ChangePasswordInput = {
  /** The password the account has now. */
  currentPassword: string;
  /** The new password: 8–128 characters, not a common password, not the current one. */
  newPassword: string;
};

/** A new user name for the signed-in account. */
export type ChangeUsernameInput = {
  /** 3–32 letters (a–z), digits or underscores; unique regardless of case. */
  username: string;
};

/** The second step of signing in to an account with two-factor sign-in on. */
export type CompleteLoginInput = {
  /** The `challenge` from the TWO_FACTOR_REQUIRED error that `login` answered. */
  challenge: string;
  /** The current 6-digit code from the authenticator app, or an unused recovery code. */
  code: string;
};

/** DIRECT: two people, one conversation per pair. GROUP: a titled conversation of several members. */
export type ConversationKind =
  | 'DIRECT'
  | 'GROUP';

/** A new group. */
export type CreateGroupInput = {
  /** The first members besides the creator (who becomes the owner). */
  memberIds?: Array<string>;
  /** The group title, 1–128 characters. */
  title: string;
};

/** Proof that the signed-in person means to delete their account. */
export type DeleteAccountInput = {
  /** With two-factor sign-in on (required then): a code from the authenticator app, or an unused recovery code. Ignored otherwise. */
  code?: string | null | undefined;
  /** The account's password. */
  password: string;
};

/** Proof of both factors, for turning two-factor sign-in off. */
export type DisableTwoFactorInput = {
  /** The current 6-digit code from the authenticator app, or an unused recovery code. */
  code: string;
  /** The signed-in user's current password. */
  password: string;
};

/** Who may find a user by search. */
export type DiscoverPrivacy =
  | 'CONTACTS_OF_CONTACTS'
  | 'EVERYONE'
  | 'NOBODY';

/** Who may see when a user was last online. */
export type LastSeenPrivacy =
  | 'CONTACTS'
  | 'EVERYONE'
  | 'NOBODY';

/** Credentials for signing in. */
export type LoginInput = {
  /** User name or email address. */
  login: string;
  /** The account password. */
  password: string;
};

/** OWNER: one per group, may do anything. ADMIN: may rename, add and remove members. MEMBER: may write. */
export type MemberRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

/** TEXT: Markdown. IMAGE, STICKER, FILE: media (body is the caption). SYSTEM: a membership or title change, described by `event`. */
export type MessageKind =
  | 'FILE'
  | 'IMAGE'
  | 'STICKER'
  | 'SYSTEM'
  | 'TEXT';

/** Who may start a direct conversation with a user. */
export type MessagePrivacy =
  | 'CONTACTS'
  | 'EVERYONE';

/** Proof of both factors, for replacing the recovery codes. */
export type RegenerateRecoveryCodesInput = {
  /** The current 6-digit code from the authenticator app, or an unused recovery code. */
  code: string;
  /** The signed-in user's current password. */
  password: string;
};

/** A new account. */
export type RegisterInput = {
  /** Name shown to others; defaults to the user name. */
  displayName?: string | null | undefined;
  /** Email address; stored lower-cased and unique. */
  email: string;
  /** 8–128 characters, not a common password. */
  password: string;
  /** 3–32 letters (a–z), digits or underscores; unique regardless of case. */
  username: string;
};

/** A change of the signed-in user's email address, confirmed by a link mailed to the new one. */
export type RequestEmailChangeInput = {
  /** The new email address; stored lower-cased and unique. */
  newEmail: string;
  /** The current password, to show that the owner of the account asks. */
  password: string;
};

/** A new password, set with the token of a password reset link. */
export type ResetPasswordInput = {
  /** The new password: 8–128 characters, not a common one, not containing the user name. */
  newPassword: string;
  /** The token from the link mailed by `requestPasswordReset` (after `#token=`). */
  token: string;
};

/** A message to send. */
export type SendMessageInput = {
  /** Markdown source, 1–4000 characters after trimming, no control characters; with `mediaIds`, the caption, which may be empty. */
  body?: string;
  /** The sender's idempotency key (1–64 of A–Z a–z 0–9 _ -): a retry with the same key returns the first result instead of sending twice. */
  clientMsgId: string;
  /** The conversation. */
  conversationId: string;
  /** Photos (1–10), or one file, uploaded by the sender with POST /media (purpose photo or file) and not sent before: an IMAGE or FILE message. */
  mediaIds?: Array<string> | null | undefined;
  /** The message this one replies to, in the same conversation. */
  replyToId?: string | null | undefined;
  /** A sticker from the sender's packs (built-in, in their list, or their own): a STICKER message, sent alone (no body, no mediaIds). */
  stickerId?: string | null | undefined;
};

/** The last seq a client applied in one conversation (and the last of the viewer's hidden messages there). */
export type SyncCursorInput = {
  /** The conversation. */
  conversationId: string;
  /** The last hidden cursor applied (Conversation.hiddenSeq, ConversationChanges.hiddenSeq, MessageHiddenEvent.hiddenSeq): the messages the viewer deleted for themselves after it come in `hiddenMessageIds`, also when nothing else changed. Without it, none are listed. */
  hiddenSeq?: number | null | undefined;
  /** The last seq applied. */
  seq: number;
};

/** Why a SyncRequiredEvent was sent. More reasons may be added; answer any reason the same way. */
export type SyncReason =
  /** Events may not have reached this subscription: the server's link to its other instances was interrupted (Redis was away), or it began to follow a conversation the viewer joined after changes were already made in it. */
  | 'EVENTS_INTERRUPTED';

/** What a SYSTEM message records. */
export type SystemEventType =
  | 'AVATAR_CHANGED'
  | 'GROUP_CREATED'
  | 'MEMBERS_ADDED'
  | 'MEMBER_LEFT'
  | 'MEMBER_REMOVED'
  | 'ROLE_CHANGED'
  | 'TITLE_CHANGED';

/** Changes to the signed-in user's profile and privacy; fields left out stay as they are. */
export type UpdateProfileInput = {
  /** A short text about the user, up to 500 characters; empty clears it. */
  bio?: string | null | undefined;
  /** Name shown to others, 1–64 characters. */
  displayName?: string | null | undefined;
  /** Preferred language: "en" or "ru". */
  locale?: string | null | undefined;
  /** Who may find the user by search. */
  whoCanFind?: DiscoverPrivacy | null | undefined;
  /** Who may start a direct conversation with the user. */
  whoCanMessage?: MessagePrivacy | null | undefined;
  /** Who may see when the user was last online. */
  whoSeesLastSeen?: LastSeenPrivacy | null | undefined;
};

export type ProfileFieldsFragment = { bio: string | null, locale: string, whoCanMessage: MessagePrivacy, whoCanFind: DiscoverPrivacy, whoSeesLastSeen: LastSeenPrivacy, id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;


export type RegisterMutation = { register: { token: string, me: { bio: string | null, locale: string, whoCanMessage: MessagePrivacy, whoCanFind: DiscoverPrivacy, whoSeesLastSeen: LastSeenPrivacy, id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } } };

export type ProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type ProfileQuery = { me: { bio: string | null, locale: string, whoCanMessage: MessagePrivacy, whoCanFind: DiscoverPrivacy, whoSeesLastSeen: LastSeenPrivacy, id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { updateProfile: { bio: string | null, locale: string, whoCanMessage: MessagePrivacy, whoCanFind: DiscoverPrivacy, whoSeesLastSeen: LastSeenPrivacy, id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } };

export type SessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionsQuery = { sessions: Array<{ id: string, current: boolean, userAgent: string | null, ip: string | null, createdAt: string, lastUsedAt: string }> };

export type RevokeSessionMutationVariables = Exact<{
  id: string;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type BlockedUsersQueryVariables = Exact<{ [key: string]: never; }>;


export type BlockedUsersQuery = { blockedUsers: Array<{ id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }> };

export type MessageFieldsFragment = { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null };

export type EventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type EventsSubscription = { events:
    | { __typename: 'ConversationRemovedEvent', conversationId: string }
    | { __typename: 'ConversationUpdatedEvent', conversationId: string, seq: number, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MemberJoinedEvent', conversationId: string, seq: number, userIds: Array<string>, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MemberLeftEvent', conversationId: string, seq: number, userId: string, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MemberRoleChangedEvent', conversationId: string, seq: number, userId: string, role: MemberRole, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MessageAddedEvent', conversationId: string, seq: number, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MessageDeletedEvent', conversationId: string, seq: number, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MessageEditedEvent', conversationId: string, seq: number, message: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } }
    | { __typename: 'MessageHiddenEvent', conversationId: string, messageId: string, hiddenSeq: number }
    | { __typename: 'PresenceEvent', userId: string, online: boolean, lastSeenAt: string | null }
    | { __typename: 'ProfileChangedEvent', user: { id: string, username: string, displayName: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }
    | { __typename: 'ReadReceiptEvent', conversationId: string, userId: string, lastReadSeq: number }
    | { __typename: 'SyncRequiredEvent', reason: SyncReason }
    | { __typename: 'TypingEvent', conversationId: string, userId: string, user: { id: string, displayName: string } }
   };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { token: string, me: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } } };

export type CompleteLoginMutationVariables = Exact<{
  input: CompleteLoginInput;
}>;


export type CompleteLoginMutation = { completeLogin: { token: string, me: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type MeFieldsFragment = { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } };

export type MyCardQueryVariables = Exact<{
  username: string;
}>;


export type MyCardQuery = { user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null };

export type SetAvatarMutationVariables = Exact<{
  mediaId: string;
}>;


export type SetAvatarMutation = { setAvatar: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type RemoveAvatarMutationVariables = Exact<{ [key: string]: never; }>;


export type RemoveAvatarMutation = { removeAvatar: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type SetGroupAvatarMutationVariables = Exact<{
  conversationId: string;
  mediaId: string;
}>;


export type SetGroupAvatarMutation = { setGroupAvatar: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type RemoveGroupAvatarMutationVariables = Exact<{
  conversationId: string;
}>;


export type RemoveGroupAvatarMutation = { removeGroupAvatar: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type UserAvatarsQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type UserAvatarsQuery = { users: Array<{ id: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }> };

export type GroupAvatarQueryVariables = Exact<{
  id: string;
}>;


export type GroupAvatarQuery = { conversation: { id: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type UserAvatarFragment = { id: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null };

export type UserFieldsFragment = { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null };

export type PublicProfileFragment = { id: string, username: string, displayName: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null };

export type ConversationFieldsFragment = { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null };

export type ConversationsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConversationsQuery = { conversations: { nodes: Array<{ id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type ConversationQueryVariables = Exact<{
  id: string;
}>;


export type ConversationQuery = { conversation: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type MessagesQueryVariables = Exact<{
  conversationId: string;
  before?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type MessagesQuery = { messages: { hasMore: boolean, messages: Array<{ id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null }> } };

export type ChangesQueryVariables = Exact<{
  conversationId: string;
  afterSeq: number;
  hiddenAfter?: number | null | undefined;
}>;


export type ChangesQuery = { changes: { toSeq: number, hiddenMessageIds: Array<string>, hiddenSeq: number, hasMore: boolean, conversation: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }, messages: Array<{ id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null }> } };

export type SyncQueryVariables = Exact<{
  cursors: Array<SyncCursorInput> | SyncCursorInput;
}>;


export type SyncQuery = { sync: { removedConversationIds: Array<string>, hasMore: boolean, changes: Array<{ toSeq: number, hiddenMessageIds: Array<string>, hiddenSeq: number, hasMore: boolean, conversation: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }, messages: Array<{ id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null }> }> } };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } };

export type EditMessageMutationVariables = Exact<{
  messageId: string;
  body: string;
}>;


export type EditMessageMutation = { editMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } };

export type DeleteMessageMutationVariables = Exact<{
  messageId: string;
}>;


export type DeleteMessageMutation = { deleteMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } };

export type DeleteMessageForMeMutationVariables = Exact<{
  messageId: string;
}>;


export type DeleteMessageForMeMutation = { deleteMessageForMe: boolean };

export type MarkReadMutationVariables = Exact<{
  conversationId: string;
  seq: number;
}>;


export type MarkReadMutation = { markRead: { id: string, unreadCount: number, lastReadSeq: number } };

export type SetTypingMutationVariables = Exact<{
  conversationId: string;
}>;


export type SetTypingMutation = { setTyping: boolean };

export type SetMutedMutationVariables = Exact<{
  conversationId: string;
  muted: boolean;
}>;


export type SetMutedMutation = { setMuted: { id: string, muted: boolean } };

export type CreateDirectMutationVariables = Exact<{
  userId: string;
}>;


export type CreateDirectMutation = { createDirectConversation: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type CreateGroupMutationVariables = Exact<{
  input: CreateGroupInput;
}>;


export type CreateGroupMutation = { createGroup: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type RenameGroupMutationVariables = Exact<{
  conversationId: string;
  title: string;
}>;


export type RenameGroupMutation = { renameGroup: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type AddMembersMutationVariables = Exact<{
  conversationId: string;
  userIds: Array<string> | string;
}>;


export type AddMembersMutation = { addMembers: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type RemoveMemberMutationVariables = Exact<{
  conversationId: string;
  userId: string;
}>;


export type RemoveMemberMutation = { removeMember: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type SetMemberRoleMutationVariables = Exact<{
  conversationId: string;
  userId: string;
  role: MemberRole;
}>;


export type SetMemberRoleMutation = { setMemberRole: { id: string, kind: ConversationKind, title: string, seq: number, unreadCount: number, muted: boolean, myRole: MemberRole, lastReadSeq: number, visibleFromSeq: number, hiddenSeq: number, removedAtSeq: number | null, lastActivityAt: string, lastMessage: { id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null } | null, otherUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, members: Array<{ role: MemberRole, lastReadSeq: number, user: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } }>, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type LeaveMutationVariables = Exact<{
  conversationId: string;
}>;


export type LeaveMutation = { leaveConversation: boolean };

export type DeleteConversationMutationVariables = Exact<{
  conversationId: string;
  forEveryone: boolean;
}>;


export type DeleteConversationMutation = { deleteConversation: boolean };

export type SearchUsersQueryVariables = Exact<{
  query: string;
}>;


export type SearchUsersQuery = { searchUsers: Array<{ id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }> };

export type ContactsQueryVariables = Exact<{ [key: string]: never; }>;


export type ContactsQuery = { contacts: Array<{ id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null }> };

export type AddContactMutationVariables = Exact<{
  userId: string;
}>;


export type AddContactMutation = { addContact: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type BlockUserMutationVariables = Exact<{
  userId: string;
}>;


export type BlockUserMutation = { blockUser: { id: string, username: string, displayName: string, online: boolean | null, lastSeenAt: string | null, isContact: boolean, isBlocked: boolean, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } };

export type UnblockUserMutationVariables = Exact<{
  userId: string;
}>;


export type UnblockUserMutation = { unblockUser: boolean };

export type SearchMessagesQueryVariables = Exact<{
  query: string;
  conversationId?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type SearchMessagesQuery = { searchMessages: { nodes: Array<{ id: string, conversationId: string, seq: number, updatedSeq: number, kind: MessageKind, body: string, edited: boolean, deleted: boolean, clientMsgId: string | null, createdAt: string, isReply: boolean, sender: { id: string, displayName: string, username: string, avatar: { id: string, small: string, large: string, placeholder: string | null } | null } | null, replyTo: { id: string, seq: number, kind: MessageKind, body: string, deleted: boolean, sender: { id: string, displayName: string } | null } | null, event: { type: SystemEventType, title: string | null, role: MemberRole | null, actor: { id: string, displayName: string } | null, users: Array<{ id: string, displayName: string }> } | null, attachments: Array<{ id: string, mime: string, bytes: number, width: number | null, height: number | null, name: string | null, placeholder: string | null, url: string, thumbnailUrl: string | null }>, sticker: { id: string, packId: string, emoji: string, url: string, width: number, height: number } | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type RequestPasswordResetMutationVariables = Exact<{
  login: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetPasswordMutation = { resetPassword: { token: string, me: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } } };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type VerifyEmailMutation = { verifyEmail: boolean };

export type ConfirmEmailChangeMutationVariables = Exact<{
  token: string;
}>;


export type ConfirmEmailChangeMutation = { confirmEmailChange: boolean };

export type ResendVerificationEmailMutationVariables = Exact<{ [key: string]: never; }>;


export type ResendVerificationEmailMutation = { resendVerificationEmail: boolean };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type RequestEmailChangeMutationVariables = Exact<{
  input: RequestEmailChangeInput;
}>;


export type RequestEmailChangeMutation = { requestEmailChange: boolean };

export type ChangeUsernameMutationVariables = Exact<{
  input: ChangeUsernameInput;
}>;


export type ChangeUsernameMutation = { changeUsername: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } };

export type SignOutOtherSessionsMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutOtherSessionsMutation = { signOutOtherSessions: number };

export type DeleteAccountMutationVariables = Exact<{
  input: DeleteAccountInput;
}>;


export type DeleteAccountMutation = { deleteAccount: boolean };

export type BeginTwoFactorSetupMutationVariables = Exact<{
  input: BeginTwoFactorSetupInput;
}>;


export type BeginTwoFactorSetupMutation = { beginTwoFactorSetup: { secret: string, otpauthUri: string } };

export type ConfirmTwoFactorSetupMutationVariables = Exact<{
  code: string;
}>;


export type ConfirmTwoFactorSetupMutation = { confirmTwoFactorSetup: { codes: Array<string> } };

export type DisableTwoFactorMutationVariables = Exact<{
  input: DisableTwoFactorInput;
}>;


export type DisableTwoFactorMutation = { disableTwoFactor: { id: string, username: string, displayName: string, email: string, emailVerified: boolean, pendingEmail: string | null, twoFactorEnabled: boolean, recoveryCodesLeft: number } };

export type RegenerateRecoveryCodesMutationVariables = Exact<{
  input: RegenerateRecoveryCodesInput;
}>;


export type RegenerateRecoveryCodesMutation = { regenerateRecoveryCodes: { codes: Array<string> } };

export type StickerFieldsFragment = { id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number };

export type StickerPackFieldsFragment = { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> };

export type StickerPacksQueryVariables = Exact<{ [key: string]: never; }>;


export type StickerPacksQuery = { stickerPacks: Array<{ id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> }>, recentStickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> };

export type MyStickerPacksQueryVariables = Exact<{ [key: string]: never; }>;


export type MyStickerPacksQuery = { myStickerPacks: Array<{ id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> }>, stickerPacks: Array<{ id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> }> };

export type StickerPackQueryVariables = Exact<{
  slug: string;
}>;


export type StickerPackQuery = { stickerPack: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type CreateStickerPackMutationVariables = Exact<{
  title: string;
}>;


export type CreateStickerPackMutation = { createStickerPack: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type AddStickerMutationVariables = Exact<{
  input: AddStickerInput;
}>;


export type AddStickerMutation = { addSticker: { id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number } };

export type RemoveStickerMutationVariables = Exact<{
  stickerId: string;
}>;


export type RemoveStickerMutation = { removeSticker: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type ReorderStickersMutationVariables = Exact<{
  packId: string;
  stickerIds: Array<string> | string;
}>;


export type ReorderStickersMutation = { reorderStickers: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type PublishStickerPackMutationVariables = Exact<{
  packId: string;
}>;


export type PublishStickerPackMutation = { publishStickerPack: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type InstallStickerPackMutationVariables = Exact<{
  packId: string;
}>;


export type InstallStickerPackMutation = { installStickerPack: { id: string, title: string, slug: string, builtin: boolean, published: boolean, mine: boolean, installed: boolean, stickerCount: number, owner: { id: string, displayName: string } | null, stickers: Array<{ id: string, packId: string, emoji: string, url: string, thumbnailUrl: string | null, width: number, height: number }> } };

export type UninstallStickerPackMutationVariables = Exact<{
  packId: string;
}>;


export type UninstallStickerPackMutation = { uninstallStickerPack: boolean };
