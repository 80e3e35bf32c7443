package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.wabot.common.SignatureVerifier;
import io.wabot.flows.FlowCrypto;
import java.security.interfaces.RSAPublicKey;
import java.util.function.Supplier;

/**
 * Plays Meta's WhatsApp client against the bot's {@code POST /flows}, exactly as Meta would: each
 * request gets a fresh AES key encrypted with the business's public key, the payload is encrypted with
 * AES-128-GCM, the body is signed with the app secret ({@code X-Hub-Signature-256}), and the answer is
 * decrypted with the same key and the flipped IV. On 421 it fetches the public key again (from
 * {@code keySource}, e.g. what was uploaded to the {@link GraphApiSimulator}) and retries once, as
 * Meta's clients do after a key rotation.
 *
 * <p>Tests and the sandbox drive the real endpoint with it: {@link #ping()}, {@link #init},
 * {@link #dataExchange}, {@link #back}, {@link #errorNotification}.
 */
public final class FlowsClientSimulator {

  static final String DATA_API_VERSION = "3.0";

  private final WebClient client;
  private final String endpoint;
  private final SignatureVerifier signer;
  private final Supplier<RSAPublicKey> keySource;
  private RSAPublicKey publicKey;

  /**
   * One exchange as Meta's client saw it.
   *
   * @param status    the HTTP status
   * @param request   the payload sent (before encryption)
   * @param answer    the decrypted answer; null when there was no body or it did not decrypt
   * @param body      the raw body as received
   * @param refetched whether a 421 made the client fetch the public key and send again
   */
  public record Exchange(int status, JsonObject request, JsonObject answer, String body, boolean refetched) {

    /** The screen the answer shows, or null. */
    public String screen() {
      return answer == null ? null : answer.getString("screen");
    }

    /** The answer's {@code data}, or an empty object. */
    public JsonObject data() {
      return answer == null || answer.getJsonObject("data") == null ? new JsonObject() : answer.getJsonObject("data");
    }

    public JsonObject toJson() {
      return new JsonObject().put("status", status).put("request", request).put("answer", answer).put("refetched", refetched);
    }
  }

  /**
   * @param botBaseUrl e.g. {@code http://127.0.0.1:8080}
   * @param appSecret  the app secret the bot verifies signatures with
   * @param keySource  the business's current public key, as Meta's client would fetch it
   */
  public FlowsClientSimulator(Vertx vertx, String botBaseUrl, String appSecret, Supplier<RSAPublicKey> keySource) {
    this.client = WebClient.create(vertx);
    this.endpoint = botBaseUrl + "/flows";
    this.signer = new SignatureVerifier(appSecret);
    this.keySource = keySource;
    this.publicKey = keySource.get();
  }

  /** Meta's health check. */
  public Future<Exchange> ping() {
    return send(new JsonObject().put("version", DATA_API_VERSION).put("action", "ping"));
  }

  /** The customer opens a flow sent with the {@code data_exchange} action. */
  public Future<Exchange> init(String flowToken) {
    return send(request("INIT", flowToken, null, null));
  }

  /** The customer submits {@code screen} with its action's payload. */
  public Future<Exchange> dataExchange(String flowToken, String screen, JsonObject data) {
    return send(request("data_exchange", flowToken, screen, data));
  }

  /** The customer goes back to {@code screen} (declared with {@code refresh_on_back}). */
  public Future<Exchange> back(String flowToken, String screen) {
    return send(request("BACK", flowToken, screen, null));
  }

  /** The client reports that an answer could not be used. */
  public Future<Exchange> errorNotification(String flowToken, String screen, String error, String message) {
    return send(request("data_exchange", flowToken, screen, new JsonObject().put("error", error).put("error_message", message)));
  }

  /** Any payload, encrypted and signed as Meta would. */
  public Future<Exchange> send(JsonObject payload) {
    return post(payload).compose(first -> first.status() != 421 || keySource.get().equals(publicKey)
        ? Future.succeededFuture(first)
        : refetched(payload));
  }

  private Future<Exchange> refetched(JsonObject payload) {
    publicKey = keySource.get();
    return post(payload).map(again -> new Exchange(again.status(), again.request(), again.answer(), again.body(), true));
  }

  private Future<Exchange> post(JsonObject payload) {
    FlowCrypto.Sealed sealed = FlowCrypto.encryptRequest(publicKey, payload);
    Buffer body = sealed.request().toJson().toBuffer();
    return client.postAbs(endpoint).putHeader("content-type", "application/json")
        .putHeader("X-Hub-Signature-256", signer.sign(body))
        .sendBuffer(body)
        .map(response -> new Exchange(response.statusCode(), payload, answer(response, sealed), text(response), false));
  }

  private static JsonObject answer(HttpResponse<Buffer> response, FlowCrypto.Sealed sealed) {
    String body = text(response);
    if (body.isBlank()) {
      return null;
    }
    try {
      return FlowCrypto.decryptResponse(body, sealed.aesKey(), sealed.iv());
    } catch (FlowCrypto.UndecryptableException e) {
      return null;
    }
  }

  private static String text(HttpResponse<Buffer> response) {
    return response.body() == null ? "" : response.bodyAsString();
  }

  private static JsonObject request(String action, String flowToken, String screen, JsonObject data) {
    JsonObject payload = new JsonObject().put("version", DATA_API_VERSION).put("action", action).put("flow_token", flowToken);
    if (screen != null) {
      payload.put("screen", screen);
    }
    return payload.put("data", data == null ? new JsonObject() : data);
  }

  public void close() {
    client.close();
  }
}
