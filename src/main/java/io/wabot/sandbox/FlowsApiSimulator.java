package io.wabot.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabot.flows.FlowJsonValidator;
import java.io.StringReader;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * The Graph API's WhatsApp Flows management, as far as the bot's scripts use it, on the
 * {@link GraphApiSimulator}'s router: the business public key of the phone number
 * ({@code /{phone-number-id}/whatsapp_business_encryption}), and the flows of a business account
 * (list and create on {@code /{waba-id}/flows}, the Flow JSON asset on {@code /{flow-id}/assets},
 * metadata on {@code /{flow-id}}, {@code /{flow-id}/publish}). Like Meta it wants the bearer token,
 * refuses keys that are not 2048-bit RSA, reports Flow JSON problems as {@code validation_errors},
 * and never changes a published flow. The uploaded public key is what {@link FlowsClientSimulator}
 * encrypts with, as Meta's clients fetch it.
 */
public final class FlowsApiSimulator {

  private final Vertx vertx;
  private final SimulatedNumbers numbers;
  private final Map<String, JsonObject> flows = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong(1_000_000_000_000_000L);
  private volatile String publicKeyPem;

  FlowsApiSimulator(Vertx vertx, SimulatedNumbers numbers) {
    this.vertx = vertx;
    this.numbers = numbers;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(10L * 1024 * 1024).setDeleteUploadedFilesOnEnd(true);
    router.post("/:version/:phoneNumberId/whatsapp_business_encryption").handler(body).handler(this::setKey);
    router.get("/:version/:phoneNumberId/whatsapp_business_encryption").handler(this::getKey);
    router.get("/:version/:wabaId/flows").handler(this::list);
    router.post("/:version/:wabaId/flows").handler(body).handler(this::create);
    router.post("/:version/:flowId/assets").handler(body).handler(this::asset);
    router.post("/:version/:flowId/publish").handler(this::publish);
    router.post("/:version/:flowId").handler(body).handler(this::metadata);
  }

  /** The public key uploaded for the phone number, as Meta's clients would fetch it; empty before any upload. */
  public Optional<RSAPublicKey> publicKey() {
    String pem = publicKeyPem;
    return pem == null ? Optional.empty() : Optional.ofNullable(parse(pem));
  }

  /** Sets the key as an upload would (the sandbox does it with the bot's configured key). */
  public void usePublicKey(String pem) {
    publicKeyPem = pem;
  }

  /** The flows on the simulated account, each {@code {id, name, status, categories, endpoint_uri, flow_json}}. */
  public synchronized List<JsonObject> flows() {
    return flows.values().stream().map(JsonObject::copy).toList();
  }

  // ---- the encryption key -------------------------------------------------------------------

  private void setKey(RoutingContext ctx) {
    if (!allowed(ctx, true)) {
      return;
    }
    String pem = ctx.request().getFormAttribute("business_public_key");
    if (pem == null || parse(pem) == null) {
      error(ctx, 400, 100, "(#100) Invalid parameter", "business_public_key must be a 2048-bit RSA public key in PEM");
      return;
    }
    publicKeyPem = pem;
    ctx.json(new JsonObject().put("success", true));
  }

  private void getKey(RoutingContext ctx) {
    if (!allowed(ctx, true)) {
      return;
    }
    JsonArray data = new JsonArray();
    if (publicKeyPem != null) {
      data.add(new JsonObject().put("business_public_key", publicKeyPem).put("business_public_key_signature_status", "VALID"));
    }
    ctx.json(new JsonObject().put("data", data));
  }

  private static RSAPublicKey parse(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      if (parser.readObject() instanceof SubjectPublicKeyInfo info) {
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        return key.getModulus().bitLength() == 2048 ? key : null;
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  // ---- flows --------------------------------------------------------------------------------

  private synchronized void list(RoutingContext ctx) {
    if (!allowed(ctx, false)) {
      return;
    }
    JsonArray data = new JsonArray();
    String waba = ctx.pathParam("wabaId");
    flows.values().stream().filter(f -> waba.equals(f.getString("waba"))).forEach(f -> data.add(new JsonObject()
        .put("id", f.getString("id")).put("name", f.getString("name")).put("status", f.getString("status"))
        .put("categories", f.getJsonArray("categories")).put("validation_errors", new JsonArray())));
    ctx.json(new JsonObject().put("data", data));
  }

  private synchronized void create(RoutingContext ctx) {
    if (!allowed(ctx, false)) {
      return;
    }
    String name = ctx.request().getFormAttribute("name");
    JsonArray categories = jsonArray(ctx.request().getFormAttribute("categories"));
    if (name == null || name.isBlank() || categories == null || categories.isEmpty()) {
      error(ctx, 400, 100, "(#100) Invalid parameter", "name and categories (a JSON array, e.g. [\"OTHER\"]) are required");
      return;
    }
    String waba = ctx.pathParam("wabaId");
    if (flows.values().stream().anyMatch(f -> waba.equals(f.getString("waba")) && name.equals(f.getString("name")))) {
      error(ctx, 400, 100, "(#100) Invalid parameter", "Flow name is not unique");
      return;
    }
    String id = Long.toString(ids.incrementAndGet());
    flows.put(id, new JsonObject().put("id", id).put("waba", waba).put("name", name).put("status", "DRAFT")
        .put("categories", categories).put("endpoint_uri", ctx.request().getFormAttribute("endpoint_uri")));
    ctx.json(new JsonObject().put("id", id).put("success", true).put("validation_errors", new JsonArray()));
  }

  private void asset(RoutingContext ctx) {
    if (!allowed(ctx, false)) {
      return;
    }
    FileUpload file = ctx.fileUploads().stream().filter(f -> "file".equals(f.name())).findFirst().orElse(null);
    if (file == null || !"FLOW_JSON".equals(ctx.request().getFormAttribute("asset_type"))) {
      error(ctx, 400, 100, "(#100) Invalid parameter", "a multipart \"file\" and asset_type=FLOW_JSON are required");
      return;
    }
    vertx.fileSystem().readFile(file.uploadedFileName()).onComplete(read -> storeAsset(ctx, read.succeeded()
        ? read.result().toString() : null));
  }

  private synchronized void storeAsset(RoutingContext ctx, String text) {
    JsonObject flow = flows.get(ctx.pathParam("flowId"));
    if (flow == null) {
      unknownFlow(ctx);
      return;
    }
    if (!"DRAFT".equals(flow.getString("status"))) {
      error(ctx, 400, 139001, "Flow can't be updated", "Only a DRAFT flow can be updated; this one is " + flow.getString("status"));
      return;
    }
    JsonArray errors = new JsonArray();
    try {
      FlowJsonValidator.validate("flow.json", new JsonObject(text == null ? "" : text))
          .forEach(problem -> errors.add(new JsonObject().put("error", "INVALID_FLOW_JSON").put("error_type", "FLOW_JSON_ERROR")
              .put("message", problem)));
    } catch (DecodeException | ClassCastException e) {
      errors.add(new JsonObject().put("error", "INVALID_JSON").put("error_type", "JSON_DECODE_ERROR").put("message", "Invalid JSON"));
    }
    flow.put("flow_json", text).put("validation_errors", errors);
    ctx.json(new JsonObject().put("success", true).put("validation_errors", errors));
  }

  private synchronized void publish(RoutingContext ctx) {
    if (!allowed(ctx, false)) {
      return;
    }
    JsonObject flow = flows.get(ctx.pathParam("flowId"));
    if (flow == null) {
      unknownFlow(ctx);
    } else if (!"DRAFT".equals(flow.getString("status"))) {
      error(ctx, 400, 139002, "Publishing failed", "Only a DRAFT flow can be published; this one is " + flow.getString("status"));
    } else if (flow.getString("flow_json") == null || !flow.getJsonArray("validation_errors").isEmpty()) {
      error(ctx, 400, 139002, "Publishing failed", "The flow has no valid Flow JSON");
    } else {
      flow.put("status", "PUBLISHED");
      ctx.json(new JsonObject().put("success", true));
    }
  }

  private synchronized void metadata(RoutingContext ctx) {
    if (!allowed(ctx, false)) {
      return;
    }
    JsonObject flow = flows.get(ctx.pathParam("flowId"));
    if (flow == null) {
      unknownFlow(ctx);
      return;
    }
    String endpoint = ctx.request().getFormAttribute("endpoint_uri");
    if (endpoint != null) {
      flow.put("endpoint_uri", endpoint);
    }
    ctx.json(new JsonObject().put("success", true));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private boolean allowed(RoutingContext ctx, boolean phoneNumberPath) {
    if (!numbers.anyToken(ctx)) {
      error(ctx, 401, 190, "Invalid OAuth access token - Cannot parse access token", null);
      return false;
    }
    if (phoneNumberPath && !numbers.tokenOf(ctx.pathParam("phoneNumberId"), ctx)) {
      error(ctx, 400, 100, "Unsupported post request. Object with ID '" + ctx.pathParam("phoneNumberId")
          + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", null);
      return false;
    }
    return true;
  }

  private static void unknownFlow(RoutingContext ctx) {
    error(ctx, 400, 100, "Unsupported post request. Object with ID '" + ctx.pathParam("flowId") + "' does not exist", null);
  }

  private static void error(RoutingContext ctx, int status, int code, String message, String userMessage) {
    JsonObject error = new JsonObject().put("message", message).put("type", status == 401 ? "OAuthException" : "GraphMethodException")
        .put("code", code).put("fbtrace_id", "SIMULATED");
    if (userMessage != null) {
      error.put("error_user_msg", userMessage);
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", error).encode());
  }

  private static JsonArray jsonArray(String text) {
    try {
      return text == null ? null : new JsonArray(text);
    } catch (DecodeException e) {
      return null;
    }
  }
}
