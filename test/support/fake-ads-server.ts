import { FakeHttp, type JsonAnswer, type SeenRequest } from './fake-http.js'

/**
 * Loopback ad platforms speaking each one's reporting JSON, for the pull's fetch client:
 *
 * - Google Ads REST: `POST /v21/customers/{id}/googleAds:search` with a GAQL query filtered on
 *   `segments.date = 'YYYY-MM-DD'`, paged by `nextPageToken`; int64 metrics as text and zero
 *   metrics left out, as proto3 JSON does; `developer-token` and bearer token required;
 *   `POST /token` trades a refresh token for an access token.
 * - Meta Graph: `GET /v21.0/act_{id}/insights` with `time_range`, paged by `after` cursors
 *   (`paging.cursors.after`, `paging.next`); spend and counts as text.
 * - LinkedIn: `GET /rest/adAnalytics?q=analytics&pivot=CAMPAIGN_GROUP&…&dateRange=(start:(…),end:(…))`
 *   in Rest.li syntax, `GET /rest/adAccounts/{id}`, `GET /rest/adAccounts/{id}/adCampaignGroups`;
 *   `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0` required.
 */

export interface SpendRow {
  readonly campaign: string
  readonly name: string
  spend: number
  readonly impressions: number
  readonly clicks: number
}

export type Platform = 'google' | 'meta' | 'linkedin'

export class FakeAds {
  readonly http: FakeHttp
  /** `<platform>:<date>` → that day's rows. */
  readonly days = new Map<string, SpendRow[]>()
  googlePageSize = 2
  metaPageSize = 2
  readonly tokens = {
    google: 'ya29.fake',
    meta: 'EAAB.fake',
    linkedin: 'AQX.fake',
    developer: 'dev-token',
    refresh: '1//refresh',
  }

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

  rows(platform: Platform, date: string): SpendRow[] {
    let rows = this.days.get(`${platform}:${date}`)
    if (rows === undefined) {
      // Two campaigns a day (one for LinkedIn), spend derived from the date so days differ.
      const d = Number(date.slice(8, 10))
      rows =
        platform === 'linkedin'
          ? [{ campaign: '600001', name: 'Brand', spend: 40 + d, impressions: 900, clicks: 9 }]
          : [
              { campaign: '100', name: 'Search', spend: 10 + d, impressions: 1000 + d, clicks: 10 },
              { campaign: '200', name: 'Display', spend: 5 + d / 10, impressions: 5000, clicks: 0 },
            ]
      this.days.set(`${platform}:${date}`, rows)
    }
    return rows
  }

  /** The platform revises a day's spend (as they do for a few days after). */
  restate(platform: Platform, date: string, campaign: string, spend: number): void {
    const row = this.rows(platform, date).find((r) => r.campaign === campaign)
    if (row === undefined) throw new Error(`no ${platform} ${campaign} on ${date}`)
    row.spend = spend
  }

  private route(request: SeenRequest): JsonAnswer {
    if (request.path === '/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body)
      if (form.get('refresh_token') !== this.tokens.refresh)
        return { status: 400, body: { error: 'invalid_grant' } }
      return { body: { access_token: this.tokens.google, expires_in: 3599, token_type: 'Bearer' } }
    }
    const google = /^\/v\d+\/customers\/(\d+)\/googleAds:search$/.exec(request.path)
    if (google) return this.google(request)
    const meta = /^\/v[\d.]+\/act_(\d+)\/insights$/.exec(request.path)
    if (meta) return this.meta(request)
    if (request.path.startsWith('/rest/')) return this.linkedin(request)
    return { status: 404, body: { error: 'not found' } }
  }

  private google(request: SeenRequest): JsonAnswer {
    if (
      request.headers.authorization !== `Bearer ${this.tokens.google}` ||
      request.headers['developer-token'] !== this.tokens.developer
    ) {
      return {
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request is missing required authentication credential.',
            status: 'UNAUTHENTICATED',
          },
        },
      }
    }
    const body = JSON.parse(request.body) as { query: string; pageToken?: string }
    const date = /segments\.date = '(\d{4}-\d{2}-\d{2})'/.exec(body.query)?.[1]
    if (date === undefined)
      return {
        status: 400,
        body: { error: { code: 400, message: 'query needs a date', status: 'INVALID_ARGUMENT' } },
      }
    const start = body.pageToken ? Number(Buffer.from(body.pageToken, 'base64url').toString()) : 0
    const all = this.rows('google', date)
    const results = all.slice(start, start + this.googlePageSize).map((r) => ({
      campaign: { resourceName: `customers/1/campaigns/${r.campaign}`, id: r.campaign, name: r.name },
      // proto3 JSON leaves zero values out.
      metrics: {
        costMicros: String(Math.round(r.spend * 1_000_000)),
        impressions: String(r.impressions),
        ...(r.clicks ? { clicks: String(r.clicks) } : {}),
      },
      segments: { date },
      customer: { resourceName: 'customers/1', currencyCode: 'USD' },
    }))
    const more = start + this.googlePageSize < all.length
    return {
      body: {
        results,
        fieldMask:
          'segments.date,campaign.id,campaign.name,metrics.costMicros,metrics.impressions,metrics.clicks,customer.currencyCode',
        ...(more
          ? { nextPageToken: Buffer.from(String(start + this.googlePageSize)).toString('base64url') }
          : {}),
        requestId: 'fake',
      },
    }
  }

  private meta(request: SeenRequest): JsonAnswer {
    if (request.headers.authorization !== `Bearer ${this.tokens.meta}`) {
      return {
        status: 400,
        body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } },
      }
    }
    const range = JSON.parse(request.query.get('time_range') ?? '{}') as { since?: string; until?: string }
    if (range.since === undefined || range.since !== range.until) {
      return {
        status: 400,
        body: { error: { message: 'time_range needs one day here', type: 'OAuthException', code: 100 } },
      }
    }
    const limit = Number(request.query.get('limit') ?? '25')
    const after = request.query.get('after')
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) : 0
    const all = this.rows('meta', range.since)
    const data = all.slice(start, start + Math.min(limit, this.metaPageSize)).map((r) => ({
      campaign_id: r.campaign,
      campaign_name: r.name,
      spend: r.spend.toFixed(2),
      impressions: String(r.impressions),
      clicks: String(r.clicks),
      account_currency: 'EUR',
      date_start: range.since,
      date_stop: range.until,
    }))
    const end = start + data.length
    const cursors = {
      before: Buffer.from(String(start)).toString('base64url'),
      after: Buffer.from(String(end)).toString('base64url'),
    }
    return {
      body: {
        data,
        paging: {
          cursors,
          ...(end < all.length ? { next: `${this.url}${request.path}?after=${cursors.after}` } : {}),
        },
      },
    }
  }

  private linkedin(request: SeenRequest): JsonAnswer {
    if (
      request.headers.authorization !== `Bearer ${this.tokens.linkedin}` ||
      request.headers['x-restli-protocol-version'] !== '2.0.0' ||
      !/^\d{6}$/.test(String(request.headers['linkedin-version']))
    ) {
      return {
        status: 401,
        body: {
          status: 401,
          serviceErrorCode: 65600,
          code: 'INVALID_ACCESS_TOKEN',
          message: 'Invalid access token',
        },
      }
    }
    const account = /^\/rest\/adAccounts\/(\d+)(\/adCampaignGroups)?$/.exec(request.path)
    if (account && account[2] === undefined)
      return { body: { id: Number(account[1]), currency: 'GBP', name: 'UK', status: 'ACTIVE' } }
    if (account)
      return { body: { elements: [{ id: 600001, name: 'Brand', status: 'ACTIVE' }], metadata: {} } }
    if (request.path !== '/rest/adAnalytics' || request.query.get('q') !== 'analytics') {
      return { status: 404, body: { status: 404, message: 'not found' } }
    }
    // Rest.li: dateRange=(start:(year:2025,month:6,day:1),end:(…)), read from the raw query text.
    const raw = request.raw
    const m =
      /dateRange=\(start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),day:(\d+)\)\)/.exec(
        raw,
      )
    if (m === null || !/accounts=List\(urn%3Ali%3AsponsoredAccount%3A\d+\)/.test(raw)) {
      return { status: 400, body: { status: 400, message: 'Invalid Rest.li parameters' } }
    }
    const date = `${m[1]}-${String(m[2]).padStart(2, '0')}-${String(m[3]).padStart(2, '0')}`
    const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
    const elements = this.rows('linkedin', date).map((r) => ({
      costInLocalCurrency: r.spend.toFixed(2),
      impressions: r.impressions,
      clicks: r.clicks,
      dateRange: { start: parts, end: parts },
      pivotValues: [`urn:li:sponsoredCampaignGroup:${r.campaign}`],
    }))
    return { body: { elements, paging: { count: 10, start: 0, links: [] } } }
  }
}
