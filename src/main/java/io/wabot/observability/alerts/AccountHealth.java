package io.wabot.observability.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.QueueConfig;
import io.wabot.observability.Alerts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The business account's conditions that Meta reported through the webhook and that still hold: a
 * template the bot uses paused, disabled or rejected, its quality RED, the phone number flagged or its
 * limit lowered, the account banned or restricted. Kept in Redis ({@code account:conditions}, one field
 * per {@code <alert>|<subject>}) rather than in memory, because the report that raises a condition and the
 * one that clears it may reach different instances; every node's alert monitor reads it
 * ({@link #alerts()}) and raises or resolves the alerts from it.
 */
public final class AccountHealth {

  /** The alerts this store raises, each resolved when its last condition clears. */
  public static final List<String> ALERTS = List.of(Alerts.TEMPLATE_UNUSABLE, Alerts.TEMPLATE_QUALITY_LOW,
      Alerts.PHONE_QUALITY_LOW, Alerts.ACCOUNT_RESTRICTED);

  /**
   * A condition Meta raised or cleared.
   *
   * @param alert   one of {@link #ALERTS}
   * @param subject which condition within the alert: {@code <template>|<language>}, {@code quality}, {@code ban}...
   * @param raised  true when it holds now, false when it cleared
   * @param event   Meta's event or score that said so ({@code PAUSED}, {@code FLAGGED}...)
   * @param details what the alert shows; a {@code template} entry ties it to that template
   */
  public record Condition(String alert, String subject, boolean raised, String event, JsonObject details) {
  }

  private final Redis redis;
  private final String key;

  /** @param queue where the key prefix is ({@code queue.keyPrefix}, the prefix of every key the bot keeps) */
  public AccountHealth(Redis redis, QueueConfig queue) {
    this.redis = redis;
    this.key = queue.keyPrefix() + "account:conditions";
  }

  /** Raises or clears the conditions, in order. */
  public Future<Void> apply(List<Condition> conditions) {
    List<Request> requests = new ArrayList<>();
    for (Condition condition : conditions) {
      String field = condition.alert() + "|" + condition.subject();
      requests.add(condition.raised()
          ? Request.cmd(Command.HSET).arg(key).arg(field).arg(condition.details().copy().put("event", condition.event())
              .put("since", Instant.now().toString()).encode())
          : Request.cmd(Command.HDEL).arg(key).arg(field));
    }
    return requests.isEmpty() ? Future.succeededFuture() : redis.batch(requests).mapEmpty();
  }

  /**
   * For each alert of {@link #ALERTS}, the conditions that hold now (subject → what Meta said); empty when
   * none. Template conditions count only for {@code windowTemplate}, the template the bot sends now: one
   * raised for a template since replaced in the configuration would otherwise alert for ever, since the
   * bot no longer hears of it.
   */
  public Future<Map<String, Map<String, JsonObject>>> alerts(String windowTemplate) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(fields -> byAlert(fields, windowTemplate));
  }

  private static Map<String, Map<String, JsonObject>> byAlert(Response fields, String windowTemplate) {
    Map<String, Map<String, JsonObject>> alerts = new TreeMap<>();
    ALERTS.forEach(alert -> alerts.put(alert, new TreeMap<>()));
    if (fields == null) {
      return alerts;
    }
    for (String field : fields.getKeys()) {
      int bar = field.indexOf('|');
      Map<String, JsonObject> conditions = bar < 0 ? null : alerts.get(field.substring(0, bar));
      JsonObject details = conditions == null ? null : parse(fields.get(field).toString());
      String template = details == null ? null : details.getString("template");
      if (details != null && (template == null || template.equals(windowTemplate))) {
        conditions.put(field.substring(bar + 1), details);
      }
    }
    return alerts;
  }

  private static JsonObject parse(String json) {
    try {
      return new JsonObject(json);
    } catch (RuntimeException e) {
      return new JsonObject().put("unreadable", true);
    }
  }

  /** The check of one alert from its conditions: firing with all of them listed, or clear. */
  static Check check(String alert, Map<String, JsonObject> conditions) {
    if (conditions.isEmpty()) {
      return new Check.Clear("Meta reports it is over");
    }
    JsonArray list = new JsonArray();
    conditions.forEach((subject, details) -> list.add(details.copy().put("subject", subject)));
    return new Check.Firing(message(alert, conditions), new JsonObject().put("conditions", list));
  }

  private static String message(String alert, Map<String, JsonObject> conditions) {
    List<String> parts = new ArrayList<>();
    conditions.forEach((subject, details) -> parts.add(switch (alert) {
      case Alerts.TEMPLATE_UNUSABLE -> "template " + details.getString("template") + " (" + details.getString("language")
          + ") is " + details.getString("status") + reason(details.getString("reason"));
      case Alerts.TEMPLATE_QUALITY_LOW -> "template " + details.getString("template") + " (" + details.getString("language")
          + ") has quality " + details.getString("quality");
      case Alerts.PHONE_QUALITY_LOW -> "the phone number is " + details.getString("quality_event")
          + (details.getString("current_limit") == null ? "" : ", limit " + details.getString("current_limit"));
      default -> "the account is " + (subject.equals("ban") ? "banned (" + details.getString("ban_state") + ")"
          : "restricted: " + details.getString("restrictions"));
    }));
    return String.join("; ", parts);
  }

  private static String reason(String reason) {
    return reason == null || reason.isBlank() || reason.equals("NONE") ? "" : " (" + reason + ")";
  }
}
