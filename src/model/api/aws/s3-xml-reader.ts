/**
 * A reader for the small XML documents S3 requests carry: elements, their text and children,
 * namespaces dropped from names. No DTDs (so no entity expansion), no processing of attributes;
 * a document that is not well formed is refused through `fail`, with where it broke.
 */

/** One element: its local name, its text (entities decoded, CDATA kept) and its child elements. */
export interface XmlElement {
  readonly name: string;
  text: string;
  readonly children: XmlElement[];
}

/** Deepest nesting taken: S3's request documents are three levels deep. */
const MAX_DEPTH = 32;
const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, fail: (reason: string) => Error): string {
  return text.replace(/&([^;]{0,10});/g, (whole, name: string) => {
    if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name] as string;
    const code = /^#x([0-9a-fA-F]{1,6})$/.exec(name)?.[1] ?? /^#(\d{1,7})$/.exec(name)?.[1];
    if (code === undefined) throw fail(`the entity ${whole} is not one XML defines`);
    const value = name.startsWith('#x') ? parseInt(code, 16) : Number(code);
    if (value > 0x10ffff) throw fail(`the character reference ${whole} is out of range`);
    return String.fromCodePoint(value);
  }).replace(/&(?![^;]{0,10};)/g, () => {
    throw fail('a bare & is not escaped as &amp;');
  });
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** The document's root element (undefined for an empty document); `fail` makes the error for one that is not well formed. */
export function readXml(text: string, fail: (reason: string) => Error): XmlElement | undefined {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    const chunk = text.slice(at, open === -1 ? text.length : open);
    const current = stack.at(-1);
    if (current) current.text += decodeEntities(chunk, fail);
    else if (chunk.trim() !== '') throw fail(`text ${JSON.stringify(chunk.trim().slice(0, 30))} outside the root element`);
    if (open === -1) break;
    if (text.startsWith('<?', open)) {
      const end = text.indexOf('?>', open);
      if (end === -1) throw fail('a processing instruction is not closed');
      at = end + 2;
    } else if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open);
      if (end === -1) throw fail('a comment is not closed');
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open);
      if (end === -1 || !current) throw fail('a CDATA section is not closed, or is outside the root element');
      current.text += text.slice(open + 9, end);
      at = end + 3;
    } else if (text.startsWith('<!', open)) {
      throw fail('document type declarations are not taken');
    } else {
      const end = text.indexOf('>', open);
      if (end === -1) throw fail('a tag is not closed');
      const tag = text.slice(open + 1, end);
      at = end + 1;
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        const closing = stack.pop();
        if (!closing || localName(name) !== closing.name) throw fail(`the closing tag </${name.slice(0, 40)}> does not match ${closing ? `<${closing.name}>` : 'any open element'}`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const name = (selfClosing ? tag.slice(0, -1) : tag).trim().split(/\s/)[0] ?? '';
      if (!NAME.test(name)) throw fail(`<${tag.slice(0, 40)}> is not a tag`);
      const element: XmlElement = { name: localName(name), text: '', children: [] };
      if (current) current.children.push(element);
      else if (root) throw fail('there is more than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      if (stack.length > MAX_DEPTH) throw fail(`elements nest deeper than ${MAX_DEPTH}`);
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw fail(`<${unclosed.name}> is not closed`);
  return root;
}
