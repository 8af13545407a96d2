import { Readable } from 'node:stream'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3LakeStore } from '../../../core/lake/s3-lake-store.js'
import { describeLakeStoreContract } from './lake-store-contract.js'
import { type S3Peer, startS3rver } from './s3rver-peer.js'

describeLakeStoreContract('S3 (s3rver)', async () => {
  const peer = await startS3rver()
  return {
    store: new S3LakeStore({ client: peer.client, bucket: peer.bucket, prefix: 'lake' }),
    // s3rver ignores If-None-Match / If-Match: the store's HEAD check catches sequential
    // re-writes, but two writers racing between HEAD and PUT both win there (real S3 sends 412).
    enforcesConcurrentConditions: false,
    // s3rver walks its folders depth-first (real S3 lists in byte order); the lake never mixes levels.
    listsMixedLevelsInByteOrder: false,
    stop: () => peer.stop(),
  }
})

describe('S3LakeStore on s3rver', () => {
  let peer: S3Peer
  const sent: { command: string; headers: Record<string, string> }[] = []
  beforeAll(async () => {
    peer = await startS3rver()
    peer.client.middlewareStack.add(
      (next, context) => async (args) => {
        const request = args.request as { headers?: Record<string, string> }
        sent.push({ command: String(context.commandName), headers: { ...request.headers } })
        return next(args)
      },
      { step: 'finalizeRequest', name: 'recordHeaders' },
    )
  })
  afterAll(async () => {
    await peer.stop()
  })

  it('sends the conditional headers that real S3 enforces', async () => {
    const store = new S3LakeStore({ client: peer.client, bucket: peer.bucket })
    sent.length = 0
    await store.putIfAbsent('raw/h/a.txt', Buffer.from('a'))
    const put = sent.find((s) => s.command === 'PutObjectCommand')
    expect(put?.headers['if-none-match']).toBe('*')
    sent.length = 0
    const v1 = await store.putIfVersion('state/h.json', Buffer.from('1'), null)
    expect(sent.find((s) => s.command === 'PutObjectCommand')?.headers['if-none-match']).toBe('*')
    sent.length = 0
    await store.putIfVersion('state/h.json', Buffer.from('2'), v1)
    expect(sent.find((s) => s.command === 'PutObjectCommand')?.headers['if-match']).toBe(v1)
  })

  it('s3rver does not enforce If-None-Match, which is why the store checks with HEAD first', async () => {
    const put = (body: string) =>
      peer.client.send(
        new PutObjectCommand({ Bucket: peer.bucket, Key: 'ignored.txt', Body: body, IfNoneMatch: '*' }),
      )
    await put('first')
    await expect(put('second')).resolves.toBeDefined()
    const store = new S3LakeStore({ client: peer.client, bucket: peer.bucket })
    expect(await store.putIfAbsent('ignored.txt', Buffer.from('third'))).toBe('exists')
    expect((await store.get('ignored.txt'))?.toString()).toBe('second')
  })

  it('uploads a large stream in parts and reads it back byte for byte', async () => {
    const store = new S3LakeStore({ client: peer.client, bucket: peer.bucket, multipartThreshold: 1024 })
    const part = Buffer.alloc(1024 * 1024, 7)
    part.write('revops', 0)
    const body = Readable.from(Array.from({ length: 12 }, () => part))
    sent.length = 0
    expect(await store.putIfAbsent('raw/big/blob.bin', body)).toBe('created')
    expect(sent.filter((s) => s.command === 'UploadPartCommand').length).toBeGreaterThanOrEqual(2)
    const back = await store.get('raw/big/blob.bin')
    expect(back?.length).toBe(12 * 1024 * 1024)
    expect(back?.equals(Buffer.concat(Array.from({ length: 12 }, () => part)))).toBe(true)
  })

  it('keeps the lake under its prefix and lists keys without it', async () => {
    const store = new S3LakeStore({ client: peer.client, bucket: peer.bucket, prefix: 'tenant/lake/' })
    await store.putIfAbsent('raw/p/x.txt', Buffer.from('x'))
    const bare = new S3LakeStore({ client: peer.client, bucket: peer.bucket })
    expect(await bare.exists('tenant/lake/raw/p/x.txt')).toBe(true)
    const keys = []
    for await (const o of store.list('raw/p/')) keys.push(o.key)
    expect(keys).toEqual(['raw/p/x.txt'])
  })
})
