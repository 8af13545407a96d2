export interface DeadLetterQueueProps {
  /** What fails into this queue, for the acknowledgement and the queue's alarm. */
  readonly holds: string
}
