package io.wabot.sender;

/** The answer to one Graph API request: accepted with the message's id, or failed with the error and what to do. */
public sealed interface SendResult {

  /**
   * Meta accepted the request.
   *
   * @param wamid the id of the message ({@code messages[0].id}); null for a read receipt, whose answer is
   *              {@code {"success":true}}
   */
  record Accepted(String wamid) implements SendResult {
  }

  /** The request failed; {@code action} is {@link GraphErrorClassifier}'s verdict on {@code error}. */
  record Failed(GraphError error, ErrorAction action) implements SendResult {

    public static Failed of(GraphError error) {
      return new Failed(error, GraphErrorClassifier.classify(error));
    }
  }
}
