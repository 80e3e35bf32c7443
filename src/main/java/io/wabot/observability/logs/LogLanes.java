package io.wabot.observability.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Set;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Which log events ride in the {@link LogBuffer}'s priority lane, where a flood of ordinary events can
 * never evict them: alerts ({@code alert.*}), the service's life cycle ({@code service.*},
 * {@code config.loaded}, cluster membership) and the report of dropped events itself; plus any event an
 * adopter marks with {@link LogMarkers#PRIORITY}.
 */
public final class LogLanes {

  private static final List<String> PREFIXES = List.of("alert.", "service.");
  private static final Set<String> NAMES = Set.of("config.loaded", "cluster.joined", "cluster.member_joined",
      "cluster.member_left", "log.dropped", "log.shipping_on");

  private LogLanes() {
  }

  public static boolean isPriority(ILoggingEvent event) {
    List<Marker> markers = event.getMarkerList();
    if (markers != null) {
      for (Marker marker : markers) {
        if (marker.contains(LogMarkers.PRIORITY)) {
          return true;
        }
      }
    }
    String name = eventName(event);
    return name != null && (NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith));
  }

  private static String eventName(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if ("event".equals(pair.key) && pair.value instanceof String name) {
          return name;
        }
      }
    }
    return null;
  }
}
