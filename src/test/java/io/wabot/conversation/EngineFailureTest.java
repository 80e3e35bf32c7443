package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.bot.BotRuntime;
import io.wabot.example.sales.SalesBot;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A flow that fails: retried by the queue, and on the last attempt the customer still gets an answer. */
class EngineFailureTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;
  ConversationEngine engine;

  @BeforeEach
  void start() {
    chat = new ChatHarness(REDIS.url());
    Flow broken = new Flow() {
      public String name() {
        return "broken";
      }

      public Future<Void> handle(Turn turn) {
        throw new IllegalStateException("a bug in a flow");
      }
    };
    ConversationSetup setup = ChatHarness.await(ConversationSetup.load(chat.vertx, chat.redis, chat.config.conversation(),
        BotRuntime.of(new SalesBot(), chat.config).conversation(chat.config)));
    engine = new ConversationEngine(chat.config.conversation(), new StateStore(chat.redis, chat.keyspace,
        chat.config.conversation().stateTtl()), new RedisConsentHook(chat.redis, chat.keyspace), chat.customers,
        setup.withFlows(List.of(broken)), chat.clock, chat.registry, 3);
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  Job job(int attempt) {
    JsonObject raw = new JsonObject().put("from", "5215512345678").put("id", "wamid.F1").put("timestamp", "1700000000")
        .put("type", "text").put("text", new JsonObject().put("body", "hola"));
    CustomerIdentity ana = CustomerIdentity.ofPhone("5215512345678");
    NewJob job = InboundJobs.of(new WebhookPayload.Received(WebhookParser.parseMessage(raw, ana, "Ana", TestApps.PHONE_NUMBER_ID),
        raw, "Ana", TestApps.PHONE_NUMBER_ID), chat.resolve(ana), 0);
    return new Job(job.id(), Queues.INBOUND, job.conversationId(), job.payload(), attempt, 0, 0, null, null);
  }

  @Test
  @DisplayName("before the last attempt the failure goes back to the queue to be retried")
  void retried() {
    Future<JobOutcome> outcome = engine.handle(job(1));
    try {
      outcome.toCompletionStage().toCompletableFuture().get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException | InterruptedException e) {
      assertThat(e.getCause()).hasMessage("a bug in a flow");
    }
  }

  @Test
  @DisplayName("on the last attempt the customer gets an apology that says how to reach a person")
  void apologises() {
    JobOutcome outcome = ChatHarness.await(engine.handle(job(3)));
    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Done.class, done -> {
      assertThat(done.commit().effects()).singleElement().isInstanceOfSatisfying(Commit.Enqueue.class, e -> {
        assertThat(e.job().id()).isEqualTo("wamid.F1:r0");
        assertThat(Bot.visibleText(e.job().payload().getJsonObject("body"))).contains("algo falló", "*ASESOR*");
      });
    });
  }
}
