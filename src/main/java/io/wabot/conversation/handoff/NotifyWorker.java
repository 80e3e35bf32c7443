package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.config.NumberConfig;
import io.wabot.conversation.BotParts;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Events;
import io.wabot.queue.Job;
import io.wabot.queue.JobHandler;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code notify} queue's hand-off events: to the bot's own channel when it has one, else to the
 * team's webhook ({@link EscalationWebhook}). Each event goes where the business number it names
 * ({@code number.id}; none: the default number) sends its team's events: that number's bot and escalation
 * settings, looked up per event so a reload takes effect at the next one.
 */
public final class NotifyWorker {

  private static final Logger LOG = LoggerFactory.getLogger(NotifyWorker.class);

  private NotifyWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config, BotParts bot) {
    return new QueueWorkerVerticle(config, Queues.NOTIFY, config.conversation().escalation().notifyConcurrency(),
        (vertx, redis, queue) -> {
          if (!config.conversation().escalation().notifiesAnyone() && !bot.ownHandoffChannel()) {
            Events.warn(LOG, "escalation.no_channel").log("No escalation channel is set (ESCALATION_WEBHOOK_URL,"
                + " AGENT_WHATSAPP_NUMBER): customers who ask for a person are told one will reply, but nobody is notified");
          }
          PerNumber handlers = new PerNumber(vertx, redis, bot, BusinessNumbers.of(vertx, config.whatsapp()));
          return Future.succeededFuture(new QueueWork() {
            @Override
            public JobHandler handler() {
              return handlers;
            }

            @Override
            public Future<Void> close() {
              handlers.close();
              return Future.succeededFuture();
            }
          });
        });
  }

  /** The handler of each number, made on its first event and again when its configuration changed. */
  private static final class PerNumber implements JobHandler {

    private final Vertx vertx;
    private final Redis redis;
    private final BotParts bot;
    private final BusinessNumbers numbers;
    private final Map<String, Built> built = new HashMap<>();
    private final List<EscalationWebhook> webhooks = new ArrayList<>();

    private record Built(NumberConfig number, JobHandler handler) {
    }

    PerNumber(Vertx vertx, Redis redis, BotParts bot, BusinessNumbers numbers) {
      this.vertx = vertx;
      this.redis = redis;
      this.bot = bot;
      this.numbers = numbers;
    }

    @Override
    public Future<JobOutcome> handle(Job job) {
      JsonObject event = job.payload().getJsonObject("event");
      JsonObject named = event == null ? null : event.getJsonObject("number");
      String id = named == null ? null : named.getString("id");
      Optional<NumberConfig> number = numbers.forJob(id);
      if (number.isEmpty()) {
        String label = named.getString("label", NumberConfig.labelFor(null, id));
        Events.warn(LOG, "escalation.number_removed", job.correlation()).addKeyValue("number", label)
            .log("A hand-off event of a business number that is no longer configured: kept in the dead-letter queue");
        return Future.succeededFuture(JobOutcome.deadLetter("number " + label + " is no longer configured"));
      }
      return handler(number.get()).handle(job);
    }

    private JobHandler handler(NumberConfig number) {
      Built known = built.get(number.phoneNumberId());
      if (known != null && known.number().equals(number)) {
        return known.handler();
      }
      if (known != null && known.handler() instanceof EscalationWebhook old) {
        webhooks.remove(old); // its settings changed: events retried from now on use the new ones
        old.close();
      }
      BotParts parts = bot.forNumber(number);
      JobHandler handler;
      if (parts.ownHandoffChannel()) {
        handler = parts.handoffChannel(vertx, redis);
      } else {
        EscalationWebhook webhook = new EscalationWebhook(vertx, number.conversation().escalation());
        webhooks.add(webhook);
        handler = webhook;
      }
      built.put(number.phoneNumberId(), new Built(number, handler));
      return handler;
    }

    void close() {
      webhooks.forEach(EscalationWebhook::close);
    }
  }
}
