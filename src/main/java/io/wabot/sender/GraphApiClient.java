package io.wabot.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.wabot.config.NumberConfig;
import io.wabot.config.WhatsAppConfig;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WhatsApp Cloud API's messages endpoint: {@code POST {base}/{version}/{phone-number-id}/messages}
 * with the bearer token. Every outcome is a {@link SendResult}: the future never fails, so a network
 * error or a timeout is data like a 400 is.
 *
 * <p>The token goes into the header only; it is never logged. Request and answer bodies carry
 * customers' messages and are logged at debug level only.
 */
public final class GraphApiClient {

  private static final Logger LOG = LoggerFactory.getLogger(GraphApiClient.class);

  private final WebClient client;
  private final String url;
  private final String authorization;
  private final Duration requestTimeout;

  /**
   * @param requestTimeout the whole request's deadline (connect, send, answer)
   * @param maxConnections HTTP connections kept to the Graph API; about the number of requests in flight
   */
  public GraphApiClient(Vertx vertx, WhatsAppConfig whatsapp, Duration requestTimeout, int maxConnections) {
    this(vertx, whatsapp.messagesUrl(), whatsapp.accessToken().value(), requestTimeout, maxConnections);
  }

  /** One business number's client: {@code /{its id}/messages} with its token. */
  public GraphApiClient(Vertx vertx, WhatsAppConfig whatsapp, NumberConfig number, Duration requestTimeout,
      int maxConnections) {
    this(vertx, whatsapp.messagesUrl(number.phoneNumberId()), number.accessToken().value(), requestTimeout, maxConnections);
  }

  private GraphApiClient(Vertx vertx, String url, String token, Duration requestTimeout, int maxConnections) {
    this.url = url;
    this.authorization = "Bearer " + token;
    this.requestTimeout = requestTimeout;
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("whatsapp-chatbot")
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
        .setFollowRedirects(false);
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  public Future<SendResult> send(OutboundMessage message) {
    return send(message.toJson());
  }

  public Future<SendResult> send(MarkAsRead receipt) {
    return send(receipt.toJson());
  }

  /** Sends a request body as stored in an outbound job. */
  public Future<SendResult> send(JsonObject body) {
    if (LOG.isDebugEnabled()) {
      LOG.atDebug().addKeyValue("event", "graph.request").addKeyValue("body", body.encode()).log("Graph API request");
    }
    return client.postAbs(url)
        .putHeader("Authorization", authorization)
        .putHeader("Accept", "application/json")
        .idleTimeout(requestTimeout.toMillis())
        .sendJsonObject(body)
        .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(GraphApiClient::toResult)
        .otherwise(this::transportFailure);
  }

  static SendResult toResult(HttpResponse<Buffer> response) {
    JsonObject body = json(response.body());
    if (LOG.isDebugEnabled()) {
      LOG.atDebug().addKeyValue("event", "graph.response").addKeyValue("status", response.statusCode())
          .addKeyValue("body", response.bodyAsString()).log("Graph API response");
    }
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return new SendResult.Accepted(wamid(body));
    }
    return SendResult.Failed.of(GraphError.fromResponse(response.statusCode(), body, response.getHeader("Retry-After")));
  }

  private SendResult transportFailure(Throwable cause) {
    GraphError error = cause instanceof TimeoutException ? GraphError.timeout(requestTimeout) : GraphError.transport(cause);
    return SendResult.Failed.of(error);
  }

  /** {@code messages[0].id}; null for answers without one (a read receipt's {@code {"success":true}}). */
  static String wamid(JsonObject body) {
    if (body == null || !(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      return null;
    }
    return messages.getValue(0) instanceof JsonObject first ? first.getString("id") : null;
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object value = Json.decodeValue(body);
      return value instanceof JsonObject obj ? obj : null;
    } catch (DecodeException e) {
      return null; // a proxy's HTML error page: the status alone decides
    }
  }

  public void close() {
    client.close();
  }
}
