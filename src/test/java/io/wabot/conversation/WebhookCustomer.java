package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.Webhooks;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One customer of a {@link WebhookChat}: {@code sheena.says("hi").botReplies(buttons(...))}, as in the
 * {@link Customer} DSL, but through signed webhooks and the real pipeline. The customer is named the way
 * Meta names them: {@code from_user_id} (BSUID) always when they have one, {@code from} only when their
 * phone number is shared, and a contact with {@code user_id}, {@code wa_id} and {@code profile.username}.
 */
final class WebhookCustomer {

  private final WebhookChat chat;
  private final String name;
  private final String username;
  private String phone;
  private String bsuid;
  /** Every address the customer has had: replies may go to any of them (by design, to the latest). */
  private final Set<String> addresses = new LinkedHashSet<>();
  private List<RecordedRequest> lastRequests = List.of();
  private String lastInboundId;

  WebhookCustomer(WebhookChat chat, String phone, String bsuid, String username, String name) {
    this.chat = chat;
    this.name = name;
    this.username = username;
    nowKnownAs(phone, bsuid);
  }

  /** From now on the customer writes from these ids (after changing number, or hiding it). */
  WebhookCustomer nowKnownAs(String newPhone, String newBsuid) {
    this.phone = newPhone;
    this.bsuid = newBsuid;
    if (newPhone != null) {
      addresses.add(newPhone);
    }
    if (newBsuid != null) {
      addresses.add(newBsuid);
    }
    return this;
  }

  String phone() {
    return phone;
  }

  String bsuid() {
    return bsuid;
  }

  WebhookCustomer says(String text) {
    return sends("text", new JsonObject().put("body", text));
  }

  /** Taps a reply button or list row of the bot's last interactive message, by its title. */
  WebhookCustomer taps(String title) {
    Bot.Choice choice = Bot.choice(lastReplies(), title);
    String kind = choice.button() ? "button_reply" : "list_reply";
    return sends("interactive", new JsonObject().put("type", kind)
        .put(kind, new JsonObject().put("id", choice.id()).put("title", title)));
  }

  WebhookCustomer sends(String type, JsonObject content) {
    JsonObject raw = message().put("type", type).put(type, content);
    JsonObject contact = new JsonObject().put("profile", profile());
    if (bsuid != null) {
      contact.put("user_id", bsuid);
    }
    if (phone != null) {
      contact.put("wa_id", phone);
    }
    return deliver(new JsonObject().put("contacts", new JsonArray().add(contact)).put("messages", new JsonArray().add(raw)));
  }

  /** A system message from the customer's current ids (as Meta sends them: without contacts). */
  WebhookCustomer sendsSystem(JsonObject system) {
    return deliver(new JsonObject().put("messages", new JsonArray().add(message().put("type", "system").put("system", system))));
  }

  /** The message object's id, time and sender fields. */
  private JsonObject message() {
    lastInboundId = Webhooks.newWamid();
    JsonObject raw = new JsonObject().put("id", lastInboundId).put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    if (bsuid != null) {
      raw.put("from_user_id", bsuid);
    }
    if (phone != null) {
      raw.put("from", phone);
    }
    return raw;
  }

  private JsonObject profile() {
    JsonObject profile = new JsonObject().put("name", name);
    return username == null ? profile : profile.put("username", username);
  }

  private WebhookCustomer deliver(JsonObject value) {
    int before = chat.requests().size();
    assertThat(chat.post("messages", value)).as("the webhook's answer").isEqualTo(200);
    chat.awaitHandled(lastInboundId);
    List<RecordedRequest> all = chat.requests();
    lastRequests = all.subList(before, all.size()).stream()
        .filter(r -> !"read".equals(r.kind()) && addresses.contains(r.recipient())).toList();
    return this;
  }

  /** The bodies the bot sent this customer on the latest turn (read receipts left out). */
  List<JsonObject> lastReplies() {
    return lastRequests.stream().map(RecordedRequest::body).toList();
  }

  List<RecordedRequest> lastRequests() {
    return lastRequests;
  }

  String lastInboundId() {
    return lastInboundId;
  }

  @SafeVarargs
  final WebhookCustomer botReplies(Consumer<JsonObject>... expected) {
    List<JsonObject> replies = lastReplies();
    assertThat(replies).as("the bot's replies to %s", name).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      expected[i].accept(replies.get(i));
    }
    return this;
  }

  WebhookCustomer botSaysNothing() {
    assertThat(lastReplies()).as("the bot should stay quiet with %s", name).isEmpty();
    return this;
  }

  /** Every reply of the last turn went to this phone number in {@code to}. */
  WebhookCustomer addressedByPhone(String number) {
    assertThat(lastRequests).isNotEmpty().allSatisfy(r -> {
      assertThat(r.body().getString("to")).isEqualTo(number);
      assertThat(r.body().containsKey("recipient")).isFalse();
    });
    return this;
  }

  /** Every reply of the last turn went to this BSUID in {@code recipient}, never in {@code to}. */
  WebhookCustomer addressedByBsuid(String id) {
    assertThat(lastRequests).isNotEmpty().allSatisfy(r -> {
      assertThat(r.body().getString("recipient")).isEqualTo(id);
      assertThat(r.body().getString("recipient_type")).isEqualTo("individual");
      assertThat(r.body().containsKey("to")).as("a BSUID is never put in \"to\"").isFalse();
      assertThat(r.undeliverable()).isFalse();
    });
    return this;
  }

  /** The customer's conversation key, by whichever id they have now. */
  String key() {
    return chat.keyOf(bsuid != null ? bsuid : phone);
  }
}
