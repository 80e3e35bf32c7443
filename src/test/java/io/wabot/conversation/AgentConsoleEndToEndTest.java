package io.wabot.conversation;

import static io.wabot.conversation.Bot.buttons;
import static io.wabot.conversation.Bot.listStartingWith;
import static io.wabot.conversation.Bot.template;
import static io.wabot.conversation.Bot.text;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person takes over a conversation and hands it back, through the whole service: signed webhooks from
 * the customer's phone and from the agent's, the queues, the conversation workers and the sender, against
 * a real Redis and a Graph API simulator. Also the admin endpoint a helpdesk answers through,
 * {@code POST /admin/conversations/{customer}/reply}.
 */
class AgentConsoleEndToEndTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ADMIN_TOKEN = "admin-token-for-tests-0001";
  static final String AGENT = "5215500000001";
  static final String SAM = "16505551234";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  WebhookChat chat;
  int requestsBefore;

  @AfterEach
  void stop() {
    if (chat != null) {
      chat.close();
    }
  }

  /** What the Graph API simulator accepted for this address since request number {@code from} (read receipts left out). */
  List<JsonObject> sentTo(String address, int from) {
    List<RecordedRequest> all = chat.requests();
    return all.subList(from, all.size()).stream().filter(r -> address.equals(r.recipient()) && !"read".equals(r.kind()))
        .map(RecordedRequest::body).toList();
  }

  JsonObject lastSentTo(String address) {
    List<JsonObject> sent = sentTo(address, 0);
    assertThat(sent).as("messages sent to %s", address).isNotEmpty();
    return sent.get(sent.size() - 1);
  }

  /** The agent taps a button of a message on their phone: a signed webhook from the agent's number. */
  static void taps(WebhookCustomer agent, JsonObject message, String title) {
    Bot.Choice choice = Bot.choice(List.of(message), title);
    agent.sends("interactive", new JsonObject().put("type", "button_reply")
        .put("button_reply", new JsonObject().put("id", choice.id()).put("title", title)));
  }

  @Test
  @DisplayName("a customer asks for a person; the agent sees the request and the next message, answers, the customer gets it"
      + " from the business while the bot stays quiet; the agent hands back and the bot answers again")
  void handoffPlayedByTheAgent() {
    chat = new WebhookChat(REDIS.server(), Map.of("AGENT_WHATSAPP_NUMBER", AGENT));
    WebhookCustomer sam = chat.customer(SAM, "US.10000000000000000001", "Sam Taylor");
    WebhookCustomer alex = chat.customer(AGENT, "MX.20000000000000000002", "Alex Rivera");
    sam.says("hi").says("talk to a person").botReplies(text("a person will reply right here"));
    JsonObject request = lastSentTo(AGENT);
    buttons("New request from Sam Taylor (+16505551234)", "Answer", "Hand back to bot").accept(request);
    assertThat(Bot.visibleText(request)).contains("› talk to a person", "Tap *Answer*, then write here");

    sam.says("Do you have the Nimbus in black?").botSaysNothing();
    buttons("💬 Sam Taylor (+16505551234): Do you have the Nimbus in black?", "Answer", "Hand back to bot")
        .accept(lastSentTo(AGENT));

    taps(alex, request, "Answer");
    alex.botReplies(buttons("You're answering Sam Taylor (+16505551234)", "Hand back to bot"));
    int before = chat.requests().size();
    alex.says("Hi Sam, Alex from sales. Yes, we have 3 in black!").botSaysNothing();
    assertThat(sentTo(SAM, before)).as("the agent's words, from the business number, addressed to Sam's phone").singleElement()
        .satisfies(text("Hi Sam, Alex from sales. Yes, we have 3 in black!"))
        .satisfies(body -> assertThat(body.getString("to")).isEqualTo(SAM));

    sam.says("Great, I'll take one").botSaysNothing();
    taps(alex, lastSentTo(AGENT), "Hand back to bot");
    alex.botReplies(text("The bot is answering Sam Taylor (+16505551234) again: handed back by you"));
    assertThat(sentTo(SAM, before + 1)).last().satisfies(buttons("Our team has finished helping you", "Browse products",
        "Search", "Talk to a person"));

    sam.says("headphones").botReplies(listStartingWith("I found"));
    assertThat(chat.count("inbound:dead:*")).isZero();
  }

  @Test
  @DisplayName("the agent's number writing to the business never gets the customer flow")
  void agentIsNotACustomer() {
    chat = new WebhookChat(REDIS.server(), Map.of("AGENT_WHATSAPP_NUMBER", AGENT));
    WebhookCustomer alex = chat.customer(AGENT, "MX.20000000000000000002", "Alex Rivera");
    alex.says("Hi!").botReplies(text("Nothing was sent: tap *Answer* under a customer's request first"));
    assertThat(chat.get("state:" + chat.keyOf(AGENT))).as("no conversation with the bot").isNull();
  }

  @Test
  @DisplayName("POST /admin/conversations/{customer}/reply: 401 without the token, 400 for a bad body, 404 for nobody,"
      + " 413 for a huge one, 409 while the bot has the conversation, then 202 and the customer gets the text once")
  void adminReplyEndpoint() throws Exception {
    chat = new WebhookChat(REDIS.server(), Map.of("ADMIN_TOKEN", ADMIN_TOKEN));
    WebhookCustomer sam = chat.customer(SAM, "US.10000000000000000001", "Sam Taylor");
    sam.says("hi");
    JsonObject hello = new JsonObject().put("text", "Hi Sam, this is Luis from sales.").put("id", "crm-msg-1");

    assertThat(reply(SAM, hello, "wrong-token").statusCode()).isEqualTo(401);
    assertThat(reply(SAM, null, ADMIN_TOKEN).statusCode()).isEqualTo(400);
    assertThat(reply(SAM, new JsonObject().put("text", " "), ADMIN_TOKEN).statusCode()).isEqualTo(400);
    assertThat(reply(SAM, new JsonObject().put("text", "x".repeat(4097)), ADMIN_TOKEN).body()).contains("1 to 4096 characters");
    assertThat(reply(SAM, new JsonObject().put("text", "hi").put("id", "no spaces allowed"), ADMIN_TOKEN).statusCode())
        .isEqualTo(400);
    assertThat(reply(SAM, new JsonObject().put("text", "x".repeat(70_000)), ADMIN_TOKEN).statusCode()).as("over 64 KB")
        .isEqualTo(413);
    assertThat(reply("19998887777", hello, ADMIN_TOKEN).statusCode()).isEqualTo(404);
    HttpResponse<String> botHasIt = reply(SAM, hello, ADMIN_TOKEN);
    assertThat(botHasIt.statusCode()).isEqualTo(409);
    assertThat(botHasIt.body()).contains("not with a person");

    sam.says("agent");
    int before = chat.requests().size();
    HttpResponse<String> queued = reply(sam.key(), hello, ADMIN_TOKEN);
    assertThat(queued.statusCode()).isEqualTo(202);
    JsonObject answer = new JsonObject(queued.body());
    assertThat(answer.getString("delivery")).isEqualTo("text");
    assertThat(answer.getString("escalationId")).isEqualTo(sam.lastInboundId());
    awaitReplySent(answer.getString("jobId"));
    assertThat(reply(SAM, hello, ADMIN_TOKEN).body()).as("the same id again").contains("\"duplicate\":true");
    awaitReplySent(answer.getString("jobId"));
    assertThat(sentTo(SAM, before)).singleElement().satisfies(text("Hi Sam, this is Luis from sales."));
    sam.says("thanks!").botSaysNothing();
  }

  @Test
  @DisplayName("once the customer's 24-hour window has closed, without WINDOW_TEMPLATE_NAME the reply is refused (409)")
  void adminReplyWindowClosedWithoutTemplate() throws Exception {
    HttpResponse<String> refused = replyOnceTheWindowClosed(Map.of("ADMIN_TOKEN", ADMIN_TOKEN));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("24-hour window", "WINDOW_TEMPLATE_NAME");
    assertThat(chat.count("inbound:job:reply:*")).as("nothing queued").isZero();
    assertThat(sentTo(SAM, requestsBefore)).isEmpty();
  }

  @Test
  @DisplayName("once the customer's 24-hour window has closed, with WINDOW_TEMPLATE_NAME the customer gets the template (202)")
  void adminReplyWindowClosedWithTemplate() throws Exception {
    HttpResponse<String> queued = replyOnceTheWindowClosed(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "WINDOW_TEMPLATE_NAME",
        "conversation_update"));
    assertThat(queued.statusCode()).isEqualTo(202);
    JsonObject answer = new JsonObject(queued.body());
    assertThat(answer.getString("delivery")).isEqualTo("template");
    assertThat(answer.getString("note")).contains("approved template");
    awaitReplySent(answer.getString("jobId"));
    assertThat(sentTo(SAM, requestsBefore)).singleElement().satisfies(template("conversation_update", "en_US"));
  }

  /**
   * Sam asks for a person, his 24-hour window closes (what Redis does 24 h after his last message), and
   * the helpdesk replies: the endpoint's answer. {@link #requestsBefore} counts what was sent until then.
   */
  HttpResponse<String> replyOnceTheWindowClosed(Map<String, String> env) throws Exception {
    chat = new WebhookChat(REDIS.server(), env);
    WebhookCustomer sam = chat.customer(SAM, "US.10000000000000000001", "Sam Taylor");
    sam.says("hi").says("agent");
    chat.redis.command("DEL", chat.prefix + "window:" + sam.key());
    requestsBefore = chat.requests().size();
    return reply(SAM, new JsonObject().put("text", "Still interested?"), ADMIN_TOKEN);
  }

  /** The reply job ran (its effects stored with its ack) and what it queued was sent. */
  void awaitReplySent(String jobId) throws Exception {
    poll("the reply %s was handled and sent", jobId).until(() -> !chat.exists("inbound:job:" + jobId) && chat.count("outbound:job:" + jobId + ":*") == 0);
  }

  HttpResponse<String> reply(String customer, JsonObject body, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.app.httpPort() + "/admin/conversations/"
            + customer + "/reply")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
