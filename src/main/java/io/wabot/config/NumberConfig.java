package io.wabot.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One WhatsApp business phone number this deployment serves ({@code whatsapp.numbers[i]}), with every
 * setting resolved: the shared ones filled in where the entry sets none, its overrides applied.
 *
 * @param phoneNumberId        the number's id in the Cloud API (digits, a string)
 * @param name                 the operator's name for it, or null
 * @param label                what metrics, logs, readiness and alerts call it: the name, or {@code n} and a short
 *                             hash of the id when unnamed (never the raw id, so the label set stays bounded and
 *                             the id out of dashboards)
 * @param accessToken          its Graph API token (its own or the shared {@code whatsapp.accessToken})
 * @param appSecret            the secret of the Meta app whose webhooks carry it (its own or the shared one)
 * @param verifyToken          the verification-handshake token of that app (its own or the shared one)
 * @param maxMessagesPerSecond its throughput limit (its own or {@code sender.maxMessagesPerSecond})
 * @param businessAccountId    its WhatsApp Business Account (templates, flows), or null
 * @param conversation         the conversation settings as this number's customers meet them (shared settings with
 *                             its overrides: business name, default locale, catalog, window template, escalation)
 * @param bot                  the bot definition and settings that answer it (shared with its overrides)
 */
public record NumberConfig(String phoneNumberId, String name, String label, Secret accessToken, Secret appSecret,
    Secret verifyToken, int maxMessagesPerSecond, String businessAccountId, ConversationConfig conversation, BotConfig bot) {

  static final String PATH = "whatsapp.numbers";
  private static final Pattern DIGITS = Pattern.compile("\\d{5,20}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}");
  private static final Set<String> KEYS = Set.of("phoneNumberId", "name", "accessToken", "appSecret", "verifyToken",
      "maxMessagesPerSecond", "businessAccountId", "catalogId", "conversation", "bot");
  /** The conversation settings a number may override; the others (workers, TTLs, files) are the process's. */
  private static final Set<String> CONVERSATION_KEYS = Set.of("businessName", "defaultLocale", "locales", "windowTemplate",
      "escalation");
  private static final Set<String> ESCALATION_KEYS = Set.of("webhookUrl", "webhookSecret", "agentNumber", "handoffTimeout");

  /** The sandbox's two numbers when none are configured: a sales line and a support line with their own copy. */
  public static final List<JsonObject> SANDBOX_NUMBERS = List.of(
      new JsonObject().put("phoneNumberId", WhatsAppConfig.SANDBOX_PHONE_NUMBER_ID).put("name", "Sales"),
      new JsonObject().put("phoneNumberId", "100000000000002").put("name", "Support")
          .put("conversation", new JsonObject().put("businessName", "Acme Support")));

  /** The label of an unnamed number: {@code n} and the first 8 hex digits of the id's SHA-256. */
  public static String labelFor(String name, String phoneNumberId) {
    if (name != null) {
      return name;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(phoneNumberId.getBytes(StandardCharsets.UTF_8));
      return "n" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /**
   * Reads {@code whatsapp.numbers}. Without a list, the single-number settings ({@code WHATSAPP_PHONE_NUMBER_ID}
   * and friends) are a one-entry list; in sandbox mode without either, the two {@link #SANDBOX_NUMBERS}.
   */
  static List<NumberConfig> list(ConfigReader r, WhatsAppConfig shared, SenderConfig sender, String sharedBusinessAccountId,
      boolean sandbox) {
    JsonArray entries = configured(r);
    if (entries == null) {
      entries = new JsonArray();
      if (shared.phoneNumberId() != null) {
        entries.add(new JsonObject().put("phoneNumberId", shared.phoneNumberId()));
      } else if (sandbox) {
        SANDBOX_NUMBERS.forEach(entries::add);
      } else {
        return List.of(); // the missing single-number settings are already reported
      }
    }
    List<NumberConfig> numbers = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> labels = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String at = PATH + "[" + i + "]";
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        r.problemAt(at, PATH, "must be a JSON object", example());
        continue;
      }
      NumberConfig number = entry(r, at, entry, shared, sender, sharedBusinessAccountId, sandbox);
      if (number == null) {
        continue;
      }
      Integer firstId = ids.putIfAbsent(number.phoneNumberId(), i);
      Integer firstLabel = labels.putIfAbsent(number.label(), i);
      if (firstId != null) {
        r.problemAt(at + ".phoneNumberId", PATH, "repeats " + PATH + "[" + firstId + "] (" + number.phoneNumberId()
            + "); list each number once", example());
      } else if (firstLabel != null) {
        r.problemAt(at + ".name", PATH, "repeats the name of " + PATH + "[" + firstLabel + "] (\"" + number.label()
            + "\"); metrics and logs tell numbers apart by name", example());
      } else {
        numbers.add(number);
      }
    }
    return List.copyOf(numbers);
  }

  /** The configured list, or null when none is configured (absent or empty). */
  static JsonArray configured(ConfigReader r) {
    Object value = r.layers().get(PATH);
    if (value == null || value instanceof JsonArray a && a.isEmpty()) {
      return null;
    }
    if (!(value instanceof JsonArray a)) {
      r.problem(PATH, "must be a JSON array of numbers", "[" + example() + "]");
      return null;
    }
    return a;
  }

  private static NumberConfig entry(ConfigReader r, String at, JsonObject entry, WhatsAppConfig shared,
      SenderConfig sender, String sharedBusinessAccountId, boolean sandbox) {
    int before = r.problems().size();
    for (String key : entry.fieldNames()) {
      if (!KEYS.contains(key)) {
        r.problemAt(at + "." + key, PATH, "is not a setting of a number; allowed: " + String.join(", ", KEYS.stream().sorted().toList()), example());
      }
    }
    String id = text(entry, "phoneNumberId");
    if (id == null || !DIGITS.matcher(id).matches()) {
      r.problemAt(at + ".phoneNumberId", PATH, (id == null ? "is missing" : "must be the numeric id Meta shows under"
          + " WhatsApp > API Setup (not the phone number itself)"), example());
    }
    String name = text(entry, "name");
    if (name != null && !NAME.matcher(name).matches()) {
      r.problemAt(at + ".name", PATH, "must be 1 to 40 letters, digits, spaces, dots, dashes or underscores", example());
    }
    Secret token = secret(r, at, entry, "accessToken", shared.accessToken(), sandbox ? WhatsAppConfig.SANDBOX_ACCESS_TOKEN : null);
    Secret appSecret = secret(r, at, entry, "appSecret", shared.appSecret(), sandbox ? WhatsAppConfig.SANDBOX_APP_SECRET : null);
    Secret verifyToken = secret(r, at, entry, "verifyToken", shared.verifyToken(), sandbox ? WhatsAppConfig.SANDBOX_VERIFY_TOKEN : null);
    int mps = sender.maxMessagesPerSecond();
    if (entry.containsKey("maxMessagesPerSecond")) {
      Object value = entry.getValue("maxMessagesPerSecond");
      if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 1 && n.intValue() <= 100_000) {
        mps = n.intValue();
      } else {
        r.problemAt(at + ".maxMessagesPerSecond", PATH, "must be a whole number from 1 to 100000 (the number's Meta tier)", example());
      }
    }
    String account = text(entry, "businessAccountId");
    if (account != null && !DIGITS.matcher(account).matches()) {
      r.problemAt(at + ".businessAccountId", PATH, "must be the numeric WhatsApp Business Account id", example());
    }
    JsonObject overrides = overrides(r, at, entry);
    ConfigReader own = r.overlaid(overrides, at + ".");
    ConversationConfig conversation = ConversationConfig.from(own);
    BotConfig bot = BotConfig.from(own);
    if (conversation.defaultLocale() != null && !conversation.locales().contains(conversation.defaultLocale())) {
      r.problemAt(at + ".conversation.defaultLocale", PATH, "must be one of the locales " + conversation.locales()
          + " (conversation.locales, or the number's own conversation.locales)", example());
    }
    if (r.problems().size() > before || id == null) {
      return null;
    }
    return new NumberConfig(id, name, labelFor(name, id), token, appSecret, verifyToken, mps,
        account != null ? account : sharedBusinessAccountId, conversation, bot);
  }

  /** The entry's overrides as paths of the shared configuration: {@code conversation.*}, {@code bot.*}, {@code whatsapp.catalogId}. */
  private static JsonObject overrides(ConfigReader r, String at, JsonObject entry) {
    JsonObject overrides = new JsonObject();
    if (entry.getValue("conversation") instanceof JsonObject conversation) {
      for (String key : conversation.fieldNames()) {
        if (!CONVERSATION_KEYS.contains(key)) {
          r.problemAt(at + ".conversation." + key, PATH, "is shared by every number (set it under conversation); a number may"
              + " override " + String.join(", ", CONVERSATION_KEYS.stream().sorted().toList()), example());
        }
      }
      if (conversation.getValue("escalation") instanceof JsonObject escalation) {
        escalation.fieldNames().stream().filter(key -> !ESCALATION_KEYS.contains(key)).forEach(key ->
            r.problemAt(at + ".conversation.escalation." + key, PATH, "is shared by every number; a number may override "
                + String.join(", ", ESCALATION_KEYS.stream().sorted().toList()), example()));
      }
      overrides.put("conversation", conversation.copy());
    } else if (entry.containsKey("conversation")) {
      r.problemAt(at + ".conversation", PATH, "must be a JSON object", example());
    }
    if (entry.getValue("bot") instanceof JsonObject bot) {
      overrides.put("bot", bot.copy());
    } else if (entry.containsKey("bot")) {
      r.problemAt(at + ".bot", PATH, "must be a JSON object such as {\"definition\": \"com.example.SupportBot\"}", example());
    }
    if (entry.containsKey("catalogId")) {
      overrides.put("whatsapp", new JsonObject().put("catalogId", entry.getValue("catalogId")));
    }
    return overrides;
  }

  private static Secret secret(ConfigReader r, String at, JsonObject entry, String key, Secret shared, String sandboxValue) {
    String own = text(entry, key);
    if (own != null) {
      return new Secret(own);
    }
    if (shared != null) {
      return shared;
    }
    if (sandboxValue != null) {
      return new Secret(sandboxValue);
    }
    r.problemAt(at + "." + key, PATH, "is missing and no shared whatsapp." + key + " is set; give the number its own or set"
        + " the shared one", example());
    return null;
  }

  private static String text(JsonObject entry, String key) {
    Object value = entry.getValue(key);
    if (value instanceof Number n) {
      return new java.math.BigDecimal(n.toString()).toBigInteger().toString();
    }
    return value instanceof String s && !s.isBlank() ? s.trim() : null;
  }

  private static String example() {
    return "{\"phoneNumberId\": \"209876543210987\", \"accessToken\": \"EAAG...\", \"name\": \"support\"}";
  }

  /** The same number with other conversation settings (the sandbox's simulated sales team as escalation channel). */
  public NumberConfig withConversation(ConversationConfig other) {
    return new NumberConfig(phoneNumberId, name, label, accessToken, appSecret, verifyToken, maxMessagesPerSecond,
        businessAccountId, other, bot);
  }

  /** The same number answered through another Graph API URL is not a per-number setting; this is for tests and logs. */
  @Override
  public String toString() {
    return "NumberConfig[" + label + "]";
  }
}
