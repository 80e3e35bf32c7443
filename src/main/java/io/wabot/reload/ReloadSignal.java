package io.wabot.reload;

import io.wabot.observability.Events;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code SIGHUP} reloads the configuration, as daemons do ({@code kill -HUP <pid>}, {@code docker kill -s HUP}).
 * The JDK has no supported signal API; {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the one every
 * JVM on Linux provides. Where it is missing or the signal is taken (a JVM run with {@code -Xrs}), or the process
 * was started with SIGHUP ignored ({@code nohup}, some supervisors: the JVM then never hands it to Java), the
 * admin endpoint still reloads: start-up goes on with a warning that says which.
 */
public final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
  static final String SIGNAL = "HUP";

  private ReloadSignal() {
  }

  /**
   * Calls {@code reload} on each SIGHUP (on the JVM's signal thread: it must not block).
   *
   * @return what puts the previous handler back; empty when SIGHUP cannot reload in this process (logged)
   */
  public static Optional<Runnable> install(Runnable reload) {
    try {
      Signal hup = new Signal(SIGNAL);
      SignalHandler previous = Signal.handle(hup, signal -> {
        Events.info(LOG, "config.reload_signal").log("SIGHUP received: reloading the configuration");
        reload.run();
      });
      if (previous == SignalHandler.SIG_IGN) {
        // HotSpot keeps a shutdown signal the process was started ignoring ignored, and says so only this way: the
        // handler above was not installed.
        unavailable("SIGHUP is ignored by this process (started under nohup, or by a supervisor that ignores it)");
        return Optional.empty();
      }
      return Optional.of(() -> Signal.handle(hup, previous));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      unavailable(String.valueOf(e.getMessage()));
      return Optional.empty();
    }
  }

  private static void unavailable(String why) {
    Events.warn(LOG, "config.reload_signal_unavailable").addKeyValue("error", why)
        .log("SIGHUP cannot reload the configuration in this process ({}); use POST /admin/config/reload", why);
  }
}
