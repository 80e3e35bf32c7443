package io.wabot.observability.logs;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/** Markers that change where a log event goes. */
public final class LogMarkers {

  /**
   * Written to stdout only, never shipped to Better Stack. The shipper marks its own complaints about
   * Better Stack this way: shipping "Better Stack refused the batch" to a Better Stack that refuses
   * every batch would feed itself forever.
   */
  public static final Marker LOCAL_ONLY = MarkerFactory.getMarker("LOCAL_ONLY");

  /**
   * Shipped in the priority lane ({@link LogLanes}), which ordinary events can never evict: for the
   * few events an operator must see whatever else is happening.
   */
  public static final Marker PRIORITY = MarkerFactory.getMarker("PRIORITY");

  private LogMarkers() {
  }
}
