package io.wabot.observability;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.wabot.common.Mask;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What ties every log line on one message's path together: the correlation id (the inbound message's
 * {@code wamid}), the customer's masked number and, once known, the {@code wamid} of the message being
 * handled. The customer is masked whatever identifies them (phone number or BSUID).
 *
 * <p>It travels inside job payloads ({@link #toJson()}) and event-bus headers ({@link #toHeaders}),
 * and is attached to each log call explicitly ({@link #on}) because thread-local MDC leaks between
 * messages that share an event loop.
 */
public record Correlation(String id, String maskedCustomer, String wamid) {

  public static final String HEADER_ID = "correlation-id";
  public static final String HEADER_CUSTOMER = "customer";
  public static final String HEADER_WAMID = "wamid";

  public static final Correlation NONE = new Correlation("", "", "");

  /** The correlation of an inbound message: its own id is the correlation id; the customer already masked. */
  public static Correlation ofInboundMasked(String wamid, String maskedCustomer) {
    return new Correlation(wamid, maskedCustomer, wamid);
  }

  /** The same, for a customer named by one id (a phone number or a BSUID). */
  public static Correlation ofInbound(String wamid, String customerId) {
    return new Correlation(wamid, Mask.address(customerId), wamid);
  }

  /** The same correlation, now about another message (an outbound reply's {@code wamid}). */
  public Correlation withWamid(String newWamid) {
    return new Correlation(id, maskedCustomer, newWamid);
  }

  /** Adds {@code correlation_id}, {@code customer} and {@code wamid} to a log event. */
  public LoggingEventBuilder on(LoggingEventBuilder event) {
    if (!id.isEmpty()) {
      event = event.addKeyValue("correlation_id", id);
    }
    if (!maskedCustomer.isEmpty()) {
      event = event.addKeyValue("customer", maskedCustomer);
    }
    if (!wamid.isEmpty()) {
      event = event.addKeyValue("wamid", wamid);
    }
    return event;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("customer", maskedCustomer).put("wamid", wamid);
  }

  public static Correlation fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new Correlation(json.getString("id", ""), json.getString("customer", ""), json.getString("wamid", ""));
  }

  public DeliveryOptions toHeaders(DeliveryOptions options) {
    return options.addHeader(HEADER_ID, id).addHeader(HEADER_CUSTOMER, maskedCustomer).addHeader(HEADER_WAMID, wamid);
  }

  public static Correlation fromHeaders(MultiMap headers) {
    return new Correlation(
        nonNull(headers.get(HEADER_ID)), nonNull(headers.get(HEADER_CUSTOMER)), nonNull(headers.get(HEADER_WAMID)));
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
