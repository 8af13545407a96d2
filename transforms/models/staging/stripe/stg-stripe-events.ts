import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { payloadReader } from '../envelope/payload-reader.js'
import { rankedVersions } from '../envelope/versions.js'

/** One row per event: which object changed, how, and the object as it stood then (JSON text). */
export const stgStripeEvents = defineModel({
  name: 'stg_stripe__events',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe events, one row each, with the object they carry.',
  inputs: { raw: stripeSources.events },
  columns: z.object({
    event_id: z.string(),
    /** e.g. customer.subscription.updated */
    event_type: z.string().nullable(),
    api_version: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
    object_id: z.string().nullable(),
    /** The object's kind, e.g. subscription, invoice. */
    object_type: z.string().nullable(),
    /** The object's `status` then, where it has one. */
    object_status: z.string().nullable(),
    /** `data.object` as JSON text. */
    object_json: z.string().nullable(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.payload'))
        return [
          'v._id as event_id',
          p.text('type').as('event_type'),
          p.text('api_version').as('api_version'),
          p.timestamp('created').as('created_at'),
          p.text('data.object.id').as('object_id'),
          p.text('data.object.object').as('object_type'),
          p.text('data.object.status').as('object_status'),
          p.json('data.object').as('object_json'),
        ]
      })
      .where('v.live_rank', '=', 1),
  tests: (t) => [t.unique('event_id')],
})
