package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.template;
import static io.wabot.conversation.Bot.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.NewJob;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.OutboundJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reaching a person: acknowledgment, the team's notifications, the quiet period and the hand-back. */
class HandoffConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;

  @AfterEach
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  @Test
  @DisplayName("reserving hands over with the item: the customer hears what happens next, the team gets the context")
  void reserve() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    sam.says("hi").says("wireless headphones").taps("Nimbus ANC 700 Wireless…").taps("Reserve it")
        .botReplies(text("I've asked our sales team to reserve *Nimbus ANC 700 Wireless Noise-Cancelling Headphones* for you",
            "A person will message you here shortly", "*MENU*"));

    JsonObject event = chat.teamEvents().get(0);
    assertThat(event.getString("event")).isEqualTo("handoff.requested");
    assertThat(event.getString("reason")).isEqualTo("reserve");
    assertThat(event.getString("at")).as("the engine's clock, not the machine's").isEqualTo(chat.clock.instant().toString());
    assertThat(event.getJsonObject("customer").getString("waId")).isEqualTo("16505551234");
    assertThat(event.getJsonObject("customer").getString("name")).isEqualTo("Sam Taylor");
    JsonObject item = event.getJsonObject("context").getJsonObject("item");
    assertThat(item.getString("sku")).isEqualTo("AUD-001");
    assertThat(item.getInteger("stock")).isEqualTo(14);
    assertThat(item.getString("escalation")).contains("2-year protection plan");
    assertThat(event.getJsonArray("recentMessages").stream().toList()).contains("wireless headphones");
    assertThat(event.getJsonObject("handback").getString("path")).isEqualTo("/admin/conversations/" + sam.key() + "/handback");
    assertThat(event.getJsonObject("customer").getString("key")).isEqualTo(sam.key());
    assertThat(chat.notify.get(0).id()).isEqualTo(sam.lastInboundId() + ":notify");

    assertThat(event.getJsonObject("reply").getString("path")).isEqualTo("/admin/conversations/" + sam.key() + "/reply");
    assertThat(chat.agentMessages()).singleElement().satisfies(body -> assertThat(Bot.visibleText(body))
        .contains("Sam Taylor (+16505551234)", "wants to reserve an item", "Nimbus ANC 700", "Tap *Answer*, then write here")
        .as("the deadline as a person reads it, not ISO-8601")
        .containsPattern("quiet until (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\d{1,2} [A-Z][a-z]{2}, \\d{2}:\\d{2} UTC")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T"));
  }

  @Test
  @DisplayName("while a person has the conversation the bot is quiet, marks read without typing, and forwards to the team")
  void quietPeriod() {
    chat = new ChatHarness(REDIS.url());
    Customer ana = chat.customer("5215512345678", "Ana");
    ana.says("hola").says("quiero hablar con un asesor").botReplies(text("una persona te responderá aquí mismo", "*MENU*"));
    ana.says("¿siguen ahí?").botSaysNothing().markedRead(false);
    ana.sendsPhoto().botSaysNothing().markedRead(false);
    assertThat(chat.teamEvents()).extracting(e -> e.getString("event"))
        .containsExactly("handoff.requested", "handoff.message", "handoff.message");
    assertThat(chat.teamEvents().get(1).getJsonObject("message").getString("text")).isEqualTo("¿siguen ahí?");
    assertThat(Bot.visibleText(chat.agentMessages().get(1))).isEqualTo("💬 Ana (+5215512345678): ¿siguen ahí?");
  }

  @Test
  @DisplayName("a message as long as WhatsApp allows, written during a hand-off, reaches the team shortened, not as a failure")
  void longMessageDuringHandoff() {
    chat = new ChatHarness(REDIS.url());
    Customer ana = chat.customer("5215512345678", "Ana");
    ana.says("hola").says("quiero hablar con un asesor");
    String essay = "palabra ".repeat(511) + "fin";
    ana.says(essay).botSaysNothing().markedRead(false);
    assertThat(chat.teamEvents().get(1).getJsonObject("message").getString("text")).isEqualTo(essay);
    String forwarded = Bot.visibleText(chat.agentMessages().get(1));
    assertThat(forwarded.codePointCount(0, forwarded.length())).isLessThanOrEqualTo(4096);
    assertThat(forwarded).startsWith("💬 Ana (+5215512345678): palabra palabra").endsWith("…");
  }

  @Test
  @DisplayName("the customer can leave the quiet period by asking for the menu; the team is told")
  void customerReturns() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("agent").says("menu")
        .botReplies(buttons("Okay, I'm back!", "Browse products", "Search", "Talk to a person"));
    assertThat(chat.teamEvents()).last().satisfies(e -> {
      assertThat(e.getString("event")).isEqualTo("handoff.ended");
      assertThat(e.getString("endedBy")).isEqualTo("customer");
    });
    sam.says("headphones").botReplies(Bot.listStartingWith("I found"));
    // Counted in the registry the engine was given, not in a process-wide one.
    assertThat(chat.registry.counter(ConversationMetrics.HANDOFFS, "reason", "requested").count()).isEqualTo(1.0);
    assertThat(chat.registry.counter(ConversationMetrics.TURNS, "outcome", "command").count()).isEqualTo(2.0);
  }

  @Test
  @DisplayName("an admin hand-back brings the bot back with a short notice and the menu")
  void adminHandback() {
    chat = new ChatHarness(REDIS.url());
    Customer ana = chat.customer("5215512345678", "Ana");
    ana.says("hola").says("asesor");
    String escalationId = ana.lastInboundId();
    int before = chat.outbound.size();
    JobOutcome outcome = chat.run(ConversationJobs.handback("handback:1", ana.key(), "admin", escalationId,
        io.wabot.observability.Correlation.ofInbound(escalationId, ana.waId), null));
    assertThat(outcome).isInstanceOf(JobOutcome.Done.class);
    ana.hearsFromBot(before).botReplies(buttons("Nuestro equipo terminó de ayudarte", "Ver productos", "Buscar", "Hablar con asesor"));
    assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("endedBy")).isEqualTo("admin"));
    ana.says("audifonos").botReplies(Bot.listStartingWith("Encontré"));
  }

  @Test
  @DisplayName("a hand-back for a conversation no longer with a person changes nothing")
  void staleHandback() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi");
    int before = chat.outbound.size();
    chat.run(ConversationJobs.handback("handback:2", sam.key(), "admin", null,
        io.wabot.observability.Correlation.ofInbound("x", sam.waId), null));
    assertThat(chat.outbound).hasSize(before);
  }

  @Test
  @DisplayName("after the hand-off timeout the bot takes over with an apology, inside the 24-hour window")
  void timeoutInsideWindow() {
    chat = new ChatHarness(REDIS.url(), new JsonObject().put("escalation", new JsonObject().put("handoffTimeout", "2h")));
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("talk to a person");
    assertThat(chat.runPendingInbound()).singleElement().isInstanceOf(JobOutcome.Postpone.class);
    chat.clock.advance(Duration.ofHours(2).plusSeconds(1));
    int before = chat.outbound.size();
    List<JobOutcome> outcomes = chat.runPendingInbound();
    assertThat(outcomes).hasSize(2).allMatch(o -> o instanceof JobOutcome.Done);
    sam.hearsFromBot(before).botReplies(buttons("Sorry we couldn't get back to you sooner", "Browse products", "Search",
        "Talk to a person"));
    assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("endedBy")).isEqualTo("timeout"));
    sam.says("headphones").botReplies(Bot.listStartingWith("I found"));
  }

  @Test
  @DisplayName("outside the 24-hour window the notice becomes the approved template, in the customer's language")
  void timeoutOutsideWindowWithTemplate() {
    chat = new ChatHarness(REDIS.url(), new JsonObject().put("windowTemplate", new JsonObject().put("name", "conversation_update")));
    Customer ana = chat.customer("5215512345678", "Ana");
    ana.says("hola").says("asesor");
    chat.clock.advance(Duration.ofHours(25));
    chat.delete(StateStore.windowKey(ana.key())); // what Redis does 24 h after her last message
    int before = chat.outbound.size();
    chat.runPendingInbound();
    ana.hearsFromBot(before).botReplies(template("conversation_update", "es_MX"));
  }

  @Test
  @DisplayName("outside the 24-hour window without a template the notice is dropped, never sent free-form")
  void timeoutOutsideWindowWithoutTemplate() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("agent");
    chat.clock.advance(Duration.ofHours(25));
    chat.delete(StateStore.windowKey(sam.key()));
    int before = chat.outbound.size();
    chat.runPendingInbound();
    assertThat(chat.outbound.subList(before, chat.outbound.size()))
        .noneMatch(j -> sam.key().equals(j.payload().getString("customer")) && OutboundJob.KIND_MESSAGE.equals(OutboundJob.decode(j.payload(), "").kind()));
    assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("event")).isEqualTo("handoff.ended"));
    sam.says("hi").botReplies(buttons("Hi Sam!", "Browse products", "Search", "Talk to a person"));
  }

  @Test
  @DisplayName("each inbound message opens the 24-hour window until 24 h after it was sent")
  void windowKey() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi");
    assertThat(chat.get(StateStore.windowKey(sam.key()))).isNotNull();
    long ttl = ChatHarness.await(chat.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PTTL)
        .arg(chat.keyspace.key(StateStore.windowKey(sam.key()))))).toLong();
    assertThat(ttl).isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());
  }

  @Test
  @DisplayName("without any channel configured the hand-off still happens and nothing is queued for the team")
  void noChannel() {
    chat = new ChatHarness(REDIS.url(), new JsonObject().put("escalation", new JsonObject().put("webhookUrl", "").put("agentNumber", "")));
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("agent").botReplies(text("passed your request"));
    assertThat(chat.notify).isEmpty();
    assertThat(chat.agentMessages()).isEmpty();
  }

  @Test
  @DisplayName("a message that finds its hand-off expired and asks for a person again tells the team both, under ids of"
      + " their own (the queue stores one job an id: a second one in a commit would be dropped)")
  void endedAndRequestedInOneTurn() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi").says("agent");
    // The hand-off's time runs out and the customer writes before the timer's hand-back has run (it is queued
    // behind their message, or the workers were down at the deadline).
    chat.clock.advance(Duration.ofHours(24).plusSeconds(1));
    int events = chat.notify.size();
    int outbound = chat.outbound.size();

    sam.says("talk to a person");

    List<NewJob> told = chat.notify.subList(events, chat.notify.size());
    assertThat(told).extracting(j -> j.payload().getJsonObject("event").getString("event"))
        .containsExactly("handoff.ended", "handoff.requested");
    assertThat(told).extracting(NewJob::id).doesNotHaveDuplicates();
    List<NewJob> sent = chat.outbound.subList(outbound, chat.outbound.size());
    assertThat(sent).filteredOn(j -> ChatHarness.AGENT_NUMBER.equals(j.payload().getString("to"))).as("the agent's notes")
        .hasSize(2);
    assertThat(sent).extracting(NewJob::id).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("replies and effects have deterministic ids, so running a message twice stores nothing twice")
  void deterministicIds() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam");
    sam.says("hi");
    String id = sam.lastInboundId();
    assertThat(sam.lastJobs()).extracting(NewJob::id).containsExactly(id + ":r0");
    sam.markedRead(true);
  }
}
