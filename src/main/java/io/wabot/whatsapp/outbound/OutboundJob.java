package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import java.util.Optional;

/**
 * An outbound job's payload, typed: parsed once from the stored JSON ({@link #decode}) and written back
 * only by {@link #encode}, the one codec of the format {@link OutboundJobs} documents. The sender
 * dispatches on the type instead of comparing {@code kind} strings.
 */
public sealed interface OutboundJob {

  String KIND_MESSAGE = "message";
  String KIND_READ = "read";

  /** The Cloud API request body, as the producer built it with the typed builders. */
  JsonObject body();

  /** The customer's conversation key, or the job's conversation for jobs stored before identities. */
  String customerKey();

  String kind();

  /**
   * The business number that sends it ({@code phone_number_id}): the one the customer wrote to. Null for jobs
   * stored before numbers were configurable; those go out from the default number.
   */
  String number();

  /** The same job with another request body (e.g. once its stored media file is uploaded); the stored job is not changed. */
  OutboundJob withBody(JsonObject body);

  JsonObject encode();

  /**
   * A message to a customer or to the team.
   *
   * @param to           the address: phone number or BSUID
   * @param locale       the customer's locale, for a template fallback when the 24 h window has closed
   * @param receivedAtMs when the inbound message that caused it arrived (0 if none), for latency
   * @param forTeam      for the business's own team: never replaced by the customers' window template
   * @param fallbackFor  the job whose refused reply this window template replaces, or null
   * @param number       the business number that sends it, or null for the default number
   * @param receipt      the read receipt ({@link MarkAsRead}'s body) of the inbound message this replies to, sent
   *                     with it instead of as a job of its own (see {@link OutboundJobs#reply}), or null
   */
  record Message(JsonObject body, String customerKey, String to, String locale, long receivedAtMs, boolean forTeam,
      String fallbackFor, String number, JsonObject receipt) implements OutboundJob {

    /** A message that carries no read receipt. */
    public Message(JsonObject body, String customerKey, String to, String locale, long receivedAtMs, boolean forTeam,
        String fallbackFor, String number) {
      this(body, customerKey, to, locale, receivedAtMs, forTeam, fallbackFor, number, null);
    }

    @Override
    public String kind() {
      return KIND_MESSAGE;
    }

    @Override
    public Message withBody(JsonObject other) {
      return new Message(other, customerKey, to, locale, receivedAtMs, forTeam, fallbackFor, number, receipt);
    }

    /**
     * The read receipt to send with this message: as stored on the first request; on a later one without its
     * typing indicator (by then the reply may be out, and "typing…" under it confuses the customer).
     */
    public Optional<JsonObject> receiptFor(boolean firstRequest) {
      return receipt == null ? Optional.empty() : Optional.of(firstRequest ? receipt : withoutTyping(receipt));
    }

    public CustomerIdentity customer() {
      return CustomerIdentity.ofAddress(customerKey, to);
    }

    /** The template this message is, typed; empty when it is another kind of message. */
    public Optional<TemplateMessage> template() {
      return TemplateMessage.fromJson(body);
    }

    /** This job sending another message instead (e.g. the template in its next language); the stored job is not changed. */
    public Message sending(OutboundMessage message) {
      return withBody(message.toJson());
    }

    @Override
    public JsonObject encode() {
      JsonObject data = new JsonObject().put("kind", KIND_MESSAGE).put("body", body).put("to", to)
          .put("customer", customerKey).put("locale", locale).put("receivedAtMs", receivedAtMs);
      if (forTeam) {
        data.put("audience", OutboundJobs.AUDIENCE_TEAM);
      }
      if (fallbackFor != null) {
        data.put("fallbackFor", fallbackFor);
      }
      if (number != null) {
        data.put("number", number);
      }
      if (receipt != null) {
        data.put("receipt", receipt);
      }
      return data;
    }
  }

  /** A read receipt (with or without a typing indicator). */
  record ReadReceipt(JsonObject body, String customerKey, String number) implements OutboundJob {

    @Override
    public String kind() {
      return KIND_READ;
    }

    @Override
    public ReadReceipt withBody(JsonObject other) {
      return new ReadReceipt(other, customerKey, number);
    }

    /** Sent again after a failure it loses its typing indicator: by then the reply may be out. */
    public JsonObject bodyWithoutTyping() {
      return withoutTyping(body);
    }

    @Override
    public JsonObject encode() {
      JsonObject data = new JsonObject().put("kind", KIND_READ).put("body", body).put("customer", customerKey);
      return number == null ? data : data.put("number", number);
    }
  }

  /** A read receipt's body without its typing indicator. */
  private static JsonObject withoutTyping(JsonObject receipt) {
    JsonObject plain = receipt.copy();
    plain.remove("typing_indicator");
    return plain;
  }

  /**
   * Reads a stored payload; a payload without {@code kind} is a message (the first format).
   *
   * @throws IllegalArgumentException for a kind this version does not know
   */
  static OutboundJob decode(JsonObject payload, String conversationId) {
    String kind = payload.getString("kind", KIND_MESSAGE);
    JsonObject body = payload.getJsonObject("body", new JsonObject());
    String customerKey = payload.getString("customer", conversationId);
    return switch (kind) {
      case KIND_MESSAGE -> new Message(body, customerKey, payload.getString("to"), payload.getString("locale"),
          payload.getLong("receivedAtMs", 0L), OutboundJobs.AUDIENCE_TEAM.equals(payload.getString("audience")),
          payload.getString("fallbackFor"), payload.getString("number"), payload.getJsonObject("receipt"));
      case KIND_READ -> new ReadReceipt(body, customerKey, payload.getString("number"));
      default -> throw new IllegalArgumentException("unknown outbound job kind \"" + kind + "\"");
    };
  }
}
