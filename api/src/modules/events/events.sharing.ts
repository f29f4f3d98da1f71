/**
 * One execution of an event for many subscribers. graphql-js runs a subscription's
 * selection once per event per subscriber; an event for a 1,000-member room ran it
 * 1,000 times (and each run its own DataLoader queries), though nearly every field is
 * the same for every recipient. Here a subscription whose document selects only such
 * fields shares one result per event among all subscribers with the same document and
 * the same *variant*: what little does depend on the recipient (`clientMsgId`, shown to
 * its sender only; `replyTo`, shown to those whose history holds the target, which the change
 * decided for all its recipients at once). Any other document — one asking for `online`,
 * `isContact`, a conversation's unread count, a reply's target's own target — is executed per
 * subscriber as before.
 */
import {
  createSourceEventStream,
  execute,
  getNamedType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { releaseLoaders, type Context } from '../../app/context.js';
import type { AppEvent } from '../../core/events.js';
import type { Loaders, RowLoaders } from '../../app/loaders.js';
import type { User } from '../../generated/prisma/client.js';

const CHANGE = ['conversationId', 'seq', 'message'];

/** Fields whose value is the same for every recipient of an event (given the variant below). */
export const SAME_FOR_EVERY_RECIPIENT: Readonly<Record<string, readonly string[]>> = {
  Subscription: ['events'],
  ConversationChange: CHANGE,
  MessageAddedEvent: CHANGE,
  MessageEditedEvent: CHANGE,
  MessageDeletedEvent: CHANGE,
  ConversationUpdatedEvent: CHANGE,
  MemberJoinedEvent: [...CHANGE, 'userIds'],
  MemberLeftEvent: [...CHANGE, 'userId', 'user'],
  MemberRoleChangedEvent: [...CHANGE, 'userId', 'role', 'user'],
  ReadReceiptEvent: ['conversationId', 'userId', 'lastReadSeq', 'user'],
  TypingEvent: ['conversationId', 'userId', 'user'],
  PresenceEvent: ['userId', 'online', 'lastSeenAt', 'user'],
  ProfileChangedEvent: ['userId', 'user'],
  ConversationRemovedEvent: ['conversationId'],
  MessageHiddenEvent: ['conversationId', 'messageId', 'hiddenSeq'],
  SyncRequiredEvent: ['reason'],
  Message: ['id', 'conversationId', 'seq', 'updatedSeq', 'kind', 'body', 'edited', 'deleted', 'editedAt', 'deletedAt', 'createdAt', 'sender', 'event', 'clientMsgId', 'replyTo', 'isReply', 'attachments', 'sticker'],
  // Signed media URLs are not bound to their reader (media.urls.ts): the same for every recipient.
  Media: ['id', 'purpose', 'mime', 'bytes', 'width', 'height', 'name', 'placeholder', 'url', 'thumbnailUrl'],
  Avatar: ['id', 'small', 'large', 'placeholder'],
  // A sent sticker is read by id whoever reads it (deleted ones too), its URLs signed as the media's.
  Sticker: ['id', 'packId', 'emoji', 'url', 'thumbnailUrl', 'width', 'height'],
  SystemEvent: ['type', 'title', 'role', 'actor', 'users'],
  User: ['id', 'username', 'displayName', 'bio', 'createdAt', 'avatar'],
};

/**
 * Whether every field `document` selects is the same for every recipient (then its
 * results can be shared), checked against the schema; fragments and abstract types included.
 * Not one that asks for a reply's target's own target: who sees that one is not decided by the change.
 */
export function isShareable(schema: GraphQLSchema, document: DocumentNode): boolean {
  if (selectsReplyOfReply(document)) return false;
  const typeInfo = new TypeInfo(schema);
  let shareable = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        const named = parent && getNamedType(parent);
        if (!named || !SAME_FOR_EVERY_RECIPIENT[named.name]?.includes(node.name.value)) shareable = false;
      },
    }),
  );
  return shareable;
}

/** Whether the document selects `replyTo` within `replyTo`, through fragments too. */
function selectsReplyOfReply(document: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  // (fragments cannot spread themselves: the document was validated)
  const within = (set: SelectionSetNode | undefined, depth: number): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const inReply = depth + (selection.name.value === 'replyTo' ? 1 : 0);
        return inReply > 1 || within(selection.selectionSet, inReply);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet, depth);
      return within(fragments.get(selection.name.value)?.selectionSet, depth);
    }) ?? false;
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && within(definition.selectionSet, 0));
}

/** Each reply event's recipients who do not see its target, as a set. */
const unseenSets = new WeakMap<AppEvent, ReadonlySet<string>>();

/**
 * Whether the viewer sees the message the event's reply replies to, as the change decided for
 * its recipients; null when the event holds no reply, or does not say.
 */
function replyTargetShown(event: AppEvent, viewerId: string): boolean | null {
  if (!('message' in event) || !event.message.replyToId || !event.replyTargetUnseenBy) return null;
  let unseen = unseenSets.get(event);
  if (!unseen) unseenSets.set(event, (unseen = new Set(event.replyTargetUnseenBy)));
  return !unseen.has(viewerId);
}

/**
 * The part of a recipient that its result depends on, for a shareable document: the sender's
 * result (with `clientMsgId`) and everyone else's; for a reply, each split by whether its target
 * shows to them, or, when the event does not say, one per recipient.
 */
export function variantOf(event: AppEvent, viewerId: string): string {
  if (!('message' in event)) return '';
  const { senderId, replyToId } = event.message;
  const who = senderId === viewerId ? 'sender' : 'others';
  if (!replyToId) return who;
  const shown = replyTargetShown(event, viewerId);
  if (shown === null) return `viewer:${viewerId}`;
  return `${who}:${shown ? 'target' : 'no-target'}`;
}

/**
 * A shared execution's reply preview is the event's: the target as the shared rows read it, or
 * nothing, whichever the change decided for this variant — not what the recipient it happens to
 * run for finds at this moment, which others of the variant would be shown.
 */
function decideReplyTarget(loaders: Loaders, event: AppEvent, viewerId: string): void {
  const shown = replyTargetShown(event, viewerId);
  if (shown === null || !('message' in event)) return;
  const targetId = event.message.replyToId!;
  loaders.visibleMessage.prime(targetId, shown ? loaders.message.load(targetId) : null);
}

/**
 * The rows an event's executions read, shared by its recipients on this instance: one set
 * for shared executions, primed with the sender the event carries (a shareable document
 * asks only for a user's public fields, which the card holds), and one for documents
 * executed per recipient, which read every row they show.
 */
const sharedRows = new WeakMap<AppEvent, RowLoaders>();
const ownRows = new WeakMap<AppEvent, RowLoaders>();

function rowsOf(event: AppEvent, shared: boolean, context: Context): RowLoaders {
  const rows = shared ? sharedRows : ownRows;
  let loaders = rows.get(event);
  if (!loaders) {
    rows.set(event, (loaders = context.services.createRowLoaders()));
    if (shared && event.type === 'MESSAGE_ADDED' && event.sender) loaders.user.prime(event.sender.id, event.sender as User);
  }
  return loaders;
}

/** Events that are being executed: per event, one result per document and variant. */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/** The event each result was executed from (one entry per execution, not per recipient). */
const eventsOfResults = new WeakMap<ExecutionResult, AppEvent>();

/** The event a subscription's result was executed from; undefined for any other result (a query's). */
export function eventOf(result: ExecutionResult): AppEvent | undefined {
  return eventsOfResults.get(result);
}

/**
 * graphql-ws's `subscribe`: the source stream as graphql-js makes it, each event
 * executed once per document and variant when the document is shareable.
 */
export function createSharedSubscribe(schema: GraphQLSchema) {
  // Documents come shared (see core/documents.ts): each is analysed once and numbered.
  const documents = new WeakMap<DocumentNode, { id: number; shareable: boolean }>();
  let documentCount = 0;
  return async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterator(source)) return source as ExecutionResult; // errors, answered as they are
    let document = documents.get(args.document);
    if (!document) documents.set(args.document, (document = { id: ++documentCount, shareable: isShareable(schema, args.document) }));
    const context = args.contextValue as Context;
    const viewerId = context.viewer?.userId ?? '';
    const { shareable } = document;
    // The event's loaders are set on the socket's context for its execution and go once it is done.
    const run = (event: AppEvent) => {
      context.loaders = context.services.createLoaders(viewerId || null, rowsOf(event, shareable, context));
      if (shareable) decideReplyTarget(context.loaders, event, viewerId);
      return Promise.resolve(execute({ ...args, rootValue: event }) as Promise<ExecutionResult> | ExecutionResult)
        .then((result) => {
          eventsOfResults.set(result, event);
          return result;
        })
        .finally(() => releaseLoaders(context));
    };
    if (!shareable) return mapEvents(source, run);
    const operation = `${document.id}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
    return mapEvents(source, (event) => {
      let byKey = results.get(event);
      if (!byKey) results.set(event, (byKey = new Map()));
      const key = `${variantOf(event, viewerId)}\n${operation}`;
      let result = byKey.get(key);
      if (!result) byKey.set(key, (result = run(event)));
      return result;
    });
  };
}

function isAsyncIterator(value: unknown): value is AsyncIterator<AppEvent> {
  return typeof (value as AsyncIterator<unknown> | null)?.next === 'function';
}

/**
 * `source` with every event mapped; `return()` goes straight to the source, so a
 * subscription that ends while waiting for its next event is released at once.
 */
function mapEvents(source: AsyncIterator<AppEvent>, map: (event: AppEvent) => Promise<ExecutionResult> | ExecutionResult): AsyncIterableIterator<ExecutionResult> {
  const done = { value: undefined, done: true } as const;
  return {
    async next() {
      const step = await source.next();
      return step.done ? done : { value: await map(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
