package io.wabot.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.SignatureVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds Cloud API webhook bodies as Meta sends them, and POSTs them signed. */
public final class Webhooks {

  private static final AtomicLong SEQUENCE = new AtomicLong();
  // HTTP/1.1 as Meta speaks it: the JDK client's default h2c upgrade attempt can misread a large plain answer
  // (seen on /metrics as "Frame type(101) ... exceeds MAX_FRAME_SIZE").
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Webhooks() {
  }

  public static String newWamid() {
    return "wamid.TEST" + System.nanoTime() + "_" + SEQUENCE.incrementAndGet();
  }

  public static JsonObject textMessage(String wamid, String from, String body) {
    return new JsonObject().put("from", from).put("id", wamid).put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
        .put("type", "text").put("text", new JsonObject().put("body", body));
  }

  public static JsonObject buttonReply(String wamid, String from, String buttonId, String title) {
    return new JsonObject().put("from", from).put("id", wamid).put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
        .put("type", "interactive").put("interactive", new JsonObject().put("type", "button_reply")
            .put("button_reply", new JsonObject().put("id", buttonId).put("title", title)));
  }

  public static JsonObject status(String wamid, String recipient, String status) {
    return new JsonObject().put("id", wamid).put("status", status).put("recipient_id", recipient)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
  }

  /** A change of field "messages" with the given messages and statuses. */
  public static JsonObject change(String phoneNumberId, JsonArray messages, JsonArray statuses) {
    JsonArray contacts = new JsonArray();
    for (Object m : messages) {
      String from = ((JsonObject) m).getString("from");
      contacts.add(new JsonObject().put("wa_id", from).put("profile", new JsonObject().put("name", "Customer " + from)));
    }
    JsonObject value = new JsonObject().put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", phoneNumberId));
    if (!messages.isEmpty()) {
      value.put("contacts", contacts).put("messages", messages);
    }
    if (statuses != null && !statuses.isEmpty()) {
      value.put("statuses", statuses);
    }
    return new JsonObject().put("field", "messages").put("value", value);
  }

  public static JsonObject envelope(JsonObject... changes) {
    JsonArray changeArray = new JsonArray();
    for (JsonObject c : changes) {
      changeArray.add(c);
    }
    return new JsonObject().put("object", "whatsapp_business_account")
        .put("entry", new JsonArray().add(new JsonObject().put("id", "102290129340398").put("changes", changeArray)));
  }

  /** A change of an account-level field (templates, quality, account_update...): no metadata, as Meta sends it. */
  public static JsonObject fieldChange(String field, JsonObject value) {
    return new JsonObject().put("field", field).put("value", value);
  }

  /** {@code message_template_status_update} for a template in en_US. */
  public static JsonObject templateStatus(String template, String event, String reason) {
    return fieldChange("message_template_status_update", new JsonObject().put("event", event)
        .put("message_template_id", 594425479261596L).put("message_template_name", template)
        .put("message_template_language", "en_US").put("reason", reason).put("message_template_category", "UTILITY"));
  }

  /** {@code phone_number_quality_update} with an event such as FLAGGED, UNFLAGGED, DOWNGRADE. */
  public static JsonObject phoneQuality(String event, String currentLimit) {
    return fieldChange("phone_number_quality_update", new JsonObject().put("display_phone_number", "15550783881")
        .put("event", event).put("current_limit", currentLimit));
  }

  /** {@code smb_message_echoes}: the business answered {@code to} from the WhatsApp Business app. */
  public static JsonObject echo(String wamid, String to, String body) {
    JsonObject echo = new JsonObject().put("from", "15550783881").put("to", to).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", "text")
        .put("text", new JsonObject().put("body", body));
    return envelope(new JsonObject().put("field", "smb_message_echoes").put("value", new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", TestApps.PHONE_NUMBER_ID))
        .put("message_echoes", new JsonArray().add(echo))));
  }

  /** A customer's message from a click-to-WhatsApp ad, with Meta's {@code referral} object. */
  public static JsonObject fromAd(String wamid, String from, String body, String ctwaClid) {
    JsonObject message = textMessage(wamid, from, body).put("referral", new JsonObject()
        .put("source_url", "https://fb.me/3cr4Wqqkv").put("source_id", "120211111111111111").put("source_type", "ad")
        .put("headline", "Spring sale: 20% off").put("body", "Tap to chat with us").put("media_type", "image")
        .put("image_url", "https://scontent.xx.fbcdn.net/ad.jpg").put("ctwa_clid", ctwaClid));
    return envelope(change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(message), null));
  }

  /** A cart from the catalog: {@code items} as product retailer id → quantity, at 12.5 USD each. */
  public static JsonObject order(String wamid, String from, Map<String, Integer> items) {
    JsonArray lines = new JsonArray();
    items.forEach((product, quantity) -> lines.add(new JsonObject().put("product_retailer_id", product)
        .put("quantity", quantity).put("item_price", 12.5).put("currency", "USD")));
    JsonObject message = new JsonObject().put("from", from).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", "order")
        .put("order", new JsonObject().put("catalog_id", "1234567890").put("text", "for Saturday").put("product_items", lines));
    return envelope(change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(message), null));
  }

  /** A status with Meta's {@code pricing} and {@code conversation} objects. */
  public static JsonObject pricedStatus(String wamid, String recipient, String status, String category, boolean billable,
      String conversationId) {
    return status(wamid, recipient, status)
        .put("conversation", new JsonObject().put("id", conversationId).put("origin", new JsonObject().put("type", category)))
        .put("pricing", new JsonObject().put("billable", billable).put("pricing_model", "PMP").put("category", category)
            .put("type", billable ? "regular" : "free_customer_service"));
  }

  /** A webhook carrying one text message to the test phone number id. */
  public static JsonObject text(String wamid, String from, String body) {
    return envelope(change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(textMessage(wamid, from, body)), null));
  }

  public static HttpResponse<String> post(int port, String body, String signature) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a body signed with the test app secret, as Meta would. */
  public static HttpResponse<String> postSigned(int port, JsonObject body) throws Exception {
    String encoded = body.encode();
    return post(port, encoded, sign(encoded));
  }

  public static String sign(String body) {
    return new SignatureVerifier(TestApps.APP_SECRET).sign(Buffer.buffer(body));
  }

  public static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
