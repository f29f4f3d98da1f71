/** Sticker packs: the viewer's list, recent stickers, their own packs, share links. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';

/** A pack with its stickers. */
export type StickerPackData = Types.StickerPackFieldsFragment;
export type StickerData = Types.StickerFieldsFragment;

export const STICKER_FIELDS: TypedDocumentNode<Types.StickerFieldsFragment> = gql`
  fragment StickerFields on Sticker { id packId emoji url thumbnailUrl width height }
`;

export const STICKER_PACK_FIELDS: TypedDocumentNode<Types.StickerPackFieldsFragment> = gql`
  fragment StickerPackFields on StickerPack {
    id
    title
    slug
    builtin
    published
    mine
    installed
    stickerCount
    owner { id displayName }
    stickers { ...StickerFields }
  }
  ${STICKER_FIELDS}
`;

export const StickerPacksQuery: TypedDocumentNode<Types.StickerPacksQuery, Types.StickerPacksQueryVariables> = gql`
  query StickerPacks { stickerPacks { ...StickerPackFields } recentStickers(first: 16) { ...StickerFields } }
  ${STICKER_PACK_FIELDS}
`;

export const MyStickerPacksQuery: TypedDocumentNode<Types.MyStickerPacksQuery, Types.MyStickerPacksQueryVariables> = gql`
  query MyStickerPacks { myStickerPacks { ...StickerPackFields } stickerPacks { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const StickerPackQuery: TypedDocumentNode<Types.StickerPackQuery, Types.StickerPackQueryVariables> = gql`
  query StickerPack($slug: String!) { stickerPack(slug: $slug) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const CreateStickerPackMutation: TypedDocumentNode<Types.CreateStickerPackMutation, Types.CreateStickerPackMutationVariables> = gql`
  mutation CreateStickerPack($title: String!) { createStickerPack(title: $title) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const AddStickerMutation: TypedDocumentNode<Types.AddStickerMutation, Types.AddStickerMutationVariables> = gql`
  mutation AddSticker($input: AddStickerInput!) { addSticker(input: $input) { ...StickerFields } }
  ${STICKER_FIELDS}
`;

export const RemoveStickerMutation: TypedDocumentNode<Types.RemoveStickerMutation, Types.RemoveStickerMutationVariables> = gql`
  mutation RemoveSticker($stickerId: ID!) { removeSticker(stickerId: $stickerId) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const ReorderStickersMutation: TypedDocumentNode<Types.ReorderStickersMutation, Types.ReorderStickersMutationVariables> = gql`
  mutation ReorderStickers($packId: ID!, $stickerIds: [ID!]!) { reorderStickers(packId: $packId, stickerIds: $stickerIds) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const PublishStickerPackMutation: TypedDocumentNode<Types.PublishStickerPackMutation, Types.PublishStickerPackMutationVariables> = gql`
  mutation PublishStickerPack($packId: ID!) { publishStickerPack(packId: $packId) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const InstallStickerPackMutation: TypedDocumentNode<Types.InstallStickerPackMutation, Types.InstallStickerPackMutationVariables> = gql`
  mutation InstallStickerPack($packId: ID!) { installStickerPack(packId: $packId) { ...StickerPackFields } }
  ${STICKER_PACK_FIELDS}
`;

export const UninstallStickerPackMutation: TypedDocumentNode<Types.UninstallStickerPackMutation, Types.UninstallStickerPackMutationVariables> = gql`
  mutation UninstallStickerPack($packId: ID!) { uninstallStickerPack(packId: $packId) }
`;
