/**
 * Media in a bucket of S3-compatible storage (MinIO, AWS S3, Garage, …). Checksums are
 * sent only where the protocol requires them: several S3-compatible servers do not know
 * the newer flexible checksums that the AWS SDK sends by default.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../../config/env.js';
import type { ByteRange, MediaStorage, StorageSource } from './storage.js';

export class S3Storage implements MediaStorage {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      forcePathStyle: config.forcePathStyle,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async prepare(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isMissing(error)) throw error;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (creating) {
        // Made meanwhile by another write or instance (it was missing a moment ago): there it is.
        const made = creating instanceof S3ServiceException && (creating.name === 'BucketAlreadyOwnedByYou' || creating.name === 'BucketAlreadyExists');
        if (!made) throw creating;
      }
    }
  }

  async put(key: string, source: StorageSource, contentType: string): Promise<void> {
    if (await this.has(key)) return;
    const send = () => {
      const body = 'path' in source ? createReadStream(source.path) : source.buffer;
      const length = 'path' in source ? source.bytes : source.buffer.length;
      return this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: length, ContentType: contentType }));
    };
    try {
      await send();
    } catch (error) {
      // A bucket not made yet (a write before start-up's prepare, or storage that was reset): made, and the write tried once more.
      if (!(error instanceof S3ServiceException && error.name === 'NoSuchBucket')) throw error;
      await this.prepare();
      await send();
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound');
}
