package io.wabot.webhook;

import io.wabot.config.ConversationConfig;
import io.wabot.observability.Events;
import io.wabot.observability.alerts.AccountHealth;
import io.wabot.whatsapp.inbound.AccountEvent;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What the webhook does with template, phone number and account changes: those about the bot (its number,
 * its account, a template it sends) raise or clear their condition in {@code AccountHealth}, from which
 * the alert monitor raises and resolves the alerts; every change is logged. A template the bot never
 * sends cannot stop it from answering, so its changes are only logged.
 */
final class AccountEvents {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEvents.class);

  private AccountEvents() {
  }

  /**
   * The conditions the events raise or clear for this bot: all but those about templates it does not send,
   * and but events that only inform.
   */
  static List<AccountHealth.Condition> ofBot(List<AccountEvent> events, ConversationConfig config) {
    return events.stream().filter(event -> event.changesCondition() && concernsBot(event, config))
        .map(event -> new AccountHealth.Condition(event.alert(), event.subject(), event.raised(), event.event(), event.details()))
        .toList();
  }

  /** The templates this bot sends: today the 24-hour window template ({@code WINDOW_TEMPLATE_NAME}). */
  static boolean concernsBot(AccountEvent event, ConversationConfig config) {
    return event.template() == null || event.template().equals(config.windowTemplate().name());
  }

  /** @param config the conversation settings of the number the change came with (its window template) */
  static void log(List<AccountEvent> events, ConversationConfig config, String number) {
    for (AccountEvent event : events) {
      boolean ours = concernsBot(event, config);
      LoggingEventBuilder line = event.changesCondition() && event.raised() && ours ? Events.warn(LOG, "account.condition_raised")
          : Events.info(LOG, event.changesCondition() && ours ? "account.condition_cleared" : "account.update");
      line = line.addKeyValue("field", event.field()).addKeyValue("update", event.event())
          .addKeyValue("used_by_bot", ours).addKeyValue("number", number);
      if (event.changesCondition()) {
        line = line.addKeyValue("condition", event.alert());
      }
      for (Map.Entry<String, Object> detail : event.details()) {
        if (detail.getValue() != null) {
          line = line.addKeyValue(detail.getKey(), String.valueOf(detail.getValue()));
        }
      }
      line.log("Meta reported {} {}{}", event.field(), event.event(), ours ? "" : " for a template this bot does not send");
    }
  }
}
