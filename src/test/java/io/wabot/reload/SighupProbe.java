package io.wabot.reload;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Installs {@link ReloadSignal} in a JVM of its own, run by {@link ReloadSignalTest}: prints {@code INSTALLED <pid>}
 * or {@code UNAVAILABLE}, then {@code RELOADED} once a SIGHUP called the handler.
 */
public final class SighupProbe {

  private SighupProbe() {
  }

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch reloaded = new CountDownLatch(1);
    Optional<Runnable> installed = ReloadSignal.install(reloaded::countDown);
    System.out.println(installed.isPresent() ? "INSTALLED " + ProcessHandle.current().pid() : "UNAVAILABLE");
    System.out.flush();
    if (installed.isPresent()) {
      System.out.println(reloaded.await(30, TimeUnit.SECONDS) ? "RELOADED" : "NO SIGNAL");
    }
  }
}
