package io.wabot.webhook;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.NewJob;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.UserPreference;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what each object of a parsed POST becomes, one at a time, so that no object can sink the
 * others: a job to store, a skipped entry to keep for an operator, or nothing (a replay). It works in two
 * steps around the alias-map look-up ({@link WebhookCustomers}): {@link #screen} drops replays and poison
 * before anything touches Redis, {@link #jobs} builds each job once the customers are known.
 *
 * <ul>
 *   <li>A message whose timestamp is older than the inbound deduplication window (the only span in which
 *       a redelivery is recognised as one) or more than {@link #FUTURE_TOLERANCE} ahead is a replay of a
 *       captured body: dropped.</li>
 *   <li>A message nested deeper than {@link JsonNesting#MAX_MESSAGE_DEPTH} levels, or whose job cannot be
 *       built or encoded, is skipped, whatever the reason: the parser's own skipped objects (a message
 *       naming no customer...) join the same list.</li>
 * </ul>
 */
final class WebhookIntake {

  /** How far ahead of this clock a message's timestamp may be: Meta's clock and ours disagree by seconds. */
  static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

  /** Replay reasons, as counted in {@code wabot_http_rejected_total{endpoint="webhook"}}. */
  static final String TOO_OLD = "replayed_old";
  static final String FROM_FUTURE = "replayed_future";

  /** A message kept as a job, with its sender and the job. */
  record Queued(WebhookPayload.Received message, CustomerIdentity sender, NewJob job) {
  }

  /** A message dropped as a replay. */
  record Replay(WebhookPayload.Received message, String reason) {
  }

  /**
   * The POST before its customers are known.
   *
   * @param accepted messages that may become jobs, in order
   * @param skipped  objects to keep for the operator, the parser's first
   * @param replays  messages dropped as replays
   */
  record Screened(List<WebhookPayload.Received> accepted, List<WebhookPayload.Skipped> skipped, List<Replay> replays) {
  }

  /**
   * The sorted POST.
   *
   * @param messages    messages to store, with their jobs
   * @param preferences preference jobs to store
   * @param skipped     objects to keep for the operator
   */
  record Sorted(List<Queued> messages, List<NewJob> preferences, List<WebhookPayload.Skipped> skipped) {

    List<NewJob> jobs() {
      List<NewJob> jobs = new ArrayList<>(messages.size() + preferences.size());
      messages.forEach(queued -> jobs.add(queued.job()));
      jobs.addAll(preferences);
      return jobs;
    }
  }

  private final Duration replayWindow;

  /** @param replayWindow {@code queue.inboundDedupWindow} */
  WebhookIntake(Duration replayWindow) {
    this.replayWindow = replayWindow;
  }

  Screened screen(WebhookPayload payload, long receivedAtMs) {
    List<WebhookPayload.Received> accepted = new ArrayList<>();
    List<WebhookPayload.Skipped> skipped = new ArrayList<>(payload.skipped());
    List<Replay> replays = new ArrayList<>();
    Instant now = Instant.ofEpochMilli(receivedAtMs);
    for (WebhookPayload.Received received : payload.messages()) {
      String replay = replayReason(received.message().meta().timestamp(), now);
      if (replay != null) {
        replays.add(new Replay(received, replay));
      } else if (JsonNesting.deeperThan(received.raw(), JsonNesting.MAX_MESSAGE_DEPTH)) {
        skipped.add(new WebhookPayload.Skipped("message", "too_deep", received.message().id(),
            JsonNesting.pruned(received.raw(), JsonNesting.MAX_MESSAGE_DEPTH)));
      } else {
        accepted.add(received);
      }
    }
    return new Screened(accepted, skipped, replays);
  }

  /**
   * Each screened message in its customer's conversation, then each preference; what cannot be built is skipped.
   *
   * @param phoneNumberId the business number the POST's part is about (messages carry it already; preferences get it)
   */
  Sorted jobs(Screened screened, WebhookCustomers customers, long receivedAtMs, String phoneNumberId) {
    List<Queued> messages = new ArrayList<>();
    List<NewJob> preferences = new ArrayList<>();
    List<WebhookPayload.Skipped> skipped = new ArrayList<>(screened.skipped());
    for (int i = 0; i < screened.accepted().size(); i++) {
      WebhookPayload.Received received = screened.accepted().get(i);
      CustomerIdentity sender = customers.sender(i);
      NewJob job = job(() -> InboundJobs.of(received, sender, receivedAtMs));
      if (job == null) {
        skipped.add(new WebhookPayload.Skipped("message", "job_rejected", received.message().id(), received.raw()));
      } else {
        messages.add(new Queued(received, sender, job));
      }
    }
    for (UserPreference preference : customers.preferences()) {
      NewJob job = job(() -> InboundJobs.preference(preference, phoneNumberId));
      if (job == null) {
        skipped.add(new WebhookPayload.Skipped("preference", "job_rejected", null, new JsonObject()
            .put("category", preference.category()).put("value", preference.value())));
      } else {
        preferences.add(job);
      }
    }
    return new Sorted(messages, preferences, skipped);
  }

  private String replayReason(Instant sent, Instant now) {
    if (sent.isBefore(now.minus(replayWindow))) {
      return TOO_OLD;
    }
    return sent.isAfter(now.plus(FUTURE_TOLERANCE)) ? FROM_FUTURE : null;
  }

  /**
   * The job, or null when it cannot be built or its payload cannot be encoded (checked here, so that a
   * bad object fails alone, rather than the whole batch in Redis).
   */
  private static NewJob job(java.util.function.Supplier<NewJob> build) {
    try {
      NewJob job = build.get();
      job.payload().encode();
      return job;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }
}
