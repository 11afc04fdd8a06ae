/**
 * The small XML bodies S3 requests carry, read into plain values: CompleteMultipartUpload's list
 * of parts and CreateBucket's optional CreateBucketConfiguration. Anything else in them is
 * ignored, as S3 does; a body that is not the document asked for is WHARF_E_MALFORMED_XML.
 */
import { wharfError } from '../../errors.js';
import { readXml } from './s3-xml-reader.js';
import { MAX_PART_NUMBER } from './s3.js';

/** A part as CompleteMultipartUpload names it. */
export interface CompletedPartInput {
  readonly partNumber: number;
  readonly etag: string;
}

function malformed(operation: string, reason: string): Error {
  return wharfError('WHARF_E_MALFORMED_XML', { operation, reason });
}

/** CompleteMultipartUpload's body: the parts in the order listed. */
export function parseCompleteMultipartUpload(text: string): { parts: CompletedPartInput[] } {
  const operation = 'CompleteMultipartUpload';
  const root = readXml(text, (reason) => malformed(operation, reason));
  if (root?.name !== 'CompleteMultipartUpload') throw malformed(operation, `its root element is ${root ? `<${root.name}>` : 'missing'}, not <CompleteMultipartUpload>`);
  const parts = root.children.filter((child) => child.name === 'Part');
  if (parts.length > MAX_PART_NUMBER) throw malformed(operation, `it lists ${parts.length} parts, more than the ${MAX_PART_NUMBER} an upload may have`);
  return {
    parts: parts.map((part, index) => {
      const numberText = part.children.find((c) => c.name === 'PartNumber')?.text.trim();
      const etag = part.children.find((c) => c.name === 'ETag')?.text.trim();
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
  const root = readXml(text, (reason) => malformed(operation, reason));
  if (root?.name !== 'CreateBucketConfiguration') throw malformed(operation, `its root element is ${root ? `<${root.name}>` : 'missing'}, not <CreateBucketConfiguration>`);
  const constraint = root.children.find((c) => c.name === 'LocationConstraint')?.text.trim();
  if (constraint === undefined || constraint === '') return {};
  if (!/^[a-z0-9-]{1,40}$/.test(constraint)) throw malformed(operation, `the LocationConstraint ${JSON.stringify(constraint.slice(0, 40))} is not a region name`);
  return { locationConstraint: constraint };
}
