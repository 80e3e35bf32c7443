package io.wabot.sender;

import java.time.Duration;

/**
 * How many Graph API requests one business number may have in flight in one sender instance. Little's law:
 * to send at the number's tier R (its {@code maxMessagesPerSecond}) while Meta takes W to answer, R × W
 * requests must be in flight (1,000 a second at 200 ms: 200). A fixed number would cap a fast tier (16 in
 * flight at 200 ms is 80 sends a second) or waste connections on a slow one, so the window follows the
 * latency this instance observes: twice R × W, for Meta's jitter and the Redis work around each send, never
 * under {@code sender.concurrency} and never over {@code sender.maxInFlight}. The throughput limiter still
 * spaces the sends; the window only makes sure the tier's rate can be reached.
 *
 * <p>The latency is a moving average of answered requests that rises at once and falls slowly, so a burst
 * of slow answers widens the window before the queue backs up. Requests that got no answer (timeouts,
 * broken connections) are not counted: Meta in trouble is the breaker's business, and widening the window
 * for it would only put more requests into the same trouble.
 *
 * <p>Confined to the sender instance's event loop.
 */
public final class SendWindow {

  /** How many times R × W is kept in flight. */
  static final double HEADROOM = 2.0;
  /** Weight of a new latency that is higher than the average (rising fast) and lower (falling slowly). */
  private static final double RISE = 0.5;
  private static final double FALL = 0.05;

  private final int perSecond;
  private final int least;
  private final int most;
  private double latencyMs = -1;
  private int inFlight;

  /**
   * @param perSecond the number's tier (its throughput limit)
   * @param least     the window before any answer and at the lowest ({@code sender.concurrency})
   * @param most      the widest it gets ({@code sender.maxInFlight})
   */
  public SendWindow(int perSecond, int least, int most) {
    if (perSecond < 1 || least < 1 || most < least) {
      throw new IllegalArgumentException("need 1 <= least <= most and perSecond >= 1");
    }
    this.perSecond = perSecond;
    this.least = least;
    this.most = most;
  }

  /** Records the time Meta took to answer one request. */
  public void answered(Duration took) {
    double ms = took.toNanos() / 1e6;
    if (latencyMs < 0) {
      latencyMs = ms;
    } else {
      latencyMs += (ms > latencyMs ? RISE : FALL) * (ms - latencyMs);
    }
  }

  /** Requests this number may have in flight now. */
  public int limit() {
    if (latencyMs < 0) {
      return least;
    }
    double needed = Math.ceil(perSecond * latencyMs / 1000.0 * HEADROOM);
    return (int) Math.max(least, Math.min(most, needed));
  }

  /** The widest the window gets: the size of the number's connection pool. */
  public int most() {
    return most;
  }

  /** The latency the window is sized for, in milliseconds (-1 before the first answer). */
  public double latencyMs() {
    return latencyMs;
  }

  /** Whether one more request may go out now. */
  public boolean hasRoom() {
    return inFlight < limit();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return inFlight;
  }

  void started() {
    inFlight++;
  }

  void finished() {
    inFlight--;
  }
}
