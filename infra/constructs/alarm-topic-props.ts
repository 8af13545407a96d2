export interface AlarmTopicProps {
  /** Physical topic name, e.g. `revops-alarms`. */
  readonly topicName: string
  /** Subscribed by email (the address confirms the subscription once); none for no subscription. */
  readonly email: string | null
}
