import { createCipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'

export interface S3Peer {
  readonly client: S3Client
  readonly bucket: string
  stop(): Promise<void>
}

/**
 * A real S3 protocol server (s3rver) on 127.0.0.1, port 0, in a temp folder, with the real SDK
 * client. s3rver signs continuation tokens with DES, so paginated listings need the OpenSSL legacy
 * provider in this process (vitest.config.ts sets NODE_OPTIONS=--openssl-legacy-provider for the
 * test workers); the client computes checksums only when required, since s3rver would store an
 * aws-chunked streamed body verbatim.
 */
export async function startS3rver(bucket = 'lake'): Promise<S3Peer> {
  try {
    createCipheriv('des', randomBytes(8), randomBytes(8))
  } catch {
    throw new Error('s3rver needs NODE_OPTIONS=--openssl-legacy-provider for paginated listings')
  }
  const directory = mkdtempSync(join(tmpdir(), 'revops-s3rver-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  })
  const { port } = await server.run()
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  })
  return {
    client,
    bucket,
    async stop() {
      client.destroy()
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
