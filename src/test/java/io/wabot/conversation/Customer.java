package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.queue.JobOutcome;
import io.wabot.queue.NewJob;
import io.wabot.testing.TestApps;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.WebhookParser;
import io.wabot.whatsapp.inbound.WebhookPayload;
import io.wabot.whatsapp.outbound.OutboundJob;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One customer in a scripted conversation: {@code ana.says("hola").botReplies(buttons(...))}. Taps
 * find the button or row by its title in what the bot sent last, the way a person chooses. A customer
 * is named by a phone number ({@code from}), a BSUID ({@code from_user_id}) or both, and resolved to a
 * conversation key through the real alias map, as the webhook does.
 */
final class Customer {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final ChatHarness chat;
  /** The phone number, null when hidden. */
  final String waId;
  private final CustomerIdentity ids;
  private final String profileName;
  private CustomerIdentity resolved;
  private List<JsonObject> lastReplies = List.of();
  private List<NewJob> lastJobs = List.of();
  private String lastInboundId;
  private NewJob lastInbound;

  Customer(ChatHarness chat, CustomerIdentity ids, String profileName) {
    this.chat = chat;
    this.ids = ids;
    this.waId = ids.phone();
    this.profileName = profileName;
  }

  /** The conversation key the alias map gave this customer (after their first message). */
  String key() {
    if (resolved == null) {
      resolved = chat.resolve(ids);
    }
    return resolved.key();
  }

  /** What the bot knows of the customer: key, phone number, BSUID, username. */
  CustomerIdentity identity() {
    key();
    return resolved;
  }

  Customer says(String text) {
    return sends("text", new JsonObject().put("body", text));
  }

  /** Taps a reply button or list row of the bot's last interactive message, by its title. */
  Customer taps(String title) {
    Bot.Choice choice = Bot.choice(lastReplies, title);
    return choice.button() ? tapsId(choice.id(), title) : picksRow(choice.id(), title);
  }

  /** Taps a button by id: also one from an old message whose conversation the bot may have lost. */
  Customer tapsId(String id, String title) {
    return sends("interactive", new JsonObject().put("type", "button_reply")
        .put("button_reply", new JsonObject().put("id", id).put("title", title)));
  }

  Customer picksRow(String id, String title) {
    return sends("interactive", new JsonObject().put("type", "list_reply")
        .put("list_reply", new JsonObject().put("id", id).put("title", title)));
  }

  Customer sendsPhoto() {
    return sends("image", new JsonObject().put("id", "media-1").put("mime_type", "image/jpeg"));
  }

  Customer sendsVoiceNote() {
    return sends("audio", new JsonObject().put("id", "media-2").put("mime_type", "audio/ogg; codecs=opus").put("voice", true));
  }

  Customer sendsSticker() {
    return sends("sticker", new JsonObject().put("id", "media-3").put("mime_type", "image/webp"));
  }

  Customer sendsLocation() {
    return sends("location", new JsonObject().put("latitude", 19.43).put("longitude", -99.13));
  }

  Customer sendsContact() {
    JsonObject raw = message("contacts", null);
    raw.put("contacts", new JsonArray().add(new JsonObject().put("name", new JsonObject().put("formatted_name", "Luis"))));
    return deliver(raw);
  }

  Customer reactsWith(String emoji) {
    return sends("reaction", new JsonObject().put("message_id", "wamid.bot").put("emoji", emoji));
  }

  Customer tapsTemplateQuickReply(String text) {
    return sends("button", new JsonObject().put("payload", text).put("text", text));
  }

  Customer sends(String type, JsonObject content) {
    return deliver(message(type, content));
  }

  private JsonObject message(String type, JsonObject content) {
    lastInboundId = "wamid.T" + SEQUENCE.incrementAndGet() + "_" + System.nanoTime();
    JsonObject raw = new JsonObject().put("id", lastInboundId)
        .put("timestamp", Long.toString(chat.clock.instant().getEpochSecond())).put("type", type);
    if (ids.phone() != null) {
      raw.put("from", ids.phone());
    }
    if (ids.bsuid() != null) {
      raw.put("from_user_id", ids.bsuid());
    }
    if (content != null) {
      raw.put(type, content);
    }
    return raw;
  }

  private Customer deliver(JsonObject raw) {
    resolved = chat.resolve(ids);
    var parsed = WebhookParser.parseMessage(raw, ids, profileName, TestApps.PHONE_NUMBER_ID);
    NewJob job = InboundJobs.of(new WebhookPayload.Received(parsed, raw, profileName, TestApps.PHONE_NUMBER_ID),
        resolved, chat.clock.millis());
    lastInbound = job;
    return run(job);
  }

  /** The last message's job runs again, as after a crash before its commit (the queue redelivers it). */
  Customer redelivered() {
    return run(lastInbound);
  }

  private Customer run(NewJob job) {
    int before = chat.outbound.size();
    JobOutcome outcome = chat.run(job);
    assertThat(outcome).as("outcome of the customer's message").isInstanceOf(JobOutcome.Done.class);
    lastJobs = List.copyOf(chat.outbound.subList(before, chat.outbound.size()));
    lastReplies = replies(lastJobs);
    return this;
  }

  /** What the bot sent this customer on the latest turn (read receipts left out). */
  private List<JsonObject> replies(List<NewJob> jobs) {
    List<JsonObject> out = new ArrayList<>();
    for (NewJob job : jobs) {
      if (OutboundJob.KIND_MESSAGE.equals(OutboundJob.decode(job.payload(), "").kind())
          && resolved.key().equals(job.payload().getString("customer"))) {
        out.add(OutboundJob.decode(job.payload(), "").body());
      }
    }
    return out;
  }

  /** Picks up what the bot sent this customer on its own (a hand-back notice) since the last turn. */
  Customer hearsFromBot(int sinceIndex) {
    lastJobs = List.copyOf(chat.outbound.subList(sinceIndex, chat.outbound.size()));
    lastReplies = replies(lastJobs);
    return this;
  }

  @SafeVarargs
  final Customer botReplies(Consumer<JsonObject>... expected) {
    assertThat(lastReplies).as("the bot's replies to %s", ids).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      expected[i].accept(lastReplies.get(i));
    }
    return this;
  }

  Customer botSaysNothing() {
    assertThat(lastReplies).as("the bot should stay quiet").isEmpty();
    return this;
  }

  /**
   * The message was marked read, with or without the typing indicator: by the first reply's job when the turn
   * answered ({@code <id>:r<n>} carrying {@code receipt}), else by a job of its own ({@code <id>:read}).
   */
  Customer markedRead(boolean typing) {
    List<JsonObject> receipts = receipts();
    assertThat(receipts).as("read receipts of the turn").hasSize(1);
    JsonObject body = receipts.get(0);
    assertThat(body.getString("message_id")).isEqualTo(lastInboundId);
    assertThat(body.containsKey("typing_indicator")).as("typing indicator").isEqualTo(typing);
    return this;
  }

  Customer notMarkedRead() {
    assertThat(receipts()).as("read receipts of the turn").isEmpty();
    return this;
  }

  /** The read receipts the latest turn stored, checking where each rides. */
  private List<JsonObject> receipts() {
    List<JsonObject> out = new ArrayList<>();
    NewJob firstReply = lastJobs.stream().filter(j -> j.id().matches(Pattern.quote(lastInboundId) + ":r\\d+")).findFirst().orElse(null);
    for (NewJob job : lastJobs) {
      OutboundJob decoded = OutboundJob.decode(job.payload(), "");
      if (decoded instanceof OutboundJob.ReadReceipt receipt) {
        assertThat(firstReply).as("a turn that answers carries its receipt on the first reply, not in %s", job.id()).isNull();
        assertThat(job.id()).isEqualTo(lastInboundId + ":read");
        out.add(receipt.body());
      } else if (decoded instanceof OutboundJob.Message message && message.receipt() != null) {
        assertThat(job).as("the receipt rides on the turn's first reply").isSameAs(firstReply);
        out.add(message.receipt());
      }
    }
    return out;
  }

  List<JsonObject> lastReplies() {
    return lastReplies;
  }

  List<NewJob> lastJobs() {
    return lastJobs;
  }

  String lastInboundId() {
    return lastInboundId;
  }
}
