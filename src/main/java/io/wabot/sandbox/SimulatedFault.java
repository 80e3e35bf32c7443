package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/**
 * A programmed misbehaviour of the {@link GraphApiSimulator}: what it answers (a Meta-shaped error, a
 * late answer, or no answer at all) and to which requests (the next {@code times} ones, one customer's
 * only, during a period). Faults are immutable; {@link #times}, {@link #forRecipient} and
 * {@link #forPeriod} return narrowed copies:
 *
 * <pre>{@code
 * simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(2)).times(3));
 * simulator.inject(SimulatedFault.serverError(503).forPeriod(Duration.ofSeconds(20)));
 * simulator.inject(SimulatedFault.outsideWindow().forRecipient("16505551234"));
 * }</pre>
 *
 * @param effect    what the simulator does instead of answering normally
 * @param times     how many requests it applies to; null for any number
 * @param recipient the customer ({@code to} or {@code recipient}) it applies to, {@value #READ_RECEIPTS} for read
 *                  receipts only; null for everyone (read receipts included)
 * @param period    how long after injection it applies; null for ever
 * @param number    the business number ({@code phone-number-id}) whose sends it applies to; null for every number
 */
public record SimulatedFault(Effect effect, Integer times, String recipient, Duration period, String number) {

  /** What a faulty request gets. */
  public sealed interface Effect {
  }

  /** A Graph error answer: {@code {"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}}. */
  public record ErrorAnswer(int status, int code, Integer subcode, String type, String message, String details,
      Duration retryAfter) implements Effect {
  }

  /** The normal answer, late. */
  public record Delay(Duration delay) implements Effect {
  }

  /** No answer ever: the client's timeout is the only way out. */
  public record NoAnswer() implements Effect {
  }

  public SimulatedFault {
    if (effect == null) {
      throw new IllegalArgumentException("a fault needs an effect");
    }
    if (times != null && times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
  }

  private static SimulatedFault of(Effect effect) {
    return new SimulatedFault(effect, null, null, null, null);
  }

  // ---- Meta's errors ---------------------------------------------------------------------------

  /** 429, code 130429: the phone number's throughput is used up. {@code retryAfter} null: no header. */
  public static SimulatedFault throughputLimit(Duration retryAfter) {
    return of(new ErrorAnswer(429, 130429, 2494055, "OAuthException", "(#130429) Rate limit hit",
        "Cloud API message throughput has been reached.", retryAfter));
  }

  /** 400, code 131056: too many messages to one customer in a short time. */
  public static SimulatedFault pairRateLimit() {
    return of(new ErrorAnswer(400, 131056, 2494055, "OAuthException",
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone number to the same"
            + " phone number in a short period of time.", null));
  }

  /** 400, code 131047: more than 24 hours since the customer last wrote; only templates go through. */
  public static SimulatedFault outsideWindow() {
    return of(new ErrorAnswer(400, 131047, 2494010, "OAuthException", "(#131047) Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        null));
  }

  /** 404, code 132001: the template does not exist in the requested language. */
  public static SimulatedFault templateLanguageMissing() {
    return of(new ErrorAnswer(404, 132001, 2494073, "OAuthException",
        "(#132001) Template name does not exist in the translation",
        "template name does not exist in the requested language", null));
  }

  /** 400, code 131026: the message cannot be delivered to this customer. */
  public static SimulatedFault undeliverable() {
    return of(new ErrorAnswer(400, 131026, 2494002, "OAuthException", "(#131026) Message undeliverable",
        "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.",
        null));
  }

  /** 400, code 131050: the customer stopped marketing messages from this business. */
  public static SimulatedFault optedOut() {
    return of(new ErrorAnswer(400, 131050, 2494171, "OAuthException",
        "(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages"
            + " on WhatsApp from your business", "The recipient opted out of marketing messages.", null));
  }

  /**
   * 400, code 131062: this message cannot go to a business-scoped user id (one-tap, zero-tap and
   * copy-code authentication templates need the customer's phone number).
   */
  public static SimulatedFault bsuidNotSupported() {
    return of(new ErrorAnswer(400, 131062, null, "OAuthException",
        "(#131062) Business-scoped user ID recipients not supported",
        "This message type cannot be sent to a business-scoped user ID; send it to the user's phone number.", null));
  }

  /** 401, code 190: the access token expired (what a temporary token does after 24 hours). */
  public static SimulatedFault tokenExpired() {
    return of(new ErrorAnswer(401, 190, 463, "OAuthException",
        "Error validating access token: Session has expired.", null, null));
  }

  /** 500 with code 131000 ("something went wrong") or 503 with code 2 ("service temporarily unavailable"). */
  public static SimulatedFault serverError(int status) {
    return status == 503
        ? of(new ErrorAnswer(503, 2, null, "OAuthException", "(#2) Service temporarily unavailable", null, null))
        : of(new ErrorAnswer(status, 131000, null, "OAuthException", "(#131000) Something went wrong",
            "Message failed to send because of an unknown error.", null));
  }

  /** Any other Graph error. */
  public static SimulatedFault error(int status, int code, String message) {
    return of(new ErrorAnswer(status, code, null, "OAuthException", message, null, null));
  }

  // ---- transport -------------------------------------------------------------------------------

  /** Answers normally, after {@code delay}. */
  public static SimulatedFault delay(Duration delay) {
    return of(new Delay(delay));
  }

  /** Never answers. */
  public static SimulatedFault noAnswer() {
    return of(new NoAnswer());
  }

  // ---- scope -----------------------------------------------------------------------------------

  public SimulatedFault times(int n) {
    return new SimulatedFault(effect, n, recipient, period, number);
  }

  /** Only for messages to this phone number or BSUID. */
  public SimulatedFault forRecipient(String address) {
    return new SimulatedFault(effect, times, address, period, number);
  }

  /** The recipient that stands for read receipts, which name none ({@code "recipient": "read-receipts"} in JSON). */
  public static final String READ_RECEIPTS = "read-receipts";

  /** Only for read receipts (a reply's carried receipt failing while the reply goes). */
  public SimulatedFault forReadReceipts() {
    return forRecipient(READ_RECEIPTS);
  }

  public SimulatedFault forPeriod(Duration duration) {
    return new SimulatedFault(effect, times, recipient, duration, number);
  }

  /** Only for what this business number sends ({@code /{phone-number-id}/messages}): one number's trouble, not another's. */
  public SimulatedFault forNumber(String phoneNumberId) {
    return new SimulatedFault(effect, times, recipient, period, phoneNumberId);
  }

  // ---- JSON, for an admin API ------------------------------------------------------------------

  /**
   * Reads a fault from JSON: {@code {"fault": "throughput_limit", "retryAfterSeconds": 2, "times": 3,
   * "recipient": "16505551234", "forMs": 20000, "number": "100000000000002"}} ({@code number}: only that business
   * number's sends). Kinds: throughput_limit, pair_rate_limit,
   * outside_window, template_language_missing, undeliverable, opted_out, bsuid_not_supported, token_expired, server_error
   * ({@code status}, default 500), error ({@code status}, {@code code}, {@code subcode}, {@code type},
   * {@code message}, {@code details}, {@code retryAfterSeconds}), delay
   * ({@code delayMs}), no_answer.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SimulatedFault fromJson(JsonObject json) {
    String kind = json.getString("fault", "").toLowerCase(Locale.ROOT);
    SimulatedFault fault = switch (kind) {
      case "throughput_limit" -> throughputLimit(json.containsKey("retryAfterSeconds")
          ? Duration.ofSeconds(json.getLong("retryAfterSeconds")) : null);
      case "pair_rate_limit" -> pairRateLimit();
      case "outside_window" -> outsideWindow();
      case "template_language_missing" -> templateLanguageMissing();
      case "undeliverable" -> undeliverable();
      case "opted_out" -> optedOut();
      case "bsuid_not_supported" -> bsuidNotSupported();
      case "token_expired" -> tokenExpired();
      case "server_error" -> serverError(json.getInteger("status", 500));
      case "error" -> of(new ErrorAnswer(json.getInteger("status", 400), json.getInteger("code", 100),
          json.getInteger("subcode"), json.getString("type", "OAuthException"),
          json.getString("message", "(#100) Invalid parameter"), json.getString("details"),
          json.containsKey("retryAfterSeconds") ? Duration.ofSeconds(json.getLong("retryAfterSeconds")) : null));
      case "delay" -> delay(Duration.ofMillis(json.getLong("delayMs", 1000L)));
      case "no_answer" -> noAnswer();
      default -> throw new IllegalArgumentException("unknown fault \"" + kind + "\"");
    };
    if (json.getInteger("times") != null) {
      fault = fault.times(json.getInteger("times"));
    }
    if (json.getString("recipient") != null) {
      fault = fault.forRecipient(json.getString("recipient"));
    }
    if (json.getLong("forMs") != null) {
      fault = fault.forPeriod(Duration.ofMillis(json.getLong("forMs")));
    }
    if (json.getString("number") != null) {
      fault = fault.forNumber(json.getString("number"));
    }
    return fault;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (effect instanceof ErrorAnswer e) {
      json.put("fault", "error").put("status", e.status()).put("code", e.code()).put("subcode", e.subcode())
          .put("type", e.type()).put("message", e.message()).put("details", e.details());
      if (e.retryAfter() != null) {
        json.put("retryAfterSeconds", e.retryAfter().toSeconds());
      }
    } else if (effect instanceof Delay d) {
      json.put("fault", "delay").put("delayMs", d.delay().toMillis());
    } else {
      json.put("fault", "no_answer");
    }
    if (times != null) {
      json.put("times", times);
    }
    if (recipient != null) {
      json.put("recipient", recipient);
    }
    if (period != null) {
      json.put("forMs", period.toMillis());
    }
    if (number != null) {
      json.put("number", number);
    }
    return json;
  }
}
