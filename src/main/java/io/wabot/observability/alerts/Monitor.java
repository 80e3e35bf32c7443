package io.wabot.observability.alerts;

/**
 * One alert condition evaluated on a schedule. Implementations read meters or probe a dependency and
 * say whether the condition holds; the {@link AlertVerticle} turns changes into {@code Alerts} messages.
 * Add a monitor by implementing this and listing it in {@code AlertVerticle}.
 */
public interface Monitor {

  /** The condition's name, the value of the {@code alert} field (see {@code Alerts}). */
  String alert();

  /** Looks once; called on the alert verticle's event loop, so it must not block. */
  Check check(long nowMs);
}
