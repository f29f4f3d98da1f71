/**
 * The signed-in user as the client keeps it: the `MeFields` selection of the API's `Me`
 * (me.ts), so a field left out of the selection is a type error wherever it is read.
 */
import type { MeFieldsFragment } from './generated';

export type Me = MeFieldsFragment;
