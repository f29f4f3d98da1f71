/**
 * Managing sticker packs: the viewer's own packs and list, and every change to them. Each
 * change is followed by reading the packs again (a new sticker or a removed pack changes
 * lists the answer does not carry), so the picker and this dialog show the same.
 */
import { computed, ref } from 'vue';
import { useApolloClient, useQuery } from '@vue/apollo-composable';
import type { TypedDocumentNode } from '@apollo/client/core';
import { toClientError, type ClientError } from '../graphql/errors';
import {
  AddStickerMutation, CreateStickerPackMutation, InstallStickerPackMutation, MyStickerPacksQuery, PublishStickerPackMutation, RemoveStickerMutation,
  ReorderStickersMutation, StickerPacksQuery, UninstallStickerPackMutation,
} from '../graphql/stickers';
import { useSessionStore } from '../composables/useSession';
import { uploadMedia } from '../media/upload';

/** Runs the packs' mutations, one at a time, with the error of the last one that failed. */
export function usePackChanges() {
  const { client } = useApolloClient();
  const busy = ref(false);
  const error = ref<ClientError | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await action();
    } catch (thrown) {
      error.value = toClientError(thrown);
      return null;
    } finally {
      await client.refetchQueries({ include: [MyStickerPacksQuery, StickerPacksQuery] }).catch(() => {});
      busy.value = false;
    }
  }
  async function mutate<TData, TVariables extends Record<string, unknown>>(mutation: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    const { data } = await client.mutate({ mutation, variables });
    if (!data) throw new Error('no data');
    return data;
  }
  const session = useSessionStore();

  return {
    busy,
    error,
    create: (title: string) => run(() => mutate(CreateStickerPackMutation, { title })),
    publish: (packId: string) => run(() => mutate(PublishStickerPackMutation, { packId })),
    install: (packId: string) => run(() => mutate(InstallStickerPackMutation, { packId })),
    uninstall: (packId: string) => run(() => mutate(UninstallStickerPackMutation, { packId })),
    removeSticker: (stickerId: string) => run(() => mutate(RemoveStickerMutation, { stickerId })),
    reorder: (packId: string, stickerIds: string[]) => run(() => mutate(ReorderStickersMutation, { packId, stickerIds })),
    /** Uploads each image (`purpose=sticker`) and adds it with its emoji, in order; stops at the first failure. */
    addStickers: (packId: string, items: readonly { file: File; emoji: string }[]) =>
      run(async () => {
        for (const { file, emoji } of items) {
          const media = await uploadMedia(file, 'sticker', { token: session.token });
          await mutate(AddStickerMutation, { input: { packId, mediaId: media.id, emoji } });
        }
        return true;
      }),
  };
}

/** The packs the viewer made, and the others in their list (which they may remove). */
export function useMyStickerPacks() {
  const { result, loading } = useQuery(MyStickerPacksQuery, {}, { fetchPolicy: 'cache-and-network' });
  return {
    loading,
    mine: computed(() => result.value?.myStickerPacks ?? []),
    added: computed(() => (result.value?.stickerPacks ?? []).filter((pack) => !pack.mine && !pack.builtin)),
  };
}
