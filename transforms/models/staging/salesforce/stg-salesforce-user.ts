import { z } from 'zod'
import { defineModel } from '../../../framework/index.js'
import { rawSalesforceUser } from '../../sources/salesforce.js'
import { rankedVersions } from '../records/latest-versions.js'
import { payloadFields } from '../records/payload-fields.js'

/** Salesforce users (opportunity and account owners), latest version each. */
export const stgSalesforceUser = defineModel({
  name: 'stg_salesforce__user',
  layer: 'staging',
  materialized: 'table',
  description: 'One row per Salesforce user, latest version.',
  inputs: { raw: rawSalesforceUser },
  columns: z.object({
    user_id: z.string(),
    user_name: z.string().nullable(),
    email: z.string().nullable(),
    title: z.string().nullable(),
    department: z.string().nullable(),
    manager_id: z.string().nullable(),
    is_active: z.boolean(),
    created_at: z.iso.datetime().nullable(),
    is_deleted: z.boolean(),
  }),
  query: ({ db, dialect }) =>
    db
      .selectFrom(rankedVersions(db).as('v'))
      .where('v.version', '=', 1)
      .select((eb) => {
        const p = payloadFields(dialect, eb.ref('v.payload'))
        return [
          'v._id as user_id',
          p.text('Name').as('user_name'),
          p.email('Email').as('email'),
          p.text('Title').as('title'),
          p.text('Department').as('department'),
          p.text('ManagerId').as('manager_id'),
          eb.fn.coalesce(p.boolean('IsActive'), eb.lit(true)).as('is_active'),
          p.timestamp('CreatedDate').as('created_at'),
          'v._deleted as is_deleted',
        ]
      }),
  tests: (t) => [t.unique('user_id')],
})
