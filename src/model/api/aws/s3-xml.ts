/**
 * The small XML bodies S3 requests carry, read into plain values with fast-xml-parser:
 * CompleteMultipartUpload's list of parts and CreateBucket's optional CreateBucketConfiguration.
 * Other elements in them are ignored, as S3 does; a body that is not well formed, has a document
 * type declaration (no entity expansion here) or is not the document asked for is
 * WHARF_E_MALFORMED_XML, naming where it broke.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { wharfError } from '../../errors.js';
import { MAX_PART_NUMBER } from './s3.js';

/** A part as CompleteMultipartUpload names it. */
export interface CompletedPartInput {
  readonly partNumber: number;
  readonly etag: string;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Part',
});

function malformed(operation: string, reason: string): Error {
  return wharfError('WHARF_E_MALFORMED_XML', { operation, reason });
}

type Element = Record<string, unknown>;

/** The document's root element and its content: an object of child elements (or text). */
function readDocument(text: string, operation: string): { name: string; content: unknown } {
  if (/<!DOCTYPE/i.test(text)) throw malformed(operation, 'it has a document type declaration, which is not taken');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw malformed(operation, `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const document = parser.parse(text) as Element;
  const names = Object.keys(document);
  if (names.length !== 1) throw malformed(operation, names.length === 0 ? 'it has no root element' : 'it has more than one root element');
  const name = names[0] as string;
  return { name, content: document[name] };
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** CompleteMultipartUpload's body: the parts in the order listed. */
export function parseCompleteMultipartUpload(text: string): { parts: CompletedPartInput[] } {
  const operation = 'CompleteMultipartUpload';
  const root = readDocument(text, operation);
  if (root.name !== 'CompleteMultipartUpload') throw malformed(operation, `its root element is <${root.name}>, not <CompleteMultipartUpload>`);
  const content = root.content !== null && typeof root.content === 'object' ? (root.content as Element) : {};
  const parts = Array.isArray(content['Part']) ? (content['Part'] as unknown[]) : [];
  if (parts.length > MAX_PART_NUMBER) throw malformed(operation, `it lists ${parts.length} parts, more than the ${MAX_PART_NUMBER} an upload may have`);
  return {
    parts: parts.map((part, index) => {
      const fields = part !== null && typeof part === 'object' ? (part as Element) : {};
      const numberText = textOf(fields['PartNumber']);
      const etag = textOf(fields['ETag']);
      const partNumber = numberText !== undefined && /^\d{1,5}$/.test(numberText) ? Number(numberText) : NaN;
      if (!(partNumber >= 1 && partNumber <= MAX_PART_NUMBER)) throw malformed(operation, `Part ${index + 1} has no PartNumber from 1 to ${MAX_PART_NUMBER}`);
      if (etag === undefined || etag === '') throw malformed(operation, `Part ${index + 1} (PartNumber ${partNumber}) has no ETag`);
      return { partNumber, etag };
    }),
  };
}

/** CreateBucket's optional body: the region asked for (LocationConstraint); an empty body asks for none. */
export function parseCreateBucketConfiguration(text: string): { locationConstraint?: string } {
  if (text.trim() === '') return {};
  const operation = 'CreateBucket';
  const root = readDocument(text, operation);
  if (root.name !== 'CreateBucketConfiguration') throw malformed(operation, `its root element is <${root.name}>, not <CreateBucketConfiguration>`);
  const content = root.content !== null && typeof root.content === 'object' ? (root.content as Element) : {};
  const constraint = textOf(content['LocationConstraint']);
  if (constraint === undefined || constraint === '') return {};
  if (!/^[a-z0-9-]{1,40}$/.test(constraint)) throw malformed(operation, `the LocationConstraint ${JSON.stringify(constraint.slice(0, 40))} is not a region name`);
  return { locationConstraint: constraint };
}
