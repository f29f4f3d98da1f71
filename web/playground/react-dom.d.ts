/**
 * The one part of react-dom the playground uses. @types/react-dom is not installed (react's
 * own types come with GraphiQL's dependencies); this keeps the entry typed without it.
 */
declare module 'react-dom/client' {
  import type { ReactNode } from 'react';

  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element | DocumentFragment): Root;
}
