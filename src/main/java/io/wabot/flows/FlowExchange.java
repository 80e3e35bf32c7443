package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides the answer to one decrypted request of Meta's Flows data channel: the health check, error
 * notifications, and the INIT, data_exchange and BACK requests of a flow, which go to its
 * {@link FlowEndpointHandler} once the flow token is checked. The handler's answer is checked against
 * the flow's definition, and a handler that fails or overruns its deadline becomes an HTTP 500, so a
 * customer never waits on a hung request.
 */
public final class FlowExchange {

  /** What to send back (before encryption) and what to record about it. */
  public record Answer(int status, JsonObject body, String action, Outcome outcome, FlowToken token, String screen,
      Throwable failure) {

    Answer(int status, JsonObject body, String action, Outcome outcome, FlowToken token, String screen) {
      this(status, body, action, outcome, token, screen, null);
    }

    /** Whether {@link #body()} is to be encrypted and sent (200 and 427 carry one; errors an empty body). */
    public boolean hasBody() {
      return body != null;
    }
  }

  /** How a request ended, for events and the {@code outcome} tag of {@code wabot.flows.requests}. */
  public enum Outcome {
    OK, PING, ERROR_NOTIFICATION, CLOSED, NO_LONGER_AVAILABLE, UNKNOWN_ACTION, TOKEN_UNKNOWN, TOKEN_EXPIRED, TOKEN_USED,
    UNKNOWN_FLOW, UNKNOWN_SCREEN, HANDLER_FAILED, HANDLER_TIMEOUT, INVALID_ANSWER;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static final String NO_LONGER_AVAILABLE = "This form is no longer available. Ask us in the chat for a new one.";

  private final FlowsSetup setup;
  private final FlowTokens tokens;
  private final Duration handlerTimeout;

  public FlowExchange(FlowsSetup setup, FlowTokens tokens, Duration handlerTimeout) {
    this.setup = setup;
    this.tokens = tokens;
    this.handlerTimeout = handlerTimeout;
  }

  public Future<Answer> answer(JsonObject payload) {
    Object action = payload.getValue("action");
    String version = payload.getValue("version") instanceof String v ? v : "3.0";
    if ("ping".equals(action)) {
      return Future.succeededFuture(new Answer(200, new JsonObject().put("data", new JsonObject().put("status", "active")),
          "ping", Outcome.PING, null, null));
    }
    JsonObject data = payload.getValue("data") instanceof JsonObject d ? d : new JsonObject();
    String screen = payload.getValue("screen") instanceof String s && !s.isBlank() ? s : null;
    String actionName = action instanceof String a ? a : "none";
    if (data.containsKey("error")) {
      return notification(payload, data, screen, version, actionName);
    }
    Optional<FlowAction> known = FlowAction.fromWire(action);
    if (known.isEmpty()) {
      return Future.succeededFuture(new Answer(400, null, "unknown", Outcome.UNKNOWN_ACTION, null, screen));
    }
    return tokens.check(payload.getValue("flow_token") instanceof String t ? t : null).compose(check -> {
      if (check instanceof FlowTokenCheck.Refused refused) {
        return Future.succeededFuture(refused(refused, actionName, screen));
      }
      FlowToken token = ((FlowTokenCheck.Valid) check).token();
      FlowEndpointHandler handler = setup.handlers().get(token.flowName());
      Optional<FlowDefinition> definition = setup.definitions().get(token.flowName());
      if (handler == null || definition.isEmpty()) {
        return Future.succeededFuture(new Answer(427, errorMessage(NO_LONGER_AVAILABLE), actionName, Outcome.UNKNOWN_FLOW,
            token, screen));
      }
      if (known.get() != FlowAction.INIT && !definition.get().hasScreen(screen)) {
        return Future.succeededFuture(new Answer(400, null, actionName, Outcome.UNKNOWN_SCREEN, token, screen));
      }
      FlowRequest request = new FlowRequest(known.get(), known.get() == FlowAction.INIT ? null : screen, data, version, token);
      return call(handler, request)
          .map(response -> answerOf(response, request, definition.get()))
          .otherwise(failure -> new Answer(failure instanceof FlowEndpointHandler.UnknownScreenException ? 400 : 500, null,
              actionName, outcomeOf(failure), token, screen, failure));
    });
  }

  private Future<Answer> notification(JsonObject payload, JsonObject data, String screen, String version, String action) {
    JsonObject ack = new JsonObject().put("version", version).put("data", new JsonObject().put("acknowledged", true));
    return tokens.check(payload.getValue("flow_token") instanceof String t ? t : null).map(check -> {
      FlowToken token = check instanceof FlowTokenCheck.Valid valid ? valid.token() : null;
      FlowEndpointHandler handler = token == null ? null : setup.handlers().get(token.flowName());
      if (handler != null) {
        try {
          handler.onErrorNotification(new FlowErrorNotification(screen, String.valueOf(data.getValue("error")),
              String.valueOf(data.getValue("error_message", "")), token));
        } catch (RuntimeException e) {
          // The acknowledgement does not depend on what the handler makes of the notification.
        }
      }
      return new Answer(200, ack, action, Outcome.ERROR_NOTIFICATION, token, screen);
    });
  }

  private Future<FlowResponse> call(FlowEndpointHandler handler, FlowRequest request) {
    Future<FlowResponse> response;
    try {
      response = switch (request.action()) {
        case INIT -> handler.onInit(request);
        case DATA_EXCHANGE -> handler.onDataExchange(request);
        case BACK -> handler.onBack(request);
      };
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (response == null) {
      return Future.failedFuture(new IllegalStateException(handler.getClass().getSimpleName() + " returned no future"));
    }
    return response.timeout(handlerTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Answer answerOf(FlowResponse response, FlowRequest request, FlowDefinition definition) {
    String action = request.action().wireName();
    if (response instanceof FlowResponse.NextScreen next) {
      if (!definition.allowsTransition(request.screen(), next.screen())) {
        return new Answer(500, null, action, Outcome.INVALID_ANSWER, request.token(), request.screen());
      }
      JsonObject data = next.data().copy();
      if (next.errorMessage() != null) {
        data.put("error_message", next.errorMessage());
      }
      return new Answer(200, new JsonObject().put("version", request.version()).put("screen", next.screen()).put("data", data),
          action, Outcome.OK, request.token(), request.screen());
    }
    if (response instanceof FlowResponse.Close close) {
      JsonObject params = new JsonObject().put("flow_token", request.token().value()).mergeIn(close.params());
      return new Answer(200, new JsonObject().put("version", request.version()).put("screen", "SUCCESS")
          .put("data", new JsonObject().put("extension_message_response", new JsonObject().put("params", params))),
          action, Outcome.CLOSED, request.token(), request.screen());
    }
    FlowResponse.NoLongerAvailable gone = (FlowResponse.NoLongerAvailable) response;
    return new Answer(427, errorMessage(gone.message()), action, Outcome.NO_LONGER_AVAILABLE, request.token(), request.screen());
  }

  private static Answer refused(FlowTokenCheck.Refused refused, String action, String screen) {
    Outcome outcome = switch (refused.reason()) {
      case EXPIRED -> Outcome.TOKEN_EXPIRED;
      case USED -> Outcome.TOKEN_USED;
      default -> Outcome.TOKEN_UNKNOWN;
    };
    String message = switch (refused.reason()) {
      case EXPIRED -> "This form has expired. Ask us in the chat for a new one.";
      case USED -> "You have sent this form already.";
      default -> NO_LONGER_AVAILABLE;
    };
    return new Answer(427, errorMessage(message), action, outcome, refused.token(), screen);
  }

  private static JsonObject errorMessage(String message) {
    return new JsonObject().put("error_msg", message);
  }

  private static Outcome outcomeOf(Throwable failure) {
    if (failure instanceof FlowEndpointHandler.UnknownScreenException) {
      return Outcome.UNKNOWN_SCREEN;
    }
    return failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
        ? Outcome.HANDLER_TIMEOUT : Outcome.HANDLER_FAILED;
  }
}
