/**
 * Markdown to safe HTML: markdown-it with raw HTML off, then DOMPurify. Links open in a
 * new tab with rel="noopener noreferrer"; only http(s) and mailto links survive.
 */
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });
const SAFE_URL = /^(https?:|mailto:)/i;
markdown.validateLink = (url) => SAFE_URL.test(url.trim());

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_URL.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(markdown.render(source), { ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'target', 'rel'] });
}
