package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.config.AppConfig;
import io.wabot.webhook.SignatureVerifier;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Meta's side of the webhook: builds the payloads a customer's phone would cause (messages and
 * delivery statuses), signs them with the app secret and POSTs them to the bot's own
 * {@code /webhook} over real HTTP, so the signature check, the queue and the workers all run.
 */
final class CustomerSimulator {

  static final String DISPLAY_NUMBER = "15550000000";

  private final AppConfig config;
  private final WebClient client;
  private final SignatureVerifier signer;
  private final AtomicLong sequence = new AtomicLong();

  CustomerSimulator(Vertx vertx, AppConfig config) {
    this.config = config;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.http().port()).setKeepAlive(true));
    this.signer = new SignatureVerifier(config.whatsapp().appSecret().value());
  }

  String newWamid() {
    return "wamid.SANDBOX" + Long.toString(System.currentTimeMillis(), 36).toUpperCase()
        + sequence.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
  }

  /**
   * The Cloud API message object for what the page sent: {@code {"type": "text", "text": "hi"}},
   * {@code {"type": "button"|"list", "id", "title", "description", "context"}}, or a media kind.
   */
  JsonObject message(String customer, String wamid, JsonObject request) {
    JsonObject message = new JsonObject().put("from", customer).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    String type = request.getString("type", "text");
    switch (type) {
      case "text" -> message.put("type", "text").put("text", new JsonObject().put("body", request.getString("text", "")));
      case "button" -> message.put("type", "interactive").put("interactive", new JsonObject().put("type", "button_reply")
          .put("button_reply", new JsonObject().put("id", request.getString("id")).put("title", request.getString("title"))));
      case "list" -> {
        JsonObject reply = new JsonObject().put("id", request.getString("id")).put("title", request.getString("title"));
        if (request.getString("description") != null) {
          reply.put("description", request.getString("description"));
        }
        message.put("type", "interactive").put("interactive", new JsonObject().put("type", "list_reply").put("list_reply", reply));
      }
      case "image" -> message.put("type", "image").put("image", media("image/jpeg"));
      case "audio" -> message.put("type", "audio").put("audio", media("audio/ogg; codecs=opus").put("voice", true));
      case "sticker" -> message.put("type", "sticker").put("sticker", media("image/webp").put("animated", false));
      case "location" -> message.put("type", "location").put("location", new JsonObject()
          .put("latitude", 19.4326).put("longitude", -99.1332).put("name", "Zócalo").put("address", "Centro, Ciudad de México"));
      default -> throw new IllegalArgumentException("unknown message type \"" + type + "\"; use text, button, list, image,"
          + " audio, sticker or location");
    }
    if (request.getString("context") != null) {
      message.put("context", new JsonObject().put("from", DISPLAY_NUMBER).put("id", request.getString("context")));
    }
    return message;
  }

  private JsonObject media(String mimeType) {
    return new JsonObject().put("id", "sandbox-media-" + sequence.incrementAndGet()).put("mime_type", mimeType)
        .put("sha256", "c2FuZGJveA==");
  }

  /** POSTs a customer message; the future holds the webhook's HTTP status. */
  Future<Integer> deliver(String customer, String profileName, JsonObject message) {
    JsonObject value = value(config.whatsapp().phoneNumberId()).put("contacts", new JsonArray().add(new JsonObject().put("wa_id", customer)
        .put("profile", new JsonObject().put("name", profileName)))).put("messages", new JsonArray().add(message));
    return post(value);
  }

  /**
   * POSTs a delivery status of a message the bot sent, echoing the send's {@code biz_opaque_callback_data}
   * (null when it had none) as Meta does.
   */
  Future<Integer> status(String customer, String wamid, String status, String callbackData) {
    return post(value(config.whatsapp().phoneNumberId())
        .put("statuses", new JsonArray().add(statusReport(customer, wamid, status, callbackData))));
  }

  /** One entry of a status webhook's {@code statuses}, shaped as Meta sends it. */
  static JsonObject statusReport(String customer, String wamid, String status, String callbackData) {
    JsonObject report = new JsonObject().put("id", wamid).put("status", status)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("recipient_id", customer)
        .put("conversation", new JsonObject().put("id", "sandbox-conversation-" + customer)
            .put("origin", new JsonObject().put("type", "service")))
        .put("pricing", new JsonObject().put("billable", false).put("pricing_model", "PMP").put("category", "service"));
    return callbackData == null ? report : report.put("biz_opaque_callback_data", callbackData);
  }

  /** The {@code value} of a {@code messages} change addressed to a phone number id. */
  static JsonObject value(String phoneNumberId) {
    return new JsonObject().put("messaging_product", "whatsapp").put("metadata", new JsonObject()
        .put("display_phone_number", DISPLAY_NUMBER).put("phone_number_id", phoneNumberId));
  }

  /** The whole webhook body around one change's value. */
  static JsonObject envelope(JsonObject value) {
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
        .add(new JsonObject().put("id", "sandbox-waba").put("changes", new JsonArray()
            .add(new JsonObject().put("field", "messages").put("value", value)))));
  }

  private Future<Integer> post(JsonObject value) {
    Buffer bytes = envelope(value).toBuffer();
    return client.post("/webhook").putHeader("content-type", "application/json")
        .putHeader("X-Hub-Signature-256", signer.sign(bytes))
        .sendBuffer(bytes).map(response -> response.statusCode());
  }

  void close() {
    client.close();
  }
}
