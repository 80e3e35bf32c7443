package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.wabot.bot.BotRuntime;
import io.wabot.conversation.consent.ConsentChange;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.customer.CustomerIdentity;
import io.wabot.example.sales.SalesBot;
import io.wabot.queue.Commit;
import io.wabot.queue.Job;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.NewJob;
import io.wabot.queue.Queues;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flow that fails: retried by the queue, and on the last attempt the customer still gets an answer, unless an answer
 * is not the bot's to give (STOP, a hand-off, consent that cannot be read): then the message is a dead letter.
 */
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
    this.setup = setup.withFlows(List.of(broken));
    engine = engine(new RedisConsentHook(chat.redis, chat.keyspace));
  }

  ConversationSetup setup;

  ConversationEngine engine(ConsentHook consent) {
    return new ConversationEngine(chat.config.conversation(), new StateStore(chat.redis, chat.keyspace,
        chat.config.conversation().stateTtl()), consent, chat.customers, setup, chat.clock, chat.registry, 3);
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  Job job(int attempt) {
    return job(attempt, "hola");
  }

  Job job(int attempt, String text) {
    JsonObject raw = new JsonObject().put("from", "5215512345678").put("id", "wamid.F1").put("timestamp", "1700000000")
        .put("type", "text").put("text", new JsonObject().put("body", text));
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

  @Test
  @DisplayName("no apology to a customer who sent STOP: the message is kept as a dead letter that says why")
  void noApologyAfterStop() {
    // The turn fails on its consent look-up (an adopter's store answering only now and then); the look-up before
    // the apology is answered: the customer sent STOP.
    ConsentHook stopped = consent(Future.failedFuture("consent store timed out"),
        Future.succeededFuture(new ConsentStatus(true, false, chat.clock.instant())));

    JobOutcome outcome = ChatHarness.await(engine(stopped).handle(job(3)));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.DeadLetter.class,
        dead -> assertThat(dead.reason()).contains("consent store timed out", "opted out"));
  }

  @Test
  @DisplayName("no apology to a STOP whose turn failed (its opt-out was never stored): a dead letter")
  void noApologyToAStop() {
    // Consent reads as subscribed, but the opt-out cannot be recorded.
    Future<ConsentStatus> subscribed = Future.succeededFuture(ConsentStatus.SUBSCRIBED);
    ConsentHook storeDown = consent(subscribed, subscribed, Future.failedFuture("consent store unreachable"));

    JobOutcome outcome = ChatHarness.await(engine(storeDown).handle(job(3, "STOP")));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.DeadLetter.class,
        dead -> assertThat(dead.reason()).contains("consent store unreachable", "STOP"));
  }

  @Test
  @DisplayName("no apology when the customer's consent cannot be read (an adopter's consent store down): a dead letter")
  void noApologyWithoutConsent() {
    ConsentHook down = consent(Future.failedFuture("consent store unreachable"), Future.failedFuture("consent store unreachable"));

    JobOutcome outcome = ChatHarness.await(engine(down).handle(job(3)));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.DeadLetter.class,
        dead -> assertThat(dead.reason()).contains("consent store unreachable"));
  }

  @Test
  @DisplayName("no apology from the bot during a hand-off's quiet period: a dead letter, to be replayed to the team")
  void noApologyDuringHandoff() {
    String key = chat.resolve(CustomerIdentity.ofPhone("5215512345678")).key();
    Instant now = chat.clock.instant();
    ConversationState handedOff = ConversationState.start(key, "Ana", "es", now)
        .withHandoff(new Handoff("esc-1", now, now.plus(Duration.ofHours(1)), "asked"));
    ChatHarness.await(chat.redis.send(Request.cmd(Command.SET).arg(chat.keyspace.key(StateStore.stateKey(key)))
        .arg(handedOff.toJson().encode())));

    ConsentHook flaky = consent(Future.failedFuture("consent store timed out"), Future.succeededFuture(ConsentStatus.SUBSCRIBED));

    JobOutcome outcome = ChatHarness.await(engine(flaky).handle(job(3)));

    assertThat(outcome).isInstanceOfSatisfying(JobOutcome.DeadLetter.class,
        dead -> assertThat(dead.reason()).contains("consent store timed out", "hand-off"));
  }

  /**
   * A consent hook that answers the turn's look-up with {@code inbound}, any other with {@code status}, and allows
   * and records what the default one does.
   */
  private ConsentHook consent(Future<ConsentStatus> inbound, Future<ConsentStatus> status) {
    return consent(inbound, status, null);
  }

  /** The same, recording a change with {@code change} (null: as the default hook does). */
  private ConsentHook consent(Future<ConsentStatus> inbound, Future<ConsentStatus> status, Future<Commit> change) {
    RedisConsentHook policy = new RedisConsentHook(chat.redis, chat.keyspace);
    return new ConsentHook() {
      public Future<ConsentStatus> onInbound(InboundMessage message) {
        return inbound;
      }

      public Future<ConsentStatus> status(CustomerIdentity customer) {
        return status;
      }

      public boolean allowOutbound(ConsentStatus consent, OutboundMessage message, MessagePurpose purpose) {
        return policy.allowOutbound(consent, message, purpose);
      }

      public Future<Commit> onChange(ConsentChange recorded) {
        return change != null ? change : policy.onChange(recorded);
      }
    };
  }
}
