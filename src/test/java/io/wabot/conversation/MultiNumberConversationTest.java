package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.bot.BotRuntime;
import io.wabot.config.AppConfig;
import io.wabot.conversation.handoff.ConversationFinder;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.observability.Correlation;
import io.wabot.observability.Metrics;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.Keyspace;
import io.wabot.queue.NewJob;
import io.wabot.queue.QueueWork;
import io.wabot.queue.QueueWorkerVerticle;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.redis.RedisClients;
import io.wabot.testing.AdopterClassPath;
import io.wabot.testing.DeadLetters;
import io.wabot.testing.Futures;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import io.wabot.testing.Webhooks;
import io.wabot.whatsapp.outbound.OutboundJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One deployment, three business numbers, through the real conversation workers and Redis queues: "Sales" (the
 * sales bot in English, "Acme Shop"), "Support" (the sales bot in Spanish, "Acme Soporte") and "Echo" (an adopter's
 * bot, {@code com.example.echo.EchoBot}, chosen by that number's {@code bot.definition}). Inbound jobs are stored as
 * the webhook stores them (resolved in the number's own customer directory, naming the number); what the workers
 * produce is taken off the outbound and notify queues by recording workers, so every wait is on a job arriving.
 */
class MultiNumberConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String SALES = "209876543210001";
  static final String SUPPORT = "209876543210002";
  static final String ECHO = "209876543210003";
  static final String AGENT = "16505550000";
  static final String PHONE = "16505551234";
  static final String BSUID = "US.13491208655302741918";

  @TempDir
  Path messages;

  Vertx vertx;
  Redis redis;
  AppConfig config;
  RedisJobQueue inbound;
  final WaitableList<Sent> outbound = new WaitableList<>();
  final WaitableList<JsonObject> events = new WaitableList<>();

  @BeforeEach
  void start() throws Exception {
    // The sales bot's copy with the echo bot's keys beside it: the numbers share conversation.messagesDir.
    for (String locale : List.of("en", "es", "es_MX")) {
      JsonObject copy = new JsonObject(Files.readString(Path.of("conf/messages/" + locale + ".json")))
          .put("echo.hello", "Hi! I say back what you write.").put("echo.reply", "You said: {text}")
          .put("echo.pong", "Pong!").put("keywords.ping", new JsonArray().add("ping"));
      Files.writeString(messages.resolve(locale + ".json"), copy.encodePrettily());
    }
    Map<String, String> env = TestApps.liveEnv(REDIS.url());
    env.remove("WHATSAPP_PHONE_NUMBER_ID"); // the list names the numbers
    env.put("AGENT_WHATSAPP_NUMBER", AGENT);
    env.put("ESCALATION_WEBHOOK_URL", "http://127.0.0.1:9/team"); // its events are taken off the notify queue here
    JsonArray numbers = new JsonArray()
        .add(new JsonObject().put("phoneNumberId", SALES).put("name", "Sales")
            .put("conversation", new JsonObject().put("businessName", "Acme Shop").put("defaultLocale", "en")))
        .add(new JsonObject().put("phoneNumberId", SUPPORT).put("name", "Support")
            .put("conversation", new JsonObject().put("businessName", "Acme Soporte").put("defaultLocale", "es")))
        .add(new JsonObject().put("phoneNumberId", ECHO).put("name", "Echo").put("bot", new JsonObject()
            .put("definition", "com.example.echo.EchoBot").put("settings", new JsonObject().put("maxLength", 11))));
    config = TestApps.config(env, new JsonObject()
        .put("whatsapp", new JsonObject().put("numbers", numbers))
        .put("bot", new JsonObject().put("definition", "io.wabot.example.sales.SalesBot"))
        .put("conversation", new JsonObject().put("messagesDir", messages.toString()))
        .put("queue", new JsonObject().put("pollInterval", "50ms").put("backoffInitial", "50ms").put("backoffMax", "200ms")));
    BotRuntime bot = AdopterClassPath.withEchoBot(() -> BotRuntime.load(config));
    vertx = Vertx.vertx();
    redis = RedisClients.pooled(vertx, config.redis());
    inbound = new RedisJobQueue(vertx, redis, config.queue(), config.redis(), Queues.INBOUND);
    Futures.await(vertx.deployVerticle(ConversationWorker.verticle(config, bot.conversation(config))), Duration.ofSeconds(30));
    Futures.await(vertx.deployVerticle(recorder(Queues.OUTBOUND, job -> outbound.add(new Sent(job.id(),
        OutboundJob.decode(job.payload(), job.conversationId()))))));
    Futures.await(vertx.deployVerticle(recorder(Queues.NOTIFY, job -> events.add(job.payload().getJsonObject("event")))));
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      Futures.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  @Test
  @DisplayName("each number answers with its own copy and from itself; one customer holds two independent conversations")
  void twoNumbersTwoConversations() {
    String onSales = says(SALES, "hi");
    String onSupport = says(SUPPORT, "hi");
    OutboundJob.Message english = reply(onSales + ":r0");
    OutboundJob.Message spanish = reply(onSupport + ":r0");
    assertThat(english.number()).isEqualTo(SALES);
    assertThat(visible(english)).contains("Acme Shop").contains("What would you like to do?");
    assertThat(spanish.number()).isEqualTo(SUPPORT);
    assertThat(visible(spanish)).contains("Acme Soporte").doesNotContain("What would you like");
    assertThat(english.customerKey()).as("a conversation per number").isNotEqualTo(spanish.customerKey());
    assertThat(spanish.receipt().getString("message_id")).as("the read receipt rides on Support's reply").isEqualTo(onSupport);

    // A hand-off on Support: the team hears which number; Sales goes on answering.
    String asked = says(SUPPORT, "agent");
    OutboundJob.Message ack = reply(asked + ":r0");
    assertThat(ack.number()).isEqualTo(SUPPORT);
    JsonObject requested = events.await(e -> "handoff.requested".equals(e.getString("event")));
    assertThat(requested.getJsonObject("number")).isEqualTo(new JsonObject().put("id", SUPPORT).put("label", "Support")
        .put("name", "Support"));
    OutboundJob.Message toAgent = reply(asked + ":agent");
    assertThat(toAgent.number()).as("the agent hears from the number the customer wrote to").isEqualTo(SUPPORT);
    assertThat(visible(toAgent)).startsWith("[Support] ");
    JsonObject timer = storedInbound(asked + ":timer");
    assertThat(timer.getString("number")).as("the hand-off's timer names its number").isEqualTo(SUPPORT);

    String onSalesAgain = says(SALES, "hello");
    assertThat(reply(onSalesAgain + ":r0").number()).as("the hand-off on Support leaves Sales answering").isEqualTo(SALES);
    String quiet = says(SUPPORT, "hello?");
    assertThat(events.await(e -> "handoff.message".equals(e.getString("event"))).getJsonObject("number").getString("id"))
        .isEqualTo(SUPPORT);
    assertThat(reply(quiet + ":agent").number()).as("the team hears from Support").isEqualTo(SUPPORT);
    outbound.await(sent -> sent.id().equals(quiet + ":read"));
    // The replies would have been stored with the read receipt, in the same commit: there are none, taken or waiting.
    assertThat(outbound.snapshot()).as("Support stays quiet during its hand-off")
        .extracting(Sent::id).filteredOn(id -> id.matches(java.util.regex.Pattern.quote(quiet) + ":r\\d+")).isEmpty();
    assertThat(REDIS.server().command("EXISTS", config.queue().keyPrefix() + Queues.OUTBOUND + ":job:" + quiet + ":r0"))
        .isEqualTo(":0");

    // The person answers and hands back: both go out from Support.
    String supportKey = spanish.customerKey();
    Correlation correlation = Correlation.ofInbound("reply", PHONE);
    enqueue(ConversationJobs.agentReply("reply:1", supportKey, "Hola, soy Luis", "admin", null, correlation, SUPPORT));
    OutboundJob.Message words = reply("reply:1:r0");
    assertThat(words.number()).isEqualTo(SUPPORT);
    assertThat(visible(words)).isEqualTo("Hola, soy Luis");
    String escalationId = requested.getString("escalationId");
    enqueue(ConversationJobs.handback("handback:1", supportKey, "admin", escalationId, correlation, SUPPORT));
    OutboundJob.Message notice = reply("handback:1:r0");
    assertThat(notice.number()).isEqualTo(SUPPORT);
    assertThat(notice.customerKey()).isEqualTo(supportKey);
    assertThat(events.await(e -> "handoff.ended".equals(e.getString("event"))).getJsonObject("number").getString("label"))
        .isEqualTo("Support");
  }

  @Test
  @DisplayName("a timer stored for a number hands the conversation back from that number")
  void timerGoesOutFromItsNumber() {
    String asked = says(SUPPORT, "agent");
    reply(asked + ":r0");
    JsonObject timer = storedInbound(asked + ":timer");
    String key = timer.getString("customer");
    // The timer's deadline, as if hours had passed: a copy due now, naming the same number.
    JsonObject due = timer.copy().put("until", "2020-01-01T00:00:00Z");
    // Its own FIFO: the stored timer, postponed for hours, holds "timer:<key>".
    enqueue(NewJob.of("due-timer", "due-timer:" + key, Correlation.ofInbound("due-timer", PHONE), due));
    OutboundJob.Message notice = reply(requestedId() + ":timeout:r0");
    assertThat(notice.number()).isEqualTo(SUPPORT);
    assertThat(notice.customerKey()).isEqualTo(key);
  }

  @Test
  @DisplayName("a number with its own bot.definition is answered by that bot; the others by the sales bot")
  void botPerNumber() {
    String onEcho = says(ECHO, "hi");
    OutboundJob.Message greeting = reply(onEcho + ":r0");
    assertThat(greeting.number()).isEqualTo(ECHO);
    assertThat(visible(greeting)).isEqualTo("Hi! I say back what you write.");
    String echoed = says(ECHO, "hello world, how are you?");
    assertThat(visible(reply(echoed + ":r0"))).as("with that number's bot settings (maxLength 11)")
        .isEqualTo("You said: hello world");
    String onSales = says(SALES, "hello world, how are you?");
    assertThat(visible(reply(onSales + ":r0"))).doesNotContain("You said");
  }

  @Test
  @DisplayName("a job for a number a reload removed is dead-lettered with the reason; the other numbers answer on")
  void removedNumber() {
    BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
    numbers.replace(numbers.all().stream().filter(n -> !n.phoneNumberId().equals(ECHO)).toList());
    assertThat(DeadLetters.reasonOf(() -> says(ECHO, "hi"))).isEqualTo("number Echo is no longer configured");
    assertThat(reply(says(SALES, "hi") + ":r0").number()).isEqualTo(SALES);
  }

  @Test
  @DisplayName("the admin endpoints' look-up finds the number of a conversation, and asks which when a phone is on two")
  void findsTheNumber() {
    reply(says(SALES, "hi") + ":r0");
    String supportKey = reply(says(SUPPORT, "hi") + ":r0").customerKey();
    BusinessNumbers numbers = BusinessNumbers.of(vertx, config.whatsapp());
    ConversationFinder finder = new ConversationFinder(numbers, n -> new CustomerDirectory(redis, Keyspace.of(config.queue()),
        config.redis().commandTimeout(), n.phoneNumberId(), Metrics.registry(vertx), n.equals(numbers.defaultNumber())));
    List<ConversationFinder.NotFound> missing = new java.util.concurrent.CopyOnWriteArrayList<>();
    ConversationFinder.Found byKey = Futures.await(finder.find(supportKey, null, nf -> null));
    assertThat(byKey.number().phoneNumberId()).isEqualTo(SUPPORT);
    assertThat(Futures.await(finder.find(PHONE, null, nf -> {
      missing.add(nf);
      return null;
    }))).isNull();
    assertThat(missing).singleElement().satisfies(nf -> {
      assertThat(nf.status()).isEqualTo(409);
      assertThat(nf.error()).contains("Sales, Support").contains("?number=");
    });
    assertThat(Futures.await(finder.find(PHONE, "support", nf -> null)).customer().key()).isEqualTo(supportKey);
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private String requestedId() {
    return events.await(e -> "handoff.requested".equals(e.getString("event"))).getString("escalationId");
  }

  /** The customer writes {@code text} to the business number {@code number}: stored as the webhook stores it. */
  private String says(String number, String text) {
    String wamid = Webhooks.newWamid();
    CustomerDirectory directory = new CustomerDirectory(redis, Keyspace.of(config.queue()), config.redis().commandTimeout(),
        number, Metrics.registry(vertx), SALES.equals(number));
    CustomerIdentity sender = CustomerIdentity.of(BSUID, null, PHONE, null);
    CustomerIdentity customer = Futures.await(directory.resolve(List.of(CustomerDirectory.sender(sender)))).get(0).customer();
    JsonObject payload = new JsonObject().put("message", Webhooks.textMessage(wamid, PHONE, text).put("user_id", BSUID))
        .put("customer", customer.toJson()).put("profileName", "Sam").put("phoneNumberId", number)
        .put("receivedAtMs", System.currentTimeMillis());
    enqueue(NewJob.of(wamid, customer.key(), CustomerIdentity.correlationOf(wamid, customer), payload));
    return wamid;
  }

  private void enqueue(NewJob job) {
    assertThat(Futures.await(inbound.enqueue(List.of(job)))).containsExactly(job.id());
  }

  /** An outbound job the workers stored, with its id. */
  record Sent(String id, OutboundJob job) {
  }

  private OutboundJob.Message reply(String jobId) {
    return (OutboundJob.Message) outbound.await(sent -> sent.id().equals(jobId)).job();
  }

  /** What the bot made of an inbound job: stored in the inbound queue, read back as the worker would. */
  private JsonObject storedInbound(String id) {
    String payload = REDIS.server().command("HGET", config.queue().keyPrefix() + Queues.INBOUND + ":job:" + id, "payload");
    assertThat(payload).as("the inbound job %s", id).isNotNull().doesNotStartWith("$-1");
    return new JsonObject(payload);
  }

  private static String visible(OutboundJob.Message message) {
    JsonObject body = message.body();
    if (body.getJsonObject("text") != null) {
      return body.getJsonObject("text").getString("body");
    }
    return body.getJsonObject("interactive").getJsonObject("body").getString("text");
  }

  /** A worker on {@code queue} that records every job and acknowledges it. */
  private QueueWorkerVerticle recorder(String queue, java.util.function.Consumer<io.wabot.queue.Job> record) {
    return new QueueWorkerVerticle(config, queue, 4, (v, r, q) -> Future.succeededFuture(QueueWork.of(job -> {
      record.accept(job);
      return Future.succeededFuture(JobOutcome.done());
    })));
  }

}
