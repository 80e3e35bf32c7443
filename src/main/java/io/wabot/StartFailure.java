package io.wabot;

import io.wabot.config.HttpConfig;
import java.net.BindException;
import java.util.Optional;

/**
 * Start-up failures a person fixes without reading a stack trace, told in one line in the format of
 * the configuration problems: the setting, what is wrong, a valid example.
 */
final class StartFailure {

  private StartFailure() {
  }

  /** One line for a failure with a known remedy, or empty for one that needs its stack trace. */
  static Optional<String> explain(Throwable failure, HttpConfig http) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return Optional.of("HTTP_PORT: port " + http.port() + " on " + http.host() + " is already in use (" + t.getMessage()
            + "). Stop what listens there or choose a free port, e.g. HTTP_PORT=" + (http.port() == 65535 ? 8081 : http.port() + 1));
      }
    }
    return Optional.empty();
  }
}
