package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.listStartingWith;
import static io.wabot.conversation.Bot.template;
import static io.wabot.conversation.Bot.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.conversation.consent.ConsentChange;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.conversation.consent.RedisConsentHook;
import io.wabot.conversation.handoff.AgentReplies;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.Commit;
import io.wabot.queue.NewJob;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.OutboundJob;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's WhatsApp as a seat of the sales team, against a real Redis: hand-off notifications come
 * with <em>Answer</em> and <em>Hand back to bot</em>; what the agent writes goes to the customer they
 * answer, from the business number; the agent's messages never meet the customer flow.
 */
class AgentSeatConversationTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  ChatHarness chat;

  @AfterEach
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  /** The agent: a person with WhatsApp on the configured agent number. */
  Customer agent() {
    return chat.customer(ChatHarness.AGENT_NUMBER, "Alex Rivera");
  }

  JsonObject lastToAgent() {
    List<JsonObject> messages = chat.agentMessages();
    assertThat(messages).as("messages to the agent").isNotEmpty();
    return messages.get(messages.size() - 1);
  }

  /** The latest message to the agent's WhatsApp is what is expected. */
  void agentGot(Consumer<JsonObject> expected) {
    expected.accept(lastToAgent());
  }

  /** The agent taps a button of the latest notification on their phone, by its title. */
  void agentTaps(Customer agent, String title) {
    Bot.Choice choice = Bot.choice(List.of(lastToAgent()), title);
    agent.tapsId(choice.id(), title);
  }

  /** The customer says these words, the last asking for a person; the agent taps Answer under the request. */
  Customer agentAnswers(Customer customer, String... words) {
    for (String word : words) {
      customer.says(word);
    }
    Customer alex = agent();
    agentTaps(alex, "Answer");
    return alex;
  }

  /** Runs what the agent's message stored in the customer's FIFO (their reply, the hand-back); returns what the customer got. */
  List<JsonObject> deliverToCustomer(Customer customer) {
    int before = chat.outbound.size();
    chat.runPendingInbound();
    return customer.hearsFromBot(before).lastReplies();
  }

  @Test
  @DisplayName("the agent taps Answer, writes, the customer gets it from the business while the bot is quiet; Hand back brings the bot back")
  void answerAndHandBack() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer alex = agent();
    sam.says("hi").says("I want to talk to a person").botReplies(text("a person will reply right here"));
    agentGot(buttons("New request from Sam Taylor (+16505551234)", "Answer", "Hand back to bot"));

    agentTaps(alex, "Answer");
    agentGot(buttons("You're answering Sam Taylor (+16505551234)", "Hand back to bot"));
    alex.markedRead(false);

    alex.says("Hi Sam, Alex from sales here. Which colour would you like?");
    assertThat(deliverToCustomer(sam)).singleElement()
        .satisfies(text("Hi Sam, Alex from sales here. Which colour would you like?"))
        .satisfies(body -> assertThat(body.getString("to")).isEqualTo("16505551234"));
    alex.markedRead(false);

    sam.says("Black, please").botSaysNothing().markedRead(false);
    agentGot(buttons("💬 Sam Taylor (+16505551234): Black, please", "Answer", "Hand back to bot"));

    agentTaps(alex, "Hand back to bot");
    assertThat(deliverToCustomer(sam)).singleElement()
        .satisfies(buttons("Our team has finished helping you", "Browse products", "Search", "Talk to a person"));
    agentGot(text("The bot is answering Sam Taylor (+16505551234) again: handed back by you"));
    assertThat(chat.teamEvents()).last().satisfies(e -> assertThat(e.getString("endedBy")).isEqualTo("agent"));

    sam.says("headphones").botReplies(listStartingWith("I found"));
    alex.says("Anything else, Sam?");
    agentGot(text("Nothing was sent: tap *Answer*"));
    assertThat(deliverToCustomer(sam)).isEmpty();
  }

  @Test
  @DisplayName("the agent's own messages never get the customer flow: a greeting, a photo or a stale button get a note instead")
  void agentIsNeverACustomer() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer alex = agent();
    alex.says("Hi!");
    agentGot(text("Nothing was sent: tap *Answer* under a customer's request first"));
    assertThat(lastToAgent().getJsonObject("context").getString("message_id")).as("the note quotes the agent's message")
        .isEqualTo(alex.lastInboundId());
    assertThat(alex.lastReplies()).as("no greeting, no menu").isEmpty();

    sam.says("hi").says("agent");
    Bot.Choice answerSam = Bot.choice(List.of(lastToAgent()), "Answer");
    alex.sendsPhoto();
    agentGot(text("only text can be passed on"));
    assertThat(deliverToCustomer(sam)).isEmpty();

    sam.says("menu"); // Sam leaves the hand-off on his own
    alex.tapsId(answerSam.id(), "Answer");
    agentGot(text("Sam Taylor (+16505551234) is with the bot now"));
    assertThat(chat.get(StateStore.stateKey(alex.key()))).as("the seat answers nobody").isNull();
  }

  @Test
  @DisplayName("with two customers waiting, the agent's words go to the one they tapped Answer for")
  void twoCustomers() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer ana = chat.customer("5215512345678", "Ana López");
    Customer alex = agent();
    sam.says("hi").says("agent");
    JsonObject samsRequest = lastToAgent();
    ana.says("hola").says("asesor");

    agentTaps(alex, "Answer"); // under Ana's request, the latest
    alex.says("¡Hola Ana! Soy Alex.");
    assertThat(deliverToCustomer(ana)).singleElement().satisfies(text("¡Hola Ana! Soy Alex."));
    assertThat(sam.hearsFromBot(chat.outbound.size()).lastReplies()).isEmpty();

    Bot.Choice answerSam = Bot.choice(List.of(samsRequest), "Answer");
    alex.tapsId(answerSam.id(), "Answer");
    agentGot(buttons("You're answering Sam Taylor", "Hand back to bot"));
    int before = chat.outbound.size();
    alex.says("Hi Sam, one moment please.");
    chat.runPendingInbound();
    assertThat(sam.hearsFromBot(before).lastReplies()).singleElement().satisfies(text("Hi Sam, one moment please."));
    assertThat(ana.hearsFromBot(before).lastReplies()).isEmpty();
  }

  @Test
  @DisplayName("after the customer's 24-hour window closed, the agent's words become the approved template and the agent is told")
  void windowClosedWithTemplate() {
    chat = new ChatHarness(REDIS.url(), new JsonObject().put("windowTemplate", new JsonObject().put("name", "conversation_update")));
    Customer ana = chat.customer("5215512345678", "Ana López");
    Customer alex = agentAnswers(ana, "hola", "asesor");
    chat.delete(StateStore.windowKey(ana.key())); // what Redis does 24 h after her last message

    alex.says("Ana, ¿sigues interesada?");
    assertThat(deliverToCustomer(ana)).singleElement().satisfies(template("conversation_update", "es_MX"));
    agentGot(buttons("Not sent as written: Ana López (+5215512345678)", "Hand back to bot"));
  }

  @Test
  @DisplayName("after the customer's 24-hour window closed and without a template, nothing goes to the customer and the agent is told")
  void windowClosedWithoutTemplate() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer alex = agentAnswers(sam, "hi", "agent");
    chat.delete(StateStore.windowKey(sam.key()));

    alex.says("Still there?");
    assertThat(deliverToCustomer(sam)).isEmpty();
    agentGot(buttons("Not sent: Sam Taylor (+16505551234) last wrote more than 24 hours ago", "Hand back to bot"));
  }

  @Test
  @DisplayName("a customer who sends STOP during the hand-off gets nothing more from the agent")
  void stopEndsTheAgentsReplies() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer alex = agentAnswers(sam, "hi", "agent");
    sam.says("STOP");
    alex.says("Sam, we have a discount for you!");
    assertThat(deliverToCustomer(sam)).isEmpty();
    agentGot(text("is with the bot now", "nothing was sent"));
  }

  @Test
  @DisplayName("the consent hook has the last word on the agent's words too: held, nothing is sent and the agent is told")
  void consentHookHoldsTheAgentsWords() {
    chat = new ChatHarness(REDIS.url(), new JsonObject(), (redis, keyspace) -> new HoldingWord("discount",
        new RedisConsentHook(redis, keyspace)));
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    Customer alex = agentAnswers(sam, "hi", "agent");
    alex.says("Sam, a 20% discount just for you!");
    assertThat(deliverToCustomer(sam)).isEmpty();
    agentGot(buttons("Not sent: Sam Taylor (+16505551234) has not agreed to receive this from us", "Hand back to bot"));
    alex.says("Sam, it comes in black.");
    assertThat(deliverToCustomer(sam)).singleElement().satisfies(text("Sam, it comes in black."));
  }

  /** A consent policy of an adopter's: nothing containing a word goes out; the rest as the default hook says. */
  record HoldingWord(String word, ConsentHook rest) implements ConsentHook {

    @Override
    public Future<ConsentStatus> onInbound(InboundMessage message) {
      return rest.onInbound(message);
    }

    @Override
    public Future<ConsentStatus> status(CustomerIdentity customer) {
      return rest.status(customer);
    }

    @Override
    public boolean allowOutbound(ConsentStatus status, OutboundMessage message, MessagePurpose purpose) {
      return !message.toJson().encode().contains(word) && rest.allowOutbound(status, message, purpose);
    }

    @Override
    public Future<Commit> onChange(ConsentChange change) {
      return rest.onChange(change);
    }
  }

  @Test
  @DisplayName("a reply from the admin endpoint's job reaches the customer, and one after the hand-back is dropped without a note")
  void adminReplyJob() {
    chat = new ChatHarness(REDIS.url());
    Customer sam = chat.customer("16505551234", "Sam Taylor");
    sam.says("hi").says("agent");
    int agentMessages = chat.agentMessages().size();
    int before = chat.outbound.size();
    chat.run(ConversationJobs.agentReply("reply:1", sam.key(), "Hi Sam, this is Luis.", AgentReplies.FROM_ADMIN, null,
        Correlation.ofInbound("x", sam.waId), null));
    assertThat(sam.hearsFromBot(before).lastReplies()).singleElement().satisfies(text("Hi Sam, this is Luis."));
    assertThat(chat.outbound.get(chat.outbound.size() - 1).id()).isEqualTo("reply:1:r0");

    sam.says("menu");
    before = chat.outbound.size();
    chat.run(ConversationJobs.agentReply("reply:2", sam.key(), "Hello?", AgentReplies.FROM_ADMIN, null,
        Correlation.ofInbound("y", sam.waId), null));
    assertThat(chat.outbound.subList(before, chat.outbound.size())).extracting(NewJob::payload)
        .noneMatch(p -> OutboundJob.KIND_MESSAGE.equals(OutboundJob.decode(p, "").kind()));
    assertThat(chat.agentMessages()).as("only the hand-off's end was told to the agent number").hasSize(agentMessages + 1);
  }
}
