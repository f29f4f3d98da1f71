/**
 * Monaco (its themes and decorations) and Radix (GraphiQL's dialogs) add <style> elements
 * from script, and neither takes a nonce. The page's policy admits a style element only with
 * the nonce the API put into this page, so every style element made here is given it.
 * Imported first by main.ts: before anything that could make one.
 */

/** The nonce the API filled into `<meta property="csp-nonce">` (Vite writes the tag: html.cspNonce). */
export function pageNonce(doc: Pick<Document, 'querySelector'>): string | undefined {
  return doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}

const nonce = pageNonce(document);
if (nonce) {
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = createElement.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as typeof Document.prototype.createElement;
}
