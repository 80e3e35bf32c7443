package io.wabot.reload;

import io.wabot.observability.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code SIGHUP} reloads the configuration, as daemons do ({@code kill -HUP <pid>}, {@code docker kill -s HUP}).
 * The JDK has no supported signal API; {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the one every
 * JVM on Linux provides. Where it is missing or the signal is taken (a JVM run with {@code -Xrs}), the admin
 * endpoint still reloads: start-up goes on with a warning.
 */
public final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
  static final String SIGNAL = "HUP";

  private ReloadSignal() {
  }

  /**
   * Calls {@code reload} on each SIGHUP (on the JVM's signal thread: it must not block).
   *
   * @return what puts the previous handler back
   */
  public static Runnable install(Runnable reload) {
    try {
      Signal hup = new Signal(SIGNAL);
      SignalHandler previous = Signal.handle(hup, signal -> {
        Events.info(LOG, "config.reload_signal").log("SIGHUP received: reloading the configuration");
        reload.run();
      });
      return () -> Signal.handle(hup, previous);
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      Events.warn(LOG, "config.reload_signal_unavailable").addKeyValue("error", String.valueOf(e.getMessage()))
          .log("SIGHUP cannot reload the configuration in this JVM; use POST /admin/config/reload");
      return () -> { };
    }
  }
}
