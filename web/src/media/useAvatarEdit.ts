/**
 * Setting and removing avatars: the picture is uploaded (`purpose=avatar`; the API crops it
 * square), then named in `setAvatar` or `setGroupAvatar`. Answers update the cached user or
 * conversation, so every place that shows them follows.
 */
import { ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { toClientError, type ClientError } from '../graphql/errors';
import { RemoveAvatarMutation, RemoveGroupAvatarMutation, SetAvatarMutation, SetGroupAvatarMutation } from '../graphql/media';
import { useSessionStore } from '../composables/useSession';
import { uploadMedia } from './upload';
import { useMyCard } from './useMyCard';

/** Runs an avatar change, with its progress and its error. */
function useAvatarChange() {
  const busy = ref(false);
  const progress = ref<number | null>(null);
  const error = ref<ClientError | null>(null);
  const session = useSessionStore();

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      await action();
      return true;
    } catch (thrown) {
      error.value = toClientError(thrown);
      return false;
    } finally {
      busy.value = false;
      progress.value = null;
    }
  }
  async function upload(file: File): Promise<string> {
    progress.value = 0;
    const media = await uploadMedia(file, 'avatar', { token: session.token, onProgress: (sent) => (progress.value = sent) });
    return media.id;
  }
  return { busy, progress, error, run, upload };
}

/** The viewer's own avatar (`Me` has none: read as others see the viewer, by user name). */
export function useMyAvatar(username: () => string | null) {
  const user = useMyCard(username);
  const change = useAvatarChange();
  const { mutate: setAvatar } = useMutation(SetAvatarMutation, { throws: 'always' });
  const { mutate: removeAvatar } = useMutation(RemoveAvatarMutation, { throws: 'always' });
  return {
    user,
    ...change,
    set: (file: File) => change.run(async () => setAvatar({ mediaId: await change.upload(file) })),
    remove: () => change.run(() => removeAvatar()),
  };
}

/** A group's avatar (its owner and admins). */
export function useGroupAvatar(conversationId: () => string) {
  const change = useAvatarChange();
  const { mutate: setGroupAvatar } = useMutation(SetGroupAvatarMutation, { throws: 'always' });
  const { mutate: removeGroupAvatar } = useMutation(RemoveGroupAvatarMutation, { throws: 'always' });
  return {
    ...change,
    set: (file: File) => change.run(async () => setGroupAvatar({ conversationId: conversationId(), mediaId: await change.upload(file) })),
    remove: () => change.run(() => removeGroupAvatar({ conversationId: conversationId() })),
  };
}
