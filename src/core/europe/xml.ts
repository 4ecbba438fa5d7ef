// A small XML writer: elements as data, text and attributes escaped, indented output. Pure.

export interface XmlElement {
  name: string;
  attrs?: Record<string, string | undefined>;
  /** Child elements, or text; undefined and null children are left out. */
  children?: (XmlElement | undefined | null)[] | string;
}

/** Escapes text for an element's content or an attribute value (quotes included). */
export function escapeXml(s: string): string {
  // characters XML 1.0 does not allow at all are dropped rather than written
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '') // eslint-disable-line no-control-regex
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** An element; `undefined` text makes it absent (returns undefined), so optional elements read as one line. */
export function el(name: string, attrs: XmlElement['attrs'], children?: XmlElement['children']): XmlElement {
  return { name, attrs, children };
}

/** A text element, or nothing when the text is null, undefined or empty. */
export function text(name: string, value: string | number | null | undefined, attrs?: XmlElement['attrs']): XmlElement | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return { name, attrs, children: String(value) };
}

function write(e: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(e.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
  if (typeof e.children === 'string') {
    out.push(`${pad}<${e.name}${attrs}>${escapeXml(e.children)}</${e.name}>`);
    return;
  }
  const kids = (e.children ?? []).filter((c): c is XmlElement => Boolean(c));
  if (kids.length === 0) {
    out.push(`${pad}<${e.name}${attrs}/>`);
    return;
  }
  out.push(`${pad}<${e.name}${attrs}>`);
  for (const k of kids) write(k, depth + 1, out);
  out.push(`${pad}</${e.name}>`);
}

/** The document: an XML declaration and the root element, indented by two spaces. */
export function xmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, 0, out);
  return `${out.join('\n')}\n`;
}
