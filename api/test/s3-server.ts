/// <reference path="./s3rver.d.ts" />
/**
 * A real S3-protocol server for tests: s3rver, from npm, keeping its objects in a folder.
 * MinIO (what docker-compose.yml runs) has no npm or Debian package; s3rver speaks the same
 * protocol for what the API uses (bucket head and create, object put, head, get with a range,
 * delete; SigV4 signatures) and still works with the current AWS SDK v3.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  /** The variables that point the API at it (the bucket is made by the API at start). */
  env: Record<string, string>;
  /** How many objects the bucket holds. */
  objects(): Promise<number>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'dash-test-media'): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'dash-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' },
    async objects() {
      // s3rver keeps each object as a folder of its content and metadata files; the content is `._S3rver_object`.
      const entries = await readdir(path.join(directory, bucket), { recursive: true }).catch(() => []);
      return entries.filter((entry) => entry.endsWith('._S3rver_object')).length;
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
