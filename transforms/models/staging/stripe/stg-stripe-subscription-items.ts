import { sql } from 'kysely'
import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { stripeSources } from '../../sources/stripe.js'
import { fromItem } from '../envelope/from-item.js'
import { payloadReader } from '../envelope/payload-reader.js'

/**
 * One row per subscription item, from the item export and from items embedded in subscriptions
 * (`items.data`), the latest landing of each; deleted items flagged. From 2025-03-31 the current
 * period lives here.
 */
export const stgStripeSubscriptionItems = defineModel({
  name: 'stg_stripe__subscription_items',
  layer: 'staging',
  materialized: 'table',
  description: 'Stripe subscription items (exported and embedded), latest landing each.',
  inputs: { raw: stripeSources.subscriptionItems, subscriptions: stripeSources.subscriptions },
  columns: z.object({
    subscription_item_id: z.string(),
    subscription_id: z.string().nullable(),
    price_id: z.string().nullable(),
    quantity: z.number().nullable(),
    created_at: z.iso.datetime().nullable(),
    current_period_start: z.iso.datetime().nullable(),
    current_period_end: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .with('landed', (qb) =>
        qb
          .selectFrom('raw')
          .select((eb) => [
            'raw._id as item_id',
            eb.ref('raw.payload').$castTo<string | null>().as('item'),
            eb.fn.coalesce('raw._updated_at', 'raw._ingested_at').as('cursor'),
            'raw._ingested_at',
            'raw._deleted',
          ])
          .unionAll(
            qb
              .selectFrom('subscriptions')
              .crossJoin(
                fromItem<{ item: string | null }, 'e'>(
                  dialect.jsonArrayElements(sql.ref('subscriptions.payload'), 'items.data', 'e', 'item'),
                ),
              )
              .select((eb) => [
                dialect.jsonString(eb.ref('e.item'), 'id').$castTo<string>().as('item_id'),
                'e.item',
                eb.fn.coalesce('subscriptions._updated_at', 'subscriptions._ingested_at').as('cursor'),
                'subscriptions._ingested_at',
                sql<boolean>`FALSE`.as('_deleted'),
              ]),
          ),
      )
      .selectFrom((qb) =>
        qb
          .selectFrom('landed')
          .select((eb) => [
            'landed.item_id',
            'landed.item',
            eb.fn
              .agg<boolean>('first_value', ['landed._deleted'])
              .over((o) =>
                o
                  .partitionBy('landed.item_id')
                  .orderBy('landed.cursor', 'desc')
                  .orderBy('landed._ingested_at', 'desc'),
              )
              .as('is_deleted'),
            eb.fn
              .agg<number>('row_number')
              .over((o) =>
                o
                  .partitionBy('landed.item_id')
                  .orderBy('landed._deleted', 'asc')
                  .orderBy('landed.cursor', 'desc')
                  .orderBy('landed._ingested_at', 'desc'),
              )
              .as('live_rank'),
          ])
          .as('v'),
      )
      .select((eb) => {
        const p = payloadReader(dialect, eb.ref('v.item'))
        return [
          eb.ref('v.item_id').$notNull().as('subscription_item_id'),
          p.id('subscription').as('subscription_id'),
          eb.fn.coalesce(p.id('price'), p.id('plan')).as('price_id'),
          p.number('quantity').as('quantity'),
          p.timestamp('created').as('created_at'),
          p.timestamp('current_period_start').as('current_period_start'),
          p.timestamp('current_period_end').as('current_period_end'),
          'v.is_deleted',
        ]
      })
      .where('v.live_rank', '=', 1)
      .where('v.item_id', 'is not', null),
  tests: (t) => [t.unique('subscription_item_id')],
})
