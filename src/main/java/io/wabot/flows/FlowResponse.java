package io.wabot.flows;

import io.vertx.core.json.JsonObject;

/**
 * What a {@link FlowEndpointHandler} answers: the next screen with its data, the same screen with an
 * error shown to the customer, the end of the flow, or that the flow can no longer be used.
 */
public sealed interface FlowResponse {

  /**
   * Shows {@code screen} filled with {@code data}, which must match the data the screen declares in the
   * Flow JSON; with an {@code errorMessage}, the client shows it in a snackbar.
   */
  record NextScreen(String screen, JsonObject data, String errorMessage) implements FlowResponse {
    public NextScreen {
      if (screen == null || screen.isBlank()) {
        throw new IllegalArgumentException("a screen to show is required");
      }
      data = data == null ? new JsonObject() : data.copy();
    }
  }

  /**
   * Closes the flow. The client sends the completion message ({@code nfm_reply}) to the chat with
   * {@code params} and the flow token, which the endpoint adds.
   */
  record Close(JsonObject params) implements FlowResponse {
    public Close {
      params = params == null ? new JsonObject() : params.copy();
    }
  }

  /**
   * The flow cannot go on (the order was placed already, the item is gone): HTTP 427. The client shows
   * {@code message}, closes the flow and disables its button; the bot may send a new flow message.
   */
  record NoLongerAvailable(String message) implements FlowResponse {
  }

  static FlowResponse screen(String screen, JsonObject data) {
    return new NextScreen(screen, data, null);
  }

  static FlowResponse screenWithError(String screen, JsonObject data, String errorMessage) {
    return new NextScreen(screen, data, errorMessage);
  }

  static FlowResponse close(JsonObject params) {
    return new Close(params);
  }

  static FlowResponse noLongerAvailable(String message) {
    return new NoLongerAvailable(message);
  }
}
