package io.wabot.flows;

import java.util.Optional;

/** Why Meta's client called the endpoint (besides its {@code ping} health check). */
public enum FlowAction {
  /** The customer opened a flow sent with the {@code data_exchange} action: the endpoint picks the first screen. */
  INIT("INIT"),
  /** A screen's {@code data_exchange} action: the customer submitted it. */
  DATA_EXCHANGE("data_exchange"),
  /** The customer went back to a screen declared with {@code refresh_on_back}. */
  BACK("BACK");

  private final String wireName;

  FlowAction(String wireName) {
    this.wireName = wireName;
  }

  /** As Meta writes it in the request's {@code action}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<FlowAction> fromWire(Object action) {
    for (FlowAction a : values()) {
      if (a.wireName.equals(action)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
