package io.wabot.observability.alerts;

import io.vertx.core.json.JsonObject;

/** The result of one look at a condition. */
public sealed interface Check {

  /** The threshold is crossed. */
  record Firing(String message, JsonObject details) implements Check {
  }

  /** Within bounds. */
  record Clear(String message) implements Check {
  }

  /** Nothing to judge yet (no such meter, no requests, no /proc): neither raises nor clears. */
  record Unknown() implements Check {
  }

  Check UNKNOWN = new Unknown();
}
