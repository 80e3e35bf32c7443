package io.wabot.flows.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Graph API calls of the Flows scripts: the phone number's business public key, and the flows of
 * a business account. Blocking ({@code java.net.http}): it serves command-line tools, never the
 * service's event loops. In dry-run mode it makes the reading calls and prints the writing ones
 * instead of sending them; the access token is never printed.
 */
public final class GraphFlowsClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String version;
  private final String accessToken;
  private final PrintStream dryRun;

  /** A Graph API error, with Meta's message (and its explanation for people, when it gives one). */
  public static final class GraphCallException extends Exception {
    private final int status;

    GraphCallException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** @param dryRun where to print the writing calls instead of making them; null to make them */
  public GraphFlowsClient(String baseUrl, String version, String accessToken, PrintStream dryRun) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.version = version;
    this.accessToken = accessToken;
    this.dryRun = dryRun;
  }

  /** {@code POST /{phone-number-id}/whatsapp_business_encryption}: the key Meta's clients encrypt flow requests with. */
  public void uploadPublicKey(String phoneNumberId, String publicKeyPem) throws GraphCallException {
    write("POST", phoneNumberId + "/whatsapp_business_encryption", form(Map.of("business_public_key", publicKeyPem)),
        "application/x-www-form-urlencoded", "business_public_key=<the public key PEM>");
  }

  /** {@code GET /{waba-id}/flows}: each flow's {@code id}, {@code name} and {@code status}. */
  public List<JsonObject> flows(String businessAccountId) throws GraphCallException {
    JsonObject answer = send(HttpRequest.newBuilder(uri(businessAccountId + "/flows?fields=id,name,status&limit=100")).GET());
    List<JsonObject> flows = new ArrayList<>();
    answer.getJsonArray("data", new JsonArray()).forEach(f -> flows.add((JsonObject) f));
    return flows;
  }

  /** {@code POST /{waba-id}/flows}: a new DRAFT flow; its id. */
  public String createFlow(String businessAccountId, String name, List<String> categories, String endpointUri)
      throws GraphCallException {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("categories", new JsonArray(List.copyOf(categories)).encode());
    if (endpointUri != null) {
      fields.put("endpoint_uri", endpointUri);
    }
    JsonObject answer = write("POST", businessAccountId + "/flows", form(fields), "application/x-www-form-urlencoded",
        fields.toString());
    return answer.getString("id", "<new flow id>");
  }

  /** {@code POST /{flow-id}/assets}: the flow's Flow JSON; Meta's {@code validation_errors} (empty when none). */
  public JsonArray uploadFlowJson(String flowId, String flowJson) throws GraphCallException {
    String boundary = "----wabot" + UUID.randomUUID();
    String body = part(boundary, "name", null, "flow.json") + part(boundary, "asset_type", null, "FLOW_JSON")
        + part(boundary, "file", "flow.json", flowJson) + "--" + boundary + "--\r\n";
    JsonObject answer = write("POST", flowId + "/assets", body, "multipart/form-data; boundary=" + boundary,
        "name=flow.json, asset_type=FLOW_JSON, file=<" + flowJson.length() + " characters of Flow JSON>");
    return answer.getJsonArray("validation_errors", new JsonArray());
  }

  /** {@code POST /{flow-id}}: where the flow's data channel is. */
  public void setEndpoint(String flowId, String endpointUri) throws GraphCallException {
    write("POST", flowId, form(Map.of("endpoint_uri", endpointUri)), "application/x-www-form-urlencoded", "endpoint_uri=" + endpointUri);
  }

  /** {@code POST /{flow-id}/publish}: irreversible; a published flow can no longer be changed. */
  public void publish(String flowId) throws GraphCallException {
    write("POST", flowId + "/publish", "", "application/x-www-form-urlencoded", "(no body)");
  }

  private JsonObject write(String method, String path, String body, String contentType, String shown) throws GraphCallException {
    if (dryRun != null) {
      dryRun.println("  would " + method + " " + baseUrl + "/" + version + "/" + path + "  " + shown);
      return new JsonObject().put("success", true);
    }
    return send(HttpRequest.newBuilder(uri(path)).header("content-type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  private JsonObject send(HttpRequest.Builder request) throws GraphCallException {
    HttpResponse<String> response;
    try {
      response = http.send(request.header("Authorization", "Bearer " + accessToken).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new GraphCallException(0, "cannot reach " + baseUrl + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphCallException(0, "interrupted");
    }
    JsonObject json;
    try {
      json = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new GraphCallException(response.statusCode(), "HTTP " + response.statusCode() + " with a body that is not JSON");
    }
    if (response.statusCode() / 100 != 2) {
      JsonObject error = json.getJsonObject("error", new JsonObject());
      String user = error.getString("error_user_msg", error.getString("error_user_title"));
      throw new GraphCallException(response.statusCode(), "HTTP " + response.statusCode() + ", code " + error.getValue("code")
          + ": " + error.getString("message", "no message") + (user == null ? "" : " (" + user + ")")
          + (Integer.valueOf(190).equals(error.getValue("code")) ? " Check WHATSAPP_ACCESS_TOKEN." : ""));
    }
    return json;
  }

  private URI uri(String path) {
    return URI.create(baseUrl + "/" + version + "/" + path);
  }

  private static String form(Map<String, String> fields) {
    List<String> pairs = new ArrayList<>();
    fields.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", pairs);
  }

  private static String part(String boundary, String name, String fileName, String value) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
        + (fileName == null ? "" : "; filename=\"" + fileName + "\"\r\nContent-Type: application/json")
        + "\r\n\r\n" + value + "\r\n";
  }
}
