package io.wabot.conversation;

import io.wabot.config.AppConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.flows.FlowTokens;
import io.wabot.queue.Keyspace;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import java.time.Clock;

/**
 * Runs the conversation engine over the inbound queue, {@code conversation.concurrency} conversations
 * in flight per instance. Deploy as many instances as event loops you want answering
 * ({@code conversation.workerInstances}); any node of a cluster can run them.
 */
public final class ConversationWorker {

  private ConversationWorker() {
  }

  public static QueueWorkerVerticle verticle(AppConfig config, BotParts bot) {
    return new QueueWorkerVerticle(config, Queues.INBOUND, config.conversation().concurrency(), (vertx, redis, queue) -> {
      Keyspace keyspace = Keyspace.of(config.queue());
      return ConversationSetup.load(vertx, redis, config.conversation(), bot).map(setup -> QueueWork.of(
          new ConversationEngine(config.conversation(),
              new StateStore(redis, keyspace, config.conversation().stateTtl()), bot.consent(vertx, redis),
              new CustomerDirectory(redis, keyspace, config.redis().commandTimeout(), config.whatsapp().phoneNumberId()),
              setup, Clock.systemUTC(), config.queue().maxAttempts(),
              WhatsAppFlows.using(new FlowTokens(redis, config), config.flows().enabled()))));
    });
  }
}
