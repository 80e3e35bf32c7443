package io.wabot.flows;

import io.vertx.core.Future;

/**
 * The server side of one WhatsApp Flow with an endpoint: it picks the first screen, answers each
 * screen's {@code data_exchange}, and decides when the flow closes. Implement it and return it from
 * your bot's {@code flowEndpoints}; its {@link #flowName()} must match a Flow JSON file in
 * {@code conf/flows} that declares a {@code data_api_version}, which start-up checks.
 *
 * <p>The endpoint has already verified Meta's signature, decrypted the request and checked the flow
 * token (unknown, expired and used tokens never reach a handler). Methods run on an event loop:
 * never block, use non-blocking clients or {@code vertx.executeBlocking}. Each call has
 * {@code flows.handlerTimeout} (3 s) to complete; a failed or late future becomes an HTTP 500 for the
 * client, logged with the flow, action and screen, never with the form data, which is personal.
 *
 * <pre>{@code
 * public Future<FlowResponse> onDataExchange(FlowRequest request) {
 *   return switch (request.screen()) {
 *     case "QUANTITY" -> Future.succeededFuture(FlowResponse.screen("CONTACT", new JsonObject().put("summary", "...")));
 *     default -> Future.failedFuture(new UnknownScreenException(request.screen()));
 *   };
 * }
 * }</pre>
 */
public interface FlowEndpointHandler {

  /** The flow this handler serves: the name of its definition, {@code conf/flows/<name>.json}. */
  String flowName();

  /** The customer opened the flow (sent with the {@code data_exchange} action): the first screen. */
  Future<FlowResponse> onInit(FlowRequest request);

  /** A screen's {@code data_exchange} action: the next screen, an error on this one, or the end. */
  Future<FlowResponse> onDataExchange(FlowRequest request);

  /** Back to a screen declared with {@code refresh_on_back: true}; without such screens this is never called. */
  default Future<FlowResponse> onBack(FlowRequest request) {
    return Future.failedFuture(new UnknownScreenException(request.screen()));
  }

  /** Meta's client could not use an earlier answer. The endpoint acknowledges it in any case. */
  default void onErrorNotification(FlowErrorNotification notification) {
  }

  /** Fail with this when a request names a screen the handler does not serve: the endpoint answers 400. */
  final class UnknownScreenException extends RuntimeException {
    public UnknownScreenException(String screen) {
      super("no handling for screen " + screen);
    }
  }
}
