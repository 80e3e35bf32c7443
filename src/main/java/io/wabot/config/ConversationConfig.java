package io.wabot.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The conversation engine, its copy and the hand-off to people.
 *
 * @param stateTtl                  how long a conversation's state lives after the customer's last message
 * @param workerInstances           conversation worker verticle instances (each an event loop)
 * @param concurrency               inbound jobs in flight per worker instance (different conversations)
 * @param misunderstandingThreshold misunderstood messages in a row after which a person is offered
 * @param defaultLocale             the locale every chain ends in; it must have every message key
 * @param locales                   the locales with a file {@code <messagesDir>/<locale>.json}
 * @param messagesDir               folder of the message files
 * @param catalogPath               the inventory file of the sample sales flow
 * @param businessName              the shop's name, as the bot introduces itself ({@code {shop}} in the copy)
 * @param windowTemplate            the approved template for notices outside the 24-hour window
 * @param escalation                how the team is told that a customer wants a person
 * @param catalogId                 the Meta commerce catalog linked to the number, for product, product list and
 *                                  catalog messages ({@code whatsapp.catalogId}); null when unset
 */
public record ConversationConfig(
    Duration stateTtl,
    int workerInstances,
    int concurrency,
    int misunderstandingThreshold,
    String defaultLocale,
    List<String> locales,
    String messagesDir,
    String catalogPath,
    String businessName,
    WindowTemplate windowTemplate,
    Escalation escalation,
    String catalogId) {

  private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
  private static final Pattern WA_ID = Pattern.compile("\\d{8,15}");

  /**
   * The approved template sent instead of free-form text when the customer's 24-hour window is closed.
   *
   * @param name      the template's name in WhatsApp Manager; null = such notices are dropped (and logged)
   * @param languages locale → the template's language code, looked up along the locale chain
   */
  public record WindowTemplate(String name, Map<String, String> languages) {

    public boolean configured() {
      return name != null;
    }

    /** The template's language for the first locale of the chain ({@code es_MX → es → default}) that has one. */
    public String languageFor(String locale, String defaultLocale) {
      List<String> chain = io.wabot.common.Locales.chain(locale, defaultLocale);
      return chain.stream().map(languages::get).filter(java.util.Objects::nonNull).findFirst().orElse(chain.get(0));
    }
  }

  /**
   * Where hand-off requests go and how long a person has before the bot takes over again.
   *
   * @param handoffTimeout  how long the bot stays quiet after a hand-off if nobody hands back
   * @param webhookUrl      the team's HTTP endpoint for hand-off events, or null
   * @param webhookSecret   signs each webhook body ({@code X-Wabot-Signature-256}), or null
   * @param webhookTimeout  how long one webhook delivery may take before it is retried
   * @param agentNumber     a WhatsApp number that gets a message for each hand-off, or null
   * @param notifyConcurrency webhook deliveries in flight
   */
  public record Escalation(Duration handoffTimeout, String webhookUrl, Secret webhookSecret, Duration webhookTimeout,
      String agentNumber, int notifyConcurrency) {

    public boolean notifiesAnyone() {
      return webhookUrl != null || agentNumber != null;
    }

    public Escalation withAgentNumber(String number) {
      return new Escalation(handoffTimeout, webhookUrl, webhookSecret, webhookTimeout, number, notifyConcurrency);
    }
  }

  /** The same settings with another escalation channel (the sandbox's simulated sales team). */
  public ConversationConfig withEscalation(Escalation newEscalation) {
    return new ConversationConfig(stateTtl, workerInstances, concurrency, misunderstandingThreshold, defaultLocale, locales,
        messagesDir, catalogPath, businessName, windowTemplate, newEscalation, catalogId);
  }

  static ConversationConfig from(ConfigReader r) {
    String defaultLocale = locale(r, "conversation.defaultLocale", r.string("conversation.defaultLocale", "\"en\""));
    List<String> locales = new ArrayList<>();
    r.array("conversation.locales").forEach(value -> {
      String locale = locale(r, "conversation.locales", value instanceof String s ? s.trim() : String.valueOf(value));
      if (locale != null && !locales.contains(locale)) {
        locales.add(locale);
      }
    });
    if (defaultLocale != null && !locales.contains(defaultLocale)) {
      r.problem("conversation.locales", "must include the default locale \"" + defaultLocale + "\"", "[\"en\", \"es\"]");
    }
    Duration stateTtl = r.duration("conversation.stateTtl", Duration.ofMinutes(5), Duration.ofDays(30), "24h");
    Escalation escalation = escalation(r);
    if (escalation.handoffTimeout().compareTo(stateTtl) > 0) {
      // The hand-off lives in the state: if the state expired first, the bot would talk over the person.
      r.problem("conversation.escalation.handoffTimeout", "must not be longer than conversation.stateTtl ("
          + ConfigReader.format(stateTtl) + "), or the bot forgets the hand-off and answers while a person has the"
          + " conversation; raise stateTtl too", "\"" + ConfigReader.format(stateTtl) + "\"");
    }
    return new ConversationConfig(
        stateTtl,
        r.integer("conversation.workerInstances", 1, 64, 1),
        r.integer("conversation.concurrency", 1, 1024, 32),
        r.integer("conversation.misunderstandingThreshold", 1, 10, 2),
        defaultLocale,
        List.copyOf(locales),
        r.string("conversation.messagesDir", "\"conf/messages\""),
        r.string("conversation.catalogPath", "\"conf/catalog.json\""),
        r.string("conversation.businessName", "\"Acme Electronics\""),
        windowTemplate(r),
        escalation,
        catalogId(r));
  }

  private static String catalogId(ConfigReader r) {
    String catalogId = r.optionalString("whatsapp.catalogId");
    if (catalogId != null && !catalogId.matches("\\d{1,32}")) {
      r.problem("whatsapp.catalogId", "must be the numeric id of the Meta catalog (Commerce Manager > Catalog > Settings)",
          "\"367025965434465\"");
      return null;
    }
    return catalogId;
  }

  private static WindowTemplate windowTemplate(ConfigReader r) {
    String name = r.optionalString("conversation.windowTemplate.name");
    Map<String, String> languages = new LinkedHashMap<>();
    JsonObject raw = r.object("conversation.windowTemplate.languages");
    for (String locale : raw.fieldNames()) {
      Object code = raw.getValue(locale);
      if (!LOCALE.matcher(locale).matches() || !(code instanceof String s) || s.isBlank()) {
        r.problem("conversation.windowTemplate.languages." + locale,
            "must map a locale such as es_MX to a template language code such as \"es_MX\"", "\"es_MX\"");
      } else {
        languages.put(locale, s.trim());
      }
    }
    return new WindowTemplate(name, Map.copyOf(languages));
  }

  private static Escalation escalation(ConfigReader r) {
    String webhook = r.optionalString("conversation.escalation.webhookUrl") == null ? null
        : r.httpUrl("conversation.escalation.webhookUrl", "https://crm.example.com/hooks/whatsapp-handoff");
    String agent = r.optionalString("conversation.escalation.agentNumber");
    if (agent != null) {
      agent = agent.replaceAll("[\\s+()-]", "");
      if (!WA_ID.matcher(agent).matches()) {
        r.problem("conversation.escalation.agentNumber",
            "must be a WhatsApp number in international format, digits only", "\"5215512345678\"");
        agent = null;
      }
    }
    return new Escalation(
        r.duration("conversation.escalation.handoffTimeout", Duration.ofMinutes(1), Duration.ofDays(7), "24h"),
        webhook,
        r.optionalSecret("conversation.escalation.webhookSecret"),
        r.duration("conversation.escalation.webhookTimeout", Duration.ofMillis(500), Duration.ofMinutes(2), "10s"),
        agent,
        r.integer("conversation.escalation.notifyConcurrency", 1, 256, 4));
  }

  private static String locale(ConfigReader r, String path, String value) {
    if (value == null) {
      return null;
    }
    if (!LOCALE.matcher(value).matches()) {
      r.problem(path, "must be a locale like en, es or es_MX, got \"" + value + "\"", "\"en\"");
      return null;
    }
    return value;
  }
}
