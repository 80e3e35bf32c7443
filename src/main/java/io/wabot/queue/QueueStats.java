package io.wabot.queue;

/**
 * A snapshot of one queue.
 *
 * @param waiting          jobs stored and not finished (in flight included)
 * @param readyConversations conversations with work that no consumer holds
 * @param inFlight         conversations leased by a consumer
 * @param delayed          conversations waiting for a retry time
 * @param deadLetters      jobs in the dead-letter queue
 * @param oldestReadyAgeMs age of the oldest job not yet claimed (queue lag), 0 when none
 */
public record QueueStats(long waiting, long readyConversations, long inFlight, long delayed, long deadLetters,
    long oldestReadyAgeMs) {
}
