import type { z } from 'zod'
import type { OpportunityState } from '../intermediate/int-opportunity-states.js'

type State = Partial<z.output<typeof OpportunityState>>

const ORDER: Record<string, number> = {
  Qualification: 2,
  'Needs Analysis': 3,
  'Proposal/Price Quote': 7,
  'Negotiation/Review': 8,
  'Closed Won': 9,
  'Closed Lost': 10,
}
const t = (day: string) => `2024-${day}T09:00:00.000Z`

/** The states of one opportunity, one per `[stage, day]`, numbered in order. */
function states(id: string, path: readonly (readonly [string, string])[]): State[] {
  return path.map(([stage, day], i) => ({
    opportunity_id: id,
    state_number: i + 1,
    valid_from: t(day),
    valid_to: path[i + 1] ? t((path[i + 1] as readonly [string, string])[1]) : null,
    stage_key: `salesforce::${stage}`,
    stage,
    stage_order: ORDER[stage] ?? null,
    is_lost: stage === 'Closed Lost',
    owner_id: 'u1',
  }))
}

/** Hand-written cases for stage entries (fct_opportunity_stage_event). */
export const stageEventUnitTests = [
  {
    name: 'entered_negotiation_then_fell_back',
    given: {
      states: states('o1', [
        ['Qualification', '01-01'],
        ['Needs Analysis', '01-11'],
        ['Proposal/Price Quote', '01-21'],
        ['Negotiation/Review', '02-01'],
        ['Proposal/Price Quote', '02-15'],
      ]),
    },
    expect: [
      {
        opportunity_id: 'o1',
        stage: 'Qualification',
        stage_order: 2,
        entered_at: t('01-01'),
        exited_at: t('01-11'),
        next_stage: 'Needs Analysis',
        reached_next_stage: true,
        days_in_stage: 10,
      },
      {
        opportunity_id: 'o1',
        stage: 'Needs Analysis',
        stage_order: 3,
        entered_at: t('01-11'),
        exited_at: t('01-21'),
        next_stage: 'Proposal/Price Quote',
        reached_next_stage: true,
        days_in_stage: 10,
      },
      // The first visit of Proposal led to Negotiation; the return to it is not a new entry.
      {
        opportunity_id: 'o1',
        stage: 'Proposal/Price Quote',
        stage_order: 7,
        entered_at: t('01-21'),
        exited_at: t('02-01'),
        next_stage: 'Negotiation/Review',
        reached_next_stage: true,
        days_in_stage: 11,
      },
      // Entered Negotiation (the current stage says Proposal), then stepped back: no progress.
      {
        opportunity_id: 'o1',
        stage: 'Negotiation/Review',
        stage_order: 8,
        entered_at: t('02-01'),
        exited_at: t('02-15'),
        next_stage: 'Proposal/Price Quote',
        reached_next_stage: false,
        days_in_stage: 14,
      },
    ],
  },
  {
    name: 'a_loss_is_not_progress_and_skipped_stages_are_not_entered',
    given: {
      states: [
        ...states('lost', [
          ['Qualification', '03-01'],
          ['Closed Lost', '03-05'],
        ]),
        ...states('won', [
          ['Qualification', '03-01'],
          ['Proposal/Price Quote', '03-10'],
          ['Proposal/Price Quote', '03-12'],
          ['Closed Won', '03-20'],
        ]),
      ],
    },
    expect: [
      {
        opportunity_id: 'lost',
        stage: 'Qualification',
        reached_next_stage: false,
        next_stage: 'Closed Lost',
        exited_at: t('03-05'),
        days_in_stage: 4,
      },
      {
        opportunity_id: 'lost',
        stage: 'Closed Lost',
        reached_next_stage: false,
        next_stage: null,
        exited_at: null,
        days_in_stage: null,
      },
      {
        opportunity_id: 'won',
        stage: 'Qualification',
        reached_next_stage: true,
        next_stage: 'Proposal/Price Quote',
        exited_at: t('03-10'),
        days_in_stage: 9,
      },
      // Two states in one stage (an amount change) are one visit.
      {
        opportunity_id: 'won',
        stage: 'Proposal/Price Quote',
        reached_next_stage: true,
        next_stage: 'Closed Won',
        exited_at: t('03-20'),
        days_in_stage: 10,
      },
      {
        opportunity_id: 'won',
        stage: 'Closed Won',
        reached_next_stage: false,
        next_stage: null,
        exited_at: null,
        days_in_stage: null,
      },
    ],
  },
]
