package io.wabot.sandbox;

import io.vertx.core.json.JsonObject;

/** Lets tests in other packages ask whether the simulator, like Meta, would accept a message body. */
public final class GraphApiSimulatorAccess {

  private GraphApiSimulatorAccess() {
  }

  /** What Meta would reject with code 100, or null. */
  public static String invalidBody(JsonObject body) {
    return GraphApiSimulator.invalidBody(body);
  }
}
