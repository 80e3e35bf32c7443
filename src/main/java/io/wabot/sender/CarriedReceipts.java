package io.wabot.sender;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replies being sent with a read receipt ({@code OutboundJobs.reply}), and which of those Meta accepted the
 * receipt of. A job handed back (postponed, retried) keeps its entry, so that its next attempt in this process
 * does not mark the message read again once Meta accepted the receipt. Every entry ends: with the job, or with a
 * receipt that did not go out. Bounded besides: a job forgotten early only costs a second read receipt, which
 * shows nothing twice.
 */
final class CarriedReceipts {

  /** Far more than the jobs one sender instance holds at once (its windows' room, at most sender.maxInFlight). */
  private static final int MAX_REMEMBERED = 10_000;

  // Synchronized: the Graph API's answers may complete on another event loop than the consumer's.
  // Value: whether Meta accepted the receipt (false: its request is in flight).
  private final Map<String, Boolean> acceptedByJob = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  /** An attempt at a job carrying a receipt begins: true when its receipt is to be sent (not accepted yet). */
  synchronized boolean begin(String jobId) {
    if (Boolean.TRUE.equals(acceptedByJob.get(jobId))) {
      return false;
    }
    acceptedByJob.put(jobId, Boolean.FALSE);
    return true;
  }

  /** Meta accepted the job's receipt; ignored once the job is done. */
  synchronized void accepted(String jobId) {
    acceptedByJob.computeIfPresent(jobId, (id, was) -> Boolean.TRUE);
  }

  /** The receipt did not go out (held, refused, failed): the job's next attempt sends it again. */
  synchronized void notSent(String jobId) {
    acceptedByJob.remove(jobId, Boolean.FALSE);
  }

  synchronized boolean wasAccepted(String jobId) {
    return Boolean.TRUE.equals(acceptedByJob.get(jobId));
  }

  /** The job's attempt ended; handed back to the queue, the job keeps its entry for its next attempt. */
  synchronized void finish(String jobId, boolean handedBack) {
    if (!handedBack) {
      acceptedByJob.remove(jobId);
    }
  }
}
