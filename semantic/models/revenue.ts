import {
  FctCustomerMrrMonth,
  FctInvoice,
  FctPayment,
  FctSubscriptionTerm,
  FctTrial,
} from '../../transforms/models/marts/contracts.js'
import { defineMartModel } from '../spec/define-mart-model.js'

const movement = (name: string) => [{ dimension: 'movement', op: '=' as const, value: name }]

export const customerMrr = defineMartModel(FctCustomerMrrMonth, {
  name: 'customer_mrr',
  table: 'fct_customer_mrr_month',
  description: 'Each customer’s MRR at each month end, with its movement (mrr-policy).',
  entities: [{ name: 'customer', type: 'foreign', column: 'customer_id' }],
  dimensions: [
    {
      name: 'movement',
      column: 'movement',
      description: 'new, expansion, contraction, churn, reactivation or unchanged.',
    },
    { name: 'is_active', column: 'is_active', type: 'boolean', description: 'MRR > 0 at the month end.' },
    {
      name: 'was_active',
      column: 'was_active',
      type: 'boolean',
      description: 'MRR > 0 at the previous month end.',
    },
  ],
  timeDimensions: [{ name: 'month', column: 'month', grain: 'month', description: 'The snapshot month.' }],
  defaultTime: 'month',
  measures: [
    {
      name: 'mrr',
      agg: 'sum',
      column: 'mrr',
      semantics: { kind: 'last' },
      description: 'MRR at the period end.',
    },
    {
      name: 'active_customers',
      agg: 'count_distinct',
      column: 'customer_id',
      semantics: { kind: 'last' },
      where: [{ dimension: 'is_active', op: '=', value: true }],
      description: 'Customers with MRR > 0 at the period end.',
    },
    {
      name: 'new_mrr',
      agg: 'sum',
      column: 'new_mrr',
      description: 'MRR of customers’ first month with MRR.',
    },
    {
      name: 'expansion_mrr',
      agg: 'sum',
      column: 'expansion_mrr',
      description: 'MRR increases of active customers.',
    },
    {
      name: 'contraction_mrr',
      agg: 'sum',
      column: 'contraction_mrr',
      description: 'MRR decreases that leave MRR > 0.',
    },
    {
      name: 'churned_mrr',
      agg: 'sum',
      column: 'churned_mrr',
      description: 'MRR lost by customers going to 0.',
    },
    {
      name: 'reactivation_mrr',
      agg: 'sum',
      column: 'reactivation_mrr',
      description: 'MRR of returning customers.',
    },
    { name: 'fx_mrr', agg: 'sum', column: 'fx_mrr', description: 'MRR change from exchange rates alone.' },
    {
      name: 'new_customers',
      agg: 'count_distinct',
      column: 'customer_id',
      where: movement('new'),
      description: 'Customers in their first month with MRR.',
    },
    {
      name: 'churned_customers',
      agg: 'count_distinct',
      column: 'customer_id',
      where: movement('churn'),
      description: 'Customers whose MRR went to 0.',
    },
    {
      name: 'expanded_customers',
      agg: 'count_distinct',
      column: 'customer_id',
      where: movement('expansion'),
      description: 'Active customers whose MRR grew.',
    },
  ],
})

const FINALIZED = ['open', 'paid', 'uncollectible']

export const invoices = defineMartModel(FctInvoice, {
  name: 'invoices',
  table: 'fct_invoice',
  description: 'Stripe invoices; totals exclude tax, in the reporting currency.',
  entities: [
    { name: 'invoice', type: 'primary', column: 'invoice_id' },
    { name: 'customer', type: 'foreign', column: 'customer_id' },
  ],
  dimensions: [
    { name: 'invoice_status', column: 'status', description: 'draft, open, paid, uncollectible or void.' },
  ],
  timeDimensions: [
    {
      name: 'invoice_date',
      column: 'invoice_date',
      grain: 'day',
      description: 'When the invoice was finalized.',
    },
  ],
  defaultTime: 'invoice_date',
  measures: [
    {
      name: 'billed_revenue',
      agg: 'sum',
      column: 'total_excluding_tax',
      where: [{ dimension: 'invoice_status', op: 'in', value: FINALIZED }],
      description:
        'Totals excluding tax of finalized invoices (open, paid, uncollectible; not draft or void).',
    },
  ],
})

export const payments = defineMartModel(FctPayment, {
  name: 'payments',
  table: 'fct_payment',
  description: 'Charges and refunds in the reporting currency.',
  entities: [
    { name: 'payment', type: 'primary', column: 'payment_id' },
    { name: 'customer', type: 'foreign', column: 'customer_id' },
  ],
  dimensions: [
    { name: 'payment_kind', column: 'kind', description: 'charge or refund.' },
    { name: 'payment_status', column: 'status', description: 'succeeded, failed or pending.' },
  ],
  timeDimensions: [
    { name: 'payment_date', column: 'payment_date', grain: 'day', description: 'When money moved.' },
  ],
  defaultTime: 'payment_date',
  measures: [
    {
      name: 'cash_collected',
      agg: 'sum',
      column: 'net_amount',
      where: [{ dimension: 'payment_status', op: '=', value: 'succeeded' }],
      description: 'Succeeded charges minus succeeded refunds.',
    },
    {
      name: 'refunds',
      agg: 'sum',
      column: 'amount',
      where: [
        { dimension: 'payment_kind', op: '=', value: 'refund' },
        { dimension: 'payment_status', op: '=', value: 'succeeded' },
      ],
      description: 'Succeeded refunds.',
    },
  ],
})

export const subscriptionTerms = defineMartModel(FctSubscriptionTerm, {
  name: 'subscription_terms',
  table: 'fct_subscription_term',
  description: 'Subscription terms that ended, and whether they continued.',
  entities: [{ name: 'customer', type: 'foreign', column: 'customer_id' }],
  dimensions: [
    { name: 'continued', column: 'continued', type: 'boolean', description: 'The subscription renewed.' },
  ],
  timeDimensions: [
    { name: 'term_end', column: 'term_end', grain: 'day', description: 'When the term ended.' },
  ],
  defaultTime: 'term_end',
  measures: [
    { name: 'terms_ended', agg: 'count', description: 'Terms that ended.' },
    {
      name: 'terms_renewed',
      agg: 'count',
      where: [{ dimension: 'continued', op: '=', value: true }],
      description: 'Terms that ended and continued.',
    },
  ],
})

export const trials = defineMartModel(FctTrial, {
  name: 'trials',
  table: 'fct_trial',
  description: 'Trials that ended, and whether they became paid.',
  entities: [{ name: 'customer', type: 'foreign', column: 'customer_id' }],
  dimensions: [
    { name: 'converted', column: 'converted', type: 'boolean', description: 'The trial became paid.' },
  ],
  timeDimensions: [
    { name: 'trial_end', column: 'trial_end', grain: 'day', description: 'When the trial ended.' },
  ],
  defaultTime: 'trial_end',
  measures: [
    { name: 'trials_ended', agg: 'count', description: 'Trials that ended.' },
    {
      name: 'trials_converted',
      agg: 'count',
      where: [{ dimension: 'converted', op: '=', value: true }],
      description: 'Trials that became paid.',
    },
  ],
})
