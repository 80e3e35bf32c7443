package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.customer.IdentityChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message a customer sent, parsed from a webhook into one of a closed set of types, so a flow
 * handles each kind explicitly (a {@code switch} over these records) and nothing is silently dropped:
 * types the bot does not understand arrive as {@link Unsupported}.
 */
public sealed interface InboundMessage {

  /**
   * What every message has: ids, sender, time, and the message it replies to, if any.
   *
   * @param customer who sent it: a BSUID and/or a phone number (either may be missing), and once the
   *                 message is a job, the customer's conversation key ({@link CustomerIdentity#key()})
   * @param referral the click-to-WhatsApp ad or post the customer came from, on the first message they
   *                 send from it; null otherwise
   */
  record Meta(String id, CustomerIdentity customer, String profileName, Instant timestamp, String contextId,
      String phoneNumberId, Referral referral) {

    public Meta(String id, CustomerIdentity customer, String profileName, Instant timestamp, String contextId,
        String phoneNumberId) {
      this(id, customer, profileName, timestamp, contextId, phoneNumberId, null);
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("customer", customer.toJson()).put("profileName", profileName)
          .put("timestamp", timestamp.getEpochSecond()).put("contextId", contextId).put("phoneNumberId", phoneNumberId)
          .put("referral", referral == null ? null : referral.toJson());
    }
  }

  Meta meta();

  /** The Cloud API's type name, e.g. {@code text}, {@code interactive}, {@code image}. */
  String type();

  default String id() {
    return meta().id();
  }

  /** Who sent it. Key state on {@code customer().key()}, never on the phone number (which may be hidden). */
  default CustomerIdentity customer() {
    return meta().customer();
  }

  /** Free text. */
  record Text(Meta meta, String body) implements InboundMessage {
    public String type() {
      return "text";
    }
  }

  /** The customer tapped a reply button of an interactive message. */
  record ButtonReply(Meta meta, String buttonId, String title) implements InboundMessage {
    public String type() {
      return "interactive";
    }
  }

  /** The customer picked a row of an interactive list. */
  record ListReply(Meta meta, String rowId, String title, String description) implements InboundMessage {
    public String type() {
      return "interactive";
    }
  }

  /**
   * The customer completed a WhatsApp Flow (interactive {@code nfm_reply}). {@code response} is the
   * flow's answers ({@code response_json}, parsed; empty when it was not JSON) and {@code flowToken} the
   * token the bot sent the flow with, or null when the reply carries none. The answers are personal
   * data: they never go to a log.
   */
  record FlowReply(Meta meta, String flowToken, JsonObject response, String body) implements InboundMessage {
    public FlowReply {
      response = response == null ? new JsonObject() : response.copy();
    }

    public String type() {
      return "interactive";
    }

    @Override
    public String toString() {
      return "FlowReply[id=" + meta.id() + ", fields=" + response.size() + "]";
    }
  }

  /** The customer tapped a quick-reply button of a template message. */
  record QuickReply(Meta meta, String payload, String text) implements InboundMessage {
    public String type() {
      return "button";
    }
  }

  /** An image, audio (voice notes included), video, document or sticker; fetch it by {@code mediaId}. */
  record Media(Meta meta, String kind, String mediaId, String mimeType, String caption, String filename, boolean voice)
      implements InboundMessage {
    public String type() {
      return kind;
    }
  }

  /** A shared location. */
  record Location(Meta meta, double latitude, double longitude, String name, String address) implements InboundMessage {
    public String type() {
      return "location";
    }
  }

  /** Shared contact cards, as the Cloud API sends them. */
  record Contacts(Meta meta, JsonArray cards) implements InboundMessage {
    public String type() {
      return "contacts";
    }
  }

  /** A reaction to one of the bot's messages; an empty emoji means the reaction was removed. */
  record Reaction(Meta meta, String messageId, String emoji) implements InboundMessage {
    public String type() {
      return "reaction";
    }
  }

  /**
   * The customer's identifiers changed (system messages {@code user_changed_user_id} and
   * {@code user_changed_number}): the webhook has already made the new ids aliases of the same customer;
   * the conversation sees it so that a flow could react, and the bot stays silent.
   */
  record IdentityChanged(Meta meta, IdentityChange change, JsonObject raw) implements InboundMessage {
    public String type() {
      return "system";
    }
  }

  /**
   * A cart sent from the business's catalog (a single or multi-product message, or the catalog itself).
   *
   * @param catalogId the Meta catalog the products come from
   * @param text      what the customer wrote with the cart, or null
   * @param items     the cart's lines, in the customer's order
   */
  record Order(Meta meta, String catalogId, String text, List<OrderItem> items) implements InboundMessage {

    public Order {
      items = List.copyOf(items);
    }

    public String type() {
      return "order";
    }

    /** The cart as the team sees it: catalog, note, lines and the total per currency. */
    public JsonObject toJson() {
      JsonArray lines = new JsonArray();
      items.forEach(item -> lines.add(item.toJson()));
      return new JsonObject().put("catalogId", catalogId).put("text", text).put("items", lines);
    }
  }

  /**
   * One line of an {@link Order}: {@code product_retailer_id}, {@code quantity}, {@code item_price} (per
   * unit) and {@code currency}, as Meta sends them.
   */
  record OrderItem(String productRetailerId, int quantity, double itemPrice, String currency) {

    public JsonObject toJson() {
      return new JsonObject().put("productRetailerId", productRetailerId).put("quantity", quantity)
          .put("itemPrice", itemPrice).put("currency", currency);
    }
  }

  /**
   * A person answered the customer from the WhatsApp Business app on the bot's own number (coexistence:
   * Meta's {@code smb_message_echoes} field). It is not the customer's message: the conversation is handed
   * to that person, as if an agent took it, and the bot stays quiet.
   *
   * @param kind the echoed message's type ({@code text}, {@code image}...)
   * @param body its text or caption, or null
   */
  record BusinessEcho(Meta meta, String kind, String body) implements InboundMessage {
    public String type() {
      return "smb_echo";
    }
  }

  /**
   * Anything else: {@code unsupported} (e.g. a poll or view-once media), {@code system} messages that
   * are not identity changes, and types newer than this code. {@code raw} is the message object as
   * received; {@link #errors()} has Meta's explanation when it gave one (code 131051 for an unsupported
   * type).
   */
  record Unsupported(Meta meta, String type, JsonObject raw) implements InboundMessage {

    /** The {@code errors[]} Meta attached to the message (code, title, message, details); empty when none. */
    public List<WebhookError> errors() {
      List<WebhookError> errors = new ArrayList<>();
      if (raw.getValue("errors") instanceof JsonArray array) {
        array.forEach(e -> {
          if (e instanceof JsonObject error) {
            errors.add(WebhookParser.parseError(error));
          }
        });
      }
      return errors;
    }
  }
}
