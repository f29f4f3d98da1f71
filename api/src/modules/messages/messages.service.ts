/**
 * Messages: sending (idempotent per sender and clientMsgId, acknowledged after commit),
 * editing, deleting (a tombstone) or deleting for oneself, reading history by seq, catching
 * up after a gap or a reconnect, and full-text search. Each change takes the conversation's
 * next seq; deleting for oneself takes none (no one else sees a change), but the member's own
 * count of hidden messages there, which their other devices catch up from.
 */
import { badInput, forbidden, notFound } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { isUuid } from '../../core/ids.js';
import type { Viewer } from '../../app/context.js';
import type { Limiter } from '../../core/rate-limit.js';
import type { Conversation, Membership, Message, User } from '../../generated/prisma/client.js';
import { CatchUp, type ConversationChanges, type SyncCursor, type SyncResult } from './messages.catchup.js';
import { DuplicateSend, MediaAlreadySent, MediaGone, type Appended, type ChangeLog, type MessageContent, type Revision } from '../conversations/conversations.changes.js';
import { uploadsNotFound, type MediaAttachments } from '../media/media.attachments.js';
import type { MessageRepository } from './messages.repository.js';
import type { StickerService } from '../stickers/stickers.service.js';
import { CANNOT_MESSAGE, REMOVED, type ConversationService } from '../conversations/conversations.service.js';
import { canSee, inHistory, isRemoved } from '../conversations/visibility.js';
import { decodeCursor, encodeCursor, type Page } from '../conversations/conversations.cursor.js';
import type { UserService } from '../users/users.service.js';
import { normalizeBody, normalizeCaption } from './messages.body.js';
import { searchText } from '../users/users.rules.js';

export interface SendInput {
  conversationId: string;
  clientMsgId: string;
  /** The text, or the caption of photos or a file (which may be empty). */
  body: string;
  replyToId?: string | null;
  /** Photos, or one file, uploaded by the sender (POST /media) and not yet sent. */
  mediaIds?: string[] | null;
  /** A sticker from the sender's packs, sent alone. */
  stickerId?: string | null;
}

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
  /** The senders of `messages`, read with them. */
  senders: User[];
}

export interface SendLimiters {
  sendPerAccount: Limiter;
  sendPerIp: Limiter;
}

export class MessageService {
  /** `changes` and `sync`. */
  private readonly catchUp: CatchUp;

  constructor(
    private readonly repository: MessageRepository,
    private readonly bus: EventBus,
    private readonly changeLog: ChangeLog,
    private readonly conversations: ConversationService,
    private readonly users: UserService,
    private readonly attachments: MediaAttachments,
    private readonly stickers: Pick<StickerService, 'sendable' | 'used'>,
    private readonly limiters: SendLimiters,
  ) {
    this.catchUp = new CatchUp(repository);
  }

  /**
   * Sends a message. A retry with the same clientMsgId returns the first result, also
   * when the retries race; the loser's statement rolls back and gives its seq back.
   */
  async send(viewer: Viewer, input: SendInput, ip: string | null = null): Promise<Message> {
    const mediaIds = input.mediaIds ?? [];
    const stickerId = input.stickerId ?? null;
    if (stickerId !== null && (mediaIds.length > 0 || input.body.trim() !== '')) {
      throw badInput([{ field: 'stickerId', constraint: 'alone', message: 'A sticker is sent alone: no body or media with it.' }]);
    }
    const body = stickerId !== null ? '' : mediaIds.length > 0 ? normalizeCaption(input.body, 'body') : normalizeBody(input.body, 'body');
    const { membership: mine, earlier } = isUuid(input.conversationId)
      ? await this.repository.sendContext(viewer.userId, input.conversationId, input.clientMsgId)
      : { membership: null, earlier: null };
    if (!mine) throw notFound('Conversation');
    // From here on the id as stored: PostgreSQL also takes it in capitals, and events and retries compare the string.
    const { conversationId } = mine;
    if (earlier) return this.retried(earlier, conversationId); // a retry is not a new send: it costs nothing against the limits
    // Both at once: with Redis they travel in one round trip.
    await Promise.all([this.limiters.sendPerAccount.consume(viewer.userId), this.limiters.sendPerIp.consume(ip ?? 'unknown')]);
    await this.requireMayWrite(viewer, mine);
    const replyToId = input.replyToId ? (await this.replyTarget(mine, input.replyToId)).id : null;
    const content: MessageContent =
      stickerId !== null
        ? { kind: 'STICKER', stickerId: (await this.stickers.sendable(viewer, stickerId)).id }
        : mediaIds.length > 0
          ? { ...(await this.attachments.messageContent(viewer.userId, mediaIds)), caption: body }
          : { kind: 'TEXT', body };

    let stored: Appended | null;
    try {
      stored = await this.changeLog.append({ conversationId, senderId: viewer.userId, clientMsgId: input.clientMsgId, replyToId, content });
    } catch (error) {
      if (error instanceof MediaAlreadySent) {
        throw badInput([{ field: 'mediaIds', constraint: 'unsent', message: 'This media was sent in a message already: upload it again.' }]);
      }
      if (error instanceof MediaGone) throw uploadsNotFound();
      if (!(error instanceof DuplicateSend)) throw error;
      const winner = await this.bySenderKey(viewer, input.clientMsgId, conversationId);
      if (!winner) throw error;
      return winner;
    }
    if (!stored) throw notFound('Conversation'); // deleted for everyone a moment ago
    const { message, sender, recipients, replyTargetUnseenBy } = stored;
    this.bus.publish(recipients, { type: 'MESSAGE_ADDED', conversationId, seq: message.seq, message, sender, replyTargetUnseenBy });
    // The sender's "recently used" row is a convenience: the send is committed and answered whatever becomes of it.
    if (content.kind === 'STICKER') await this.stickers.used(viewer, content.stickerId); // never fails: a failure is logged there
    return message;
  }

  /** Edits one's own text message, or the caption of one's photos or file (which may be emptied); it is marked edited and takes a new seq. */
  async edit(viewer: Viewer, messageId: string, text: string): Promise<Message> {
    // A malformed text is refused before the message is looked at; only whether it may be empty depends on the message.
    const caption = normalizeCaption(text, 'body');
    const { message, membership } = await this.visibleMessage(viewer, messageId);
    if (message.senderId !== viewer.userId) throw forbidden('You can only edit your own messages.');
    if (!['TEXT', 'IMAGE', 'FILE'].includes(message.kind) || message.deletedAt) {
      throw badInput([{ field: 'messageId', constraint: 'editable', message: 'This message cannot be edited.' }]);
    }
    const body = message.kind === 'TEXT' ? normalizeBody(text, 'body') : caption;
    await this.requireMayWrite(viewer, membership);
    if (message.body === body) return message;
    return this.change(message, 'MESSAGE_EDITED', { kind: 'EDIT', body });
  }

  /**
   * Deletes a message for the viewer alone ("delete for me"): it leaves every reader of theirs,
   * and their devices are told (MESSAGE_HIDDEN). Any message of their history, a SYSTEM one or a
   * tombstone too; again for one already hidden changes nothing. A member removed from the group
   * reads what they kept and writes nothing, this included.
   */
  async deleteForMe(viewer: Viewer, messageId: string): Promise<void> {
    const viewed = isUuid(messageId) ? await this.repository.viewed(viewer.userId, messageId) : null;
    // In their history, hidden or not: hiding twice is no error.
    if (!viewed?.membership || !inHistory(viewed.membership, viewed.message)) throw notFound('Message');
    const { message, membership } = viewed;
    if (isRemoved(membership)) throw forbidden(REMOVED);
    const hidden = await this.repository.hide(viewer.userId, message);
    if (!hidden) throw notFound('Message'); // they left a moment ago
    if (!hidden.fresh) return;
    this.bus.publish([viewer.userId], { type: 'MESSAGE_HIDDEN', conversationId: message.conversationId, messageId: message.id, hiddenSeq: hidden.hiddenSeq });
  }

  /** Deletes a message, leaving a tombstone: one's own, or anyone's for a group's admins and owner. */
  async delete(viewer: Viewer, messageId: string): Promise<Message> {
    const { message, membership } = await this.visibleMessage(viewer, messageId);
    if (isRemoved(membership)) throw forbidden(REMOVED);
    const moderator = membership.conversation.kind === 'GROUP' && membership.role !== 'MEMBER';
    if (message.kind === 'SYSTEM' || (message.senderId !== viewer.userId && !moderator)) {
      throw forbidden('You cannot delete this message.');
    }
    if (message.deletedAt) return message;
    return this.change(message, 'MESSAGE_DELETED', { kind: 'DELETE' });
  }

  /** History by seq, oldest first: the latest `limit`, or those before or after a seq. */
  async history(viewer: Viewer, conversationId: string, options: { before?: number | null; after?: number | null; limit: number }): Promise<HistoryPage> {
    const { before, after, limit } = options;
    if (before != null && after != null) {
      throw badInput([{ field: 'before', constraint: 'exclusive', message: 'Give before or after, not both.' }]);
    }
    const { membership, messages, senders } = isUuid(conversationId)
      ? await this.repository.historyPage(viewer.userId, conversationId, { before: before ?? null, after: after ?? null, take: limit + 1 })
      : { membership: null, messages: [], senders: [] };
    if (!membership) throw notFound('Conversation');
    const page = messages.slice(0, limit);
    return { messages: after != null ? page : page.reverse(), hasMore: messages.length > limit, senders };
  }

  /**
   * What changed in one conversation after `afterSeq`, for filling a gap in the event stream;
   * given `hiddenAfter`, also the messages the viewer deleted for themselves after that count.
   */
  async changes(viewer: Viewer, conversationId: string, afterSeq: number, limit: number, hiddenAfter: number | null = null): Promise<ConversationChanges> {
    const mine = await this.conversations.membership(viewer, conversationId);
    return this.catchUp.changes(mine, { seq: afterSeq, hiddenSeq: hiddenAfter }, limit);
  }

  /**
   * Everything after the client's cursors in all of the viewer's conversations, in one
   * round trip: conversations it has never seen come with cursor 0. Bounded (messages.catchup.ts);
   * with `hasMore`, call again with the new cursors.
   */
  sync(viewer: Viewer, cursors: SyncCursor[]): Promise<SyncResult> {
    return this.catchUp.sync(viewer.userId, cursors);
  }

  /** Full-text search in what the viewer sees of their conversations (or one of them), newest first. */
  async search(viewer: Viewer, query: string, conversationId: string | null | undefined, first: number, after: string | null | undefined): Promise<Page<Message>> {
    const text = searchText(query);
    // Any id given, an empty one too, must name one of the viewer's conversations before it reaches the statement.
    const scope = conversationId != null ? (await this.conversations.membership(viewer, conversationId)).conversationId : null;
    const cursor = after != null ? decodeCursor(after, 'after') : null;
    const rows = await this.repository.search(viewer.userId, text, { conversationId: scope, beforeId: cursor?.id ?? null }, first + 1);
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return { nodes: page, endCursor: last ? encodeCursor(last.createdAt, last.id) : null, hasNextPage: rows.length > first };
  }

  /** The earlier send with this clientMsgId, if any; one key cannot be reused for another conversation. */
  private async bySenderKey(viewer: Viewer, clientMsgId: string, conversationId: string): Promise<Message | null> {
    const earlier = await this.repository.bySenderKey(viewer.userId, clientMsgId);
    return earlier && this.retried(earlier, conversationId);
  }

  private retried(earlier: Message, conversationId: string): Message {
    if (earlier.conversationId !== conversationId) {
      throw badInput([{ field: 'clientMsgId', constraint: 'unique', message: 'This clientMsgId was used for another conversation.' }]);
    }
    return earlier;
  }

  /**
   * A member removed from a group writes nothing there (FORBIDDEN, saying so). In a direct
   * conversation, nobody writes to someone who blocked them; the refusal does not say why.
   */
  private async requireMayWrite(viewer: Viewer, membership: Membership & { conversation: Conversation }): Promise<void> {
    if (isRemoved(membership)) throw forbidden(REMOVED);
    if (membership.conversation.kind !== 'DIRECT') return;
    const otherId = membership.conversation.directKey!.split(':').find((id) => id !== viewer.userId)!;
    const relation = await this.users.relation(viewer, otherId);
    if (relation.theyBlocked) throw forbidden(CANNOT_MESSAGE);
  }

  private async replyTarget(membership: Membership, replyToId: string): Promise<Message> {
    const viewed = isUuid(replyToId) ? await this.repository.viewed(membership.userId, replyToId) : null;
    const target = viewed?.message;
    if (!target || !canSee(membership, target, viewed.hidden) || target.deletedAt || target.kind === 'SYSTEM') {
      throw badInput([{ field: 'replyToId', constraint: 'replyable', message: 'The message to reply to is not in this conversation.' }]);
    }
    return target;
  }

  /** The message with the viewer's membership, or NOT_FOUND alike for a missing one and one they do not see. */
  private async visibleMessage(viewer: Viewer, messageId: string) {
    const viewed = isUuid(messageId) ? await this.repository.viewed(viewer.userId, messageId) : null;
    if (!viewed?.membership || !canSee(viewed.membership, viewed.message, viewed.hidden)) throw notFound('Message');
    return { message: viewed.message, membership: viewed.membership };
  }

  private async change(message: Message, type: 'MESSAGE_EDITED' | 'MESSAGE_DELETED', revision: Revision): Promise<Message> {
    const revised = await this.changeLog.revise(message, revision);
    if (!revised) throw notFound('Message'); // its conversation was deleted a moment ago
    const { message: changed, recipients, replyTargetUnseenBy } = revised;
    this.bus.publish(recipients, { type, conversationId: changed.conversationId, seq: changed.updatedSeq, message: changed, replyTargetUnseenBy });
    return changed;
  }
}
