package io.wabot.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The sender: how replies go to the Graph API, and what it does when the API says no. Retry back-off
 * and the attempt limit are the queue's ({@link QueueConfig}); these settings are the Graph-specific ones.
 *
 * @param instances            sender verticle instances in this process (each its own event loop and breaker)
 * @param concurrency          Graph API requests in flight per instance
 * @param requestTimeout       hard deadline of one request, also the circuit breaker's timeout
 * @param maxMessagesPerSecond the phone number's throughput, shared by every process through Redis
 * @param breakerMaxFailures   failures (5xx, timeouts, connection errors) within {@code breakerFailureWindow}
 *                             that open the breaker
 * @param breakerFailureWindow the window in which those failures are counted
 * @param breakerOpenFor       how long the breaker stays open before one trial request (half-open)
 * @param rateLimitPause       pause after a throughput error (130429) that names no {@code Retry-After}
 * @param pairRateDelay        how long one conversation waits after a pair rate error (131056)
 * @param longBackoff          the retry delay after app, account, spam or marketing limits (4, 80007, 131048, 131049)
 * @param fallbackTemplate     the approved template sent instead of a free-form reply outside the 24 h window
 *                             (131047) when the customer's locale has none of its own; null: no fallback
 * @param templatesByLocale    per-locale fallback templates, e.g. {@code es → seguimiento (es_MX)}
 * @param lastResortLanguage   the language tried last when a template does not exist in the customer's (132001)
 */
public record SenderConfig(
    int instances,
    int concurrency,
    Duration requestTimeout,
    int maxMessagesPerSecond,
    int breakerMaxFailures,
    Duration breakerFailureWindow,
    Duration breakerOpenFor,
    Duration rateLimitPause,
    Duration pairRateDelay,
    Duration longBackoff,
    FallbackTemplate fallbackTemplate,
    Map<String, FallbackTemplate> templatesByLocale,
    String lastResortLanguage) {

  /** Where per-locale templates live; its keys are locales the adopter chooses. */
  static final String BY_LOCALE = "sender.windowFallback.byLocale";

  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");

  /** An approved template, by name and language code as WhatsApp Manager shows them. */
  public record FallbackTemplate(String name, String language) {
  }

  public SenderConfig {
    templatesByLocale = Map.copyOf(templatesByLocale);
  }

  static SenderConfig from(ConfigReader r) {
    String language = language(r, "sender.windowFallback.language", r.string("sender.windowFallback.language", "\"en_US\""));
    String template = r.optionalString("sender.windowFallback.template");
    return new SenderConfig(
        r.integer("sender.instances", 1, 16, 1),
        r.integer("sender.concurrency", 1, 256, 16),
        r.duration("sender.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(2), "10s"),
        r.integer("sender.maxMessagesPerSecond", 1, 1000, 80),
        r.integer("sender.breaker.maxFailures", 1, 1000, 5),
        r.duration("sender.breaker.failureWindow", Duration.ofSeconds(1), Duration.ofMinutes(10), "10s"),
        r.duration("sender.breaker.openFor", Duration.ofMillis(100), Duration.ofHours(1), "30s"),
        r.duration("sender.rateLimitPause", Duration.ofMillis(100), Duration.ofHours(1), "10s"),
        r.duration("sender.pairRateDelay", Duration.ofMillis(100), Duration.ofHours(1), "6s"),
        r.duration("sender.longBackoff", Duration.ofSeconds(1), Duration.ofDays(1), "10m"),
        template == null ? null : new FallbackTemplate(template, language),
        byLocale(r),
        language(r, "sender.templateFallbackLanguage", r.string("sender.templateFallbackLanguage", "\"en_US\"")));
  }

  private static Map<String, FallbackTemplate> byLocale(ConfigReader r) {
    Map<String, FallbackTemplate> out = new LinkedHashMap<>();
    JsonObject section = r.object(BY_LOCALE);
    for (String locale : section.fieldNames()) {
      String path = BY_LOCALE + "." + locale;
      Object value = section.getValue(locale);
      if (!(value instanceof JsonObject entry) || !(entry.getValue("name") instanceof String name) || name.isBlank()) {
        r.problem(path, "must be an object with the template's name and language", "{\"name\": \"follow_up\", \"language\": \"es_MX\"}");
        continue;
      }
      String language = language(r, path + ".language", entry.getString("language"));
      out.put(locale.toLowerCase(Locale.ROOT), new FallbackTemplate(name.trim(), language));
    }
    return out;
  }

  private static String language(ConfigReader r, String path, String value) {
    if (value != null && !LANGUAGE.matcher(value).matches()) {
      r.problem(path, "must be a WhatsApp template language code such as en_US, es_MX or de", "\"en_US\"");
    }
    return value;
  }

  /**
   * The template to send outside the 24 h window for a customer's locale: the locale's own (e.g.
   * {@code es_MX}), else its language's ({@code es}), else the default; empty when none is configured.
   */
  public Optional<FallbackTemplate> fallbackTemplateFor(String locale) {
    if (locale != null && !locale.isBlank()) {
      String normalized = locale.trim().replace('-', '_').toLowerCase(Locale.ROOT);
      FallbackTemplate exact = templatesByLocale.get(normalized);
      if (exact != null) {
        return Optional.of(exact);
      }
      int cut = normalized.indexOf('_');
      if (cut > 0 && templatesByLocale.containsKey(normalized.substring(0, cut))) {
        return Optional.of(templatesByLocale.get(normalized.substring(0, cut)));
      }
    }
    return Optional.ofNullable(fallbackTemplate);
  }
}
