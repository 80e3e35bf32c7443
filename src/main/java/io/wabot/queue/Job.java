package io.wabot.queue;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;

/**
 * A job this process has claimed: while its handler runs, no other consumer anywhere runs a job of the
 * same conversation.
 *
 * @param id             the job's id, unique within its queue (an inbound job's id is the message's wamid)
 * @param queue          the queue's name ({@link Queues#INBOUND} or {@link Queues#OUTBOUND})
 * @param conversationId the conversation whose FIFO the job belongs to (the customer's WhatsApp id)
 * @param payload        what the producer stored; includes {@code correlation}
 * @param attempts       how many times the job has been claimed, this time included
 * @param enqueuedAtMs   Redis time when the job was stored
 * @param claimedAtMs    Redis time when this claim happened
 * @param result         what an earlier attempt recorded with {@link JobQueue#recordResult}, or what a status
 *                       webhook recorded for an outbound job (the wamid of a message Meta already accepted), or null
 * @param lastError      why the previous attempt failed, or null
 * @param inDoubt        an earlier attempt may have done its work outside Redis without that being
 *                       recorded (it died, lost Redis, or its request timed out): the handler should find
 *                       out before doing it again ({@link JobQueue#settleDoubt})
 */
public record Job(
    String id,
    String queue,
    String conversationId,
    JsonObject payload,
    int attempts,
    long enqueuedAtMs,
    long claimedAtMs,
    String result,
    String lastError,
    boolean inDoubt) {

  public Job(String id, String queue, String conversationId, JsonObject payload, int attempts, long enqueuedAtMs,
      long claimedAtMs, String result, String lastError) {
    this(id, queue, conversationId, payload, attempts, enqueuedAtMs, claimedAtMs, result, lastError, false);
  }

  public Correlation correlation() {
    return Correlation.fromJson(payload.getJsonObject("correlation"));
  }

  /** Time the job waited in the queue before this claim. */
  public long queuedMs() {
    return Math.max(0, claimedAtMs - enqueuedAtMs);
  }
}
