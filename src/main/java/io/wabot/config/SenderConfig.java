package io.wabot.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The sender: how replies go to the Graph API, and what it does when the API says no. Retry back-off
 * and the attempt limit are the queue's ({@link QueueConfig}); these settings are the Graph-specific ones.
 *
 * @param instances            sender verticle instances in this process (each its own event loop and breaker)
 * @param concurrency          Graph API requests in flight per instance and number at the least: before any answer,
 *                             and however fast Meta answers
 * @param maxInFlight          Graph API requests in flight per instance at the most, all numbers together; between
 *                             the two, each number keeps twice its tier times the observed latency in flight
 * @param requestTimeout       hard deadline of one request, also the circuit breaker's timeout
 * @param maxMessagesPerSecond the phone number's throughput, shared by every process through Redis
 * @param breakerMaxFailures   failures (5xx, timeouts, connection errors) within {@code breakerFailureWindow}
 *                             that open the breaker
 * @param breakerFailureWindow the window in which those failures are counted
 * @param breakerOpenFor       how long the breaker stays open before one trial request (half-open)
 * @param rateLimitPause       pause after a throughput error (130429) that names no {@code Retry-After}
 * @param pairRateDelay        how long one conversation waits after a pair rate error (131056)
 * @param longBackoff          the retry delay after app, account, spam or marketing limits (4, 80007, 131048, 131049)
 * @param lastResortLanguage   the language tried last when a template does not exist in the customer's (132001)
 * @param inDoubtGrace         how long a send whose result was never recorded (the process died, Redis failed or
 *                             the request timed out after reaching Meta) waits for a status webhook proving it
 *                             went out, before it is sent again
 *
 * <p>The template sent instead of a free-form reply once the 24 h window has closed (131047) is the
 * conversation's window template ({@link ConversationConfig.WindowTemplate}): one setting for both the
 * engine, which knows the window is closed, and the sender, which learns it from Meta.
 */
public record SenderConfig(
    int instances,
    int concurrency,
    int maxInFlight,
    Duration requestTimeout,
    int maxMessagesPerSecond,
    int breakerMaxFailures,
    Duration breakerFailureWindow,
    Duration breakerOpenFor,
    Duration rateLimitPause,
    Duration pairRateDelay,
    Duration longBackoff,
    String lastResortLanguage,
    Duration inDoubtGrace) {

  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");

  static SenderConfig from(ConfigReader r) {
    int concurrency = r.integer("sender.concurrency", 1, 256, 16);
    int maxInFlight = r.integer("sender.maxInFlight", 1, 10_000, 1000);
    if (maxInFlight < concurrency) {
      r.problem("sender.maxInFlight", "must be at least sender.concurrency (" + concurrency + ")", "1000");
    }
    return new SenderConfig(
        r.integer("sender.instances", 1, 16, 1),
        concurrency,
        Math.max(concurrency, maxInFlight),
        r.duration("sender.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(2), "10s"),
        r.integer("sender.maxMessagesPerSecond", 1, 100_000, 80),
        r.integer("sender.breaker.maxFailures", 1, 1000, 5),
        r.duration("sender.breaker.failureWindow", Duration.ofSeconds(1), Duration.ofMinutes(10), "10s"),
        r.duration("sender.breaker.openFor", Duration.ofMillis(100), Duration.ofHours(1), "30s"),
        r.duration("sender.rateLimitPause", Duration.ofMillis(100), Duration.ofHours(1), "10s"),
        r.duration("sender.pairRateDelay", Duration.ofMillis(100), Duration.ofHours(1), "6s"),
        r.duration("sender.longBackoff", Duration.ofSeconds(1), Duration.ofDays(1), "10m"),
        language(r, "sender.templateFallbackLanguage", r.string("sender.templateFallbackLanguage", "\"en_US\"")),
        r.duration("sender.inDoubtGrace", Duration.ofMillis(100), Duration.ofMinutes(1), "10s"));
  }

  private static String language(ConfigReader r, String path, String value) {
    if (value != null && !LANGUAGE.matcher(value).matches()) {
      r.problem(path, "must be a WhatsApp template language code such as en_US, es_MX or de", "\"en_US\"");
    }
    return value;
  }
}
