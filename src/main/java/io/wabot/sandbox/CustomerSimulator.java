package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.wabot.media.MediaKind;
import java.util.Base64;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.common.SignatureVerifier;
import io.wabot.config.AppConfig;
import io.wabot.config.NumberConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Meta's side of the webhook: builds the payloads a customer's phone would cause (messages,
 * delivery statuses, identity changes) for one of the business numbers, addressed to it
 * ({@code metadata.phone_number_id}) and signed with the secret of its app, as Meta signs each app's
 * webhooks, and POSTs them to the bot's own {@code /webhook} over real HTTP, so the signature check, the
 * queue and the workers all run. Like
 * Meta since April 2026, every payload names the customer by BSUID ({@code from_user_id},
 * {@code user_id}) and by phone number only when the customer shares it.
 */
final class CustomerSimulator {

  static final String DISPLAY_NUMBER = "15550000000";
  /** The countries the page offers, by calling code, for the BSUID's country prefix. */
  private static final Map<String, String> COUNTRY_OF_CALLING_CODE = Map.of("52", "MX", "1", "US", "34", "ES", "44", "GB",
      "57", "CO", "54", "AR");

  private final WebClient client;
  /** By app secret: one signer per Meta app. */
  private final Map<String, SignatureVerifier> signers = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final SimulatedMediaLibrary library;
  /** The largest file the page may attach: an image's limit at Meta, and small enough for a JSON body. */
  static final int ATTACHMENT_LIMIT = 5 * 1024 * 1024;

  CustomerSimulator(Vertx vertx, AppConfig config, SimulatedMediaLibrary library) {
    this.library = library;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.http().port()).setKeepAlive(true));
  }

  String newWamid() {
    return "wamid.SANDBOX" + Long.toString(System.currentTimeMillis(), 36).toUpperCase()
        + sequence.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
  }

  /** A new business-scoped user id for a customer of this country, e.g. {@code MX.13491208655302741918}. */
  static String newBsuid(String country) {
    StringBuilder id = new StringBuilder(country).append('.');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 20; i++) {
      id.append(random.nextInt(10));
    }
    return id.toString();
  }

  /** The ISO country of a phone number the page offers ({@code 52…} → {@code MX}); {@code US} otherwise. */
  static String countryOf(String phone) {
    for (int length = 2; length >= 1; length--) {
      String country = phone.length() > length ? COUNTRY_OF_CALLING_CODE.get(phone.substring(0, length)) : null;
      if (country != null) {
        return country;
      }
    }
    return "US";
  }

  /** The message's sender fields: {@code from_user_id} always, {@code from} only when the phone number is shared. */
  private JsonObject sentBy(SandboxState.Customer customer, String wamid) {
    JsonObject message = new JsonObject().put("from_user_id", customer.bsuid()).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    if (customer.phone() != null) {
      message.put("from", customer.phone());
    }
    return message;
  }

  /**
   * The Cloud API message object for what the page sent: {@code {"type": "text", "text": "hi"}},
   * {@code {"type": "button"|"list", "id", "title", "description", "context"}}, a media kind, or the
   * completion of a WhatsApp Flow, {@code {"type": "flow_reply", "response": {...}, "context"}}.
   */
  JsonObject message(SandboxState.Customer customer, String wamid, JsonObject request) {
    JsonObject message = sentBy(customer, wamid);
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
      case "flow_reply" -> message.put("type", "interactive").put("interactive", new JsonObject().put("type", "nfm_reply")
          .put("nfm_reply", new JsonObject().put("name", "flow").put("body", "Sent")
              .put("response_json", request.getJsonObject("response", new JsonObject()).encode())));
      case "image", "document" -> message.put("type", type).put(type, media(type, request));
      case "audio" -> message.put("type", "audio").put("audio", media(type, request).put("voice", true));
      case "sticker" -> message.put("type", "sticker").put("sticker", media(type, request).put("animated", false));
      case "ad" -> message.put("type", "text").put("text", new JsonObject().put("body", request.getString("text",
          "Hi! I saw your ad. Is the spring sale still on?"))).put("referral", adReferral());
      case "location" -> message.put("type", "location").put("location", new JsonObject()
          .put("latitude", 19.4326).put("longitude", -99.1332).put("name", "Zócalo").put("address", "Centro, Ciudad de México"));
      default -> throw new IllegalArgumentException("unknown message type \"" + type + "\"; use text, button, list, image,"
          + " document, audio, sticker, location, flow_reply or ad");
    }
    if (request.getString("context") != null) {
      message.put("context", new JsonObject().put("from", DISPLAY_NUMBER).put("id", request.getString("context")));
    }
    return message;
  }

  /** What Meta adds to the first message of a customer who tapped a click-to-WhatsApp ad. */
  private JsonObject adReferral() {
    return new JsonObject().put("source_url", "https://fb.me/sandbox-ad").put("source_id", "120200000000000001")
        .put("source_type", "ad").put("headline", "Spring sale: 20% off everything").put("body", "Tap to chat with our team")
        .put("media_type", "image").put("image_url", "https://example.com/sandbox-ad.jpg")
        .put("ctwa_clid", "SANDBOX" + UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * The customer's file, put where the simulator serves media as Meta would: the one the page attached
   * ({@code data}: base64, {@code mimeType}, {@code filename}), else the kind's sample file.
   */
  private JsonObject media(String kind, JsonObject request) {
    SandboxSamples.Sample file = request.getString("data") == null ? SandboxSamples.of(kind) : attached(kind, request);
    String id = library.add(SimulatedMedia.ofBytes(file.content(), file.mimeType()));
    JsonObject media = new JsonObject().put("id", id).put("mime_type", "audio".equals(kind) ? "audio/ogg; codecs=opus"
        : file.mimeType());
    if (request.getString("caption") != null && !"audio".equals(kind) && !"sticker".equals(kind)) {
      media.put("caption", request.getString("caption"));
    }
    return "document".equals(kind) && file.filename() != null ? media.put("filename", file.filename()) : media;
  }

  private static SandboxSamples.Sample attached(String kind, JsonObject request) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(request.getString("data"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("data must be the file in base64");
    }
    if (bytes.length == 0 || bytes.length > ATTACHMENT_LIMIT) {
      throw new IllegalArgumentException("attach a file of 1 byte to " + ATTACHMENT_LIMIT / (1024 * 1024) + " MiB");
    }
    String mimeType = MediaKind.baseType(request.getString("mimeType"));
    MediaKind mediaKind = MediaKind.fromWireName(kind).orElseThrow();
    if (mimeType == null || !mediaKind.acceptsInbound(mimeType)) {
      throw new IllegalArgumentException("a " + kind + " cannot be " + mimeType + "; WhatsApp takes "
          + mediaKind.sendableTypes());
    }
    return new SandboxSamples.Sample(Buffer.buffer(bytes), mimeType, request.getString("filename"));
  }

  /**
   * The system message a change of number causes: {@code user_changed_number} with the new number when
   * it may be shared, {@code user_changed_user_id} (BSUID only) when the customer hides it. Sent from the
   * customer's old ids; {@code system.user_id} is the new BSUID.
   */
  JsonObject identityChange(SandboxState.Customer before, SandboxState.Customer after, String wamid) {
    JsonObject system = new JsonObject().put("user_id", after.bsuid());
    if (after.phone() != null) {
      system.put("type", "user_changed_number").put("wa_id", after.phone())
          .put("body", "User " + before.name() + " changed from " + before.phone() + " to " + after.phone());
    } else {
      system.put("type", "user_changed_user_id")
          .put("body", "User " + before.name() + " changed from " + before.bsuid() + " to " + after.bsuid());
    }
    return sentBy(before, wamid).put("type", "system").put("system", system);
  }

  /**
   * POSTs a customer message; the future holds the webhook's HTTP status. System messages come without
   * contacts, as Meta sends them.
   */
  Future<Integer> deliver(NumberConfig business, SandboxState.Customer customer, JsonObject message) {
    JsonObject value = value(business.phoneNumberId()).put("messages", new JsonArray().add(message));
    if (!"system".equals(message.getString("type"))) {
      JsonObject profile = new JsonObject().put("name", customer.name());
      if (customer.username() != null) {
        profile.put("username", customer.username());
      }
      JsonObject contact = new JsonObject().put("user_id", customer.bsuid()).put("profile", profile);
      if (customer.phone() != null) {
        contact.put("wa_id", customer.phone());
      }
      value.put("contacts", new JsonArray().add(contact));
    }
    return post(business, "messages", value);
  }

  /**
   * POSTs a delivery status of a message the bot sent, naming the recipient as Meta does (BSUID, and phone
   * number when shared) and echoing the send's {@code biz_opaque_callback_data} (null when it had none).
   */
  Future<Integer> status(NumberConfig business, SandboxState.Customer customer, String wamid, String status,
      String callbackData) {
    return post(business, "messages", value(business.phoneNumberId()).put("statuses", new JsonArray()
        .add(statusReport(customer.bsuid(), customer.phone(), customer.id(), wamid, status, callbackData))));
  }

  /**
   * One entry of a status webhook's {@code statuses}, shaped as Meta sends it: {@code recipient_user_id}
   * when the BSUID is known, {@code recipient_id} when the phone number may be shared.
   */
  static JsonObject statusReport(String bsuid, String phone, String conversationId, String wamid, String status,
      String callbackData) {
    JsonObject report = new JsonObject().put("id", wamid).put("status", status)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
        .put("conversation", new JsonObject().put("id", "sandbox-conversation-" + conversationId)
            .put("origin", new JsonObject().put("type", "service")))
        .put("pricing", new JsonObject().put("billable", false).put("pricing_model", "PMP").put("category", "service"));
    if (bsuid != null) {
      report.put("recipient_user_id", bsuid);
    }
    if (phone != null) {
      report.put("recipient_id", phone);
    }
    return callbackData == null ? report : report.put("biz_opaque_callback_data", callbackData);
  }

  /**
   * POSTs an {@code smb_message_echoes} change: a person at the business answered {@code customer} from the
   * WhatsApp Business app on the bot's number ({@code to} the phone number when shared, {@code to_user_id}
   * the BSUID).
   */
  Future<Integer> echo(NumberConfig business, SandboxState.Customer customer, String wamid, String text) {
    JsonObject echo = new JsonObject().put("from", DISPLAY_NUMBER).put("id", wamid)
        .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", "text")
        .put("text", new JsonObject().put("body", text)).put("to_user_id", customer.bsuid());
    if (customer.phone() != null) {
      echo.put("to", customer.phone());
    }
    return post(business, "smb_message_echoes", value(business.phoneNumberId())
        .put("message_echoes", new JsonArray().add(echo)));
  }

  /**
   * POSTs a change of an account-level field ({@code message_template_status_update}...), shaped as Meta sends it,
   * signed by the app of {@code business} (the account's number the page shows).
   */
  Future<Integer> accountChange(NumberConfig business, String field, JsonObject value) {
    return post(business, field, value);
  }

  /** The {@code value} of a {@code messages} change addressed to a phone number id. */
  static JsonObject value(String phoneNumberId) {
    return new JsonObject().put("messaging_product", "whatsapp").put("metadata", new JsonObject()
        .put("display_phone_number", DISPLAY_NUMBER).put("phone_number_id", phoneNumberId));
  }

  /** The whole webhook body around one change's value. */
  static JsonObject envelope(String field, JsonObject value) {
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
        .add(new JsonObject().put("id", "sandbox-waba").put("changes", new JsonArray()
            .add(new JsonObject().put("field", field).put("value", value)))));
  }

  /** Signed with the secret of the business number's app. */
  private Future<Integer> post(NumberConfig business, String field, JsonObject value) {
    Buffer bytes = envelope(field, value).toBuffer();
    SignatureVerifier signer = signers.computeIfAbsent(business.appSecret().value(), SignatureVerifier::new);
    return client.post("/webhook").putHeader("content-type", "application/json")
        .putHeader("X-Hub-Signature-256", signer.sign(bytes))
        .sendBuffer(bytes).map(response -> response.statusCode());
  }

  void close() {
    client.close();
  }
}
