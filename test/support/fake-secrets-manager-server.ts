import { FakeHttp, type JsonAnswer, type SeenRequest } from './fake-http.js'

/**
 * A loopback AWS Secrets Manager speaking the service's JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: secretsmanager.GetSecretValue`, `{"__type": …}` errors), so the real
 * `@aws-sdk/client-secrets-manager` client talks to it unchanged (endpoint from
 * AWS_ENDPOINT_URL_SECRETS_MANAGER or the client's `endpoint`).
 */
export class FakeSecretsManager {
  readonly http: FakeHttp
  readonly secrets = new Map<string, string>()

  constructor() {
    this.http = new FakeHttp((request) => this.route(request))
  }

  async start(): Promise<this> {
    await this.http.start()
    return this
  }

  stop(): Promise<void> {
    return this.http.stop()
  }

  get url(): string {
    return this.http.url
  }

  /** Stores a secret under an ARN-shaped id and returns the ARN. */
  put(name: string, value: string): string {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`
    this.secrets.set(arn, value)
    return arn
  }

  private route(request: SeenRequest): JsonAnswer {
    const target = request.headers['x-amz-target']
    const json = { 'content-type': 'application/x-amz-json-1.1' }
    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return {
        status: 400,
        headers: json,
        body: { __type: 'UnknownOperationException', message: String(target) },
      }
    }
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return {
        status: 400,
        headers: json,
        body: { __type: 'MissingAuthenticationTokenException', message: 'unsigned' },
      }
    }
    const { SecretId } = JSON.parse(request.body) as { SecretId?: string }
    const value = SecretId === undefined ? undefined : this.secrets.get(SecretId)
    if (SecretId === undefined || value === undefined) {
      return {
        status: 400,
        headers: json,
        body: {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        },
      }
    }
    return {
      headers: json,
      body: {
        ARN: SecretId,
        Name: SecretId.split(':').at(-1),
        SecretString: value,
        VersionId: '00000000-0000-0000-0000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      },
    }
  }
}
