package io.wabot.sender;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A request to the Graph API that did not succeed, as data: Meta's error object when there was an
 * answer ({@code {"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}}), or a
 * transport failure (connection refused or reset, no answer in time) when there was none.
 *
 * @param httpStatus the HTTP status, 0 when no answer came
 * @param code       Meta's {@code error.code}, or null when the body had none
 * @param subcode    Meta's {@code error.error_subcode}, or null
 * @param type       Meta's {@code error.type} (e.g. {@code OAuthException}), or the transport failure's kind
 * @param message    Meta's {@code error.message} (plus {@code error_data.details} when given), or the
 *                   transport failure's message; never contains the access token
 * @param fbtraceId  Meta's trace id, to quote when asking Meta's support; null without an answer
 * @param retryAfter the {@code Retry-After} header, or null
 */
public record GraphError(
    int httpStatus, Integer code, Integer subcode, String type, String message, String fbtraceId, Duration retryAfter) {

  public static final String TRANSPORT = "transport";
  public static final String TIMEOUT = "timeout";

  /** No answer at all: the connection failed or broke. */
  public static GraphError transport(Throwable cause) {
    String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new GraphError(0, null, null, TRANSPORT, text, null, null);
  }

  /** No answer within the hard timeout. */
  public static GraphError timeout(Duration after) {
    return new GraphError(0, null, null, TIMEOUT, "no answer within " + after.toMillis() + " ms", null, null);
  }

  /** Parses an error answer; a body that is not Meta's error object still yields the HTTP status. */
  public static GraphError fromResponse(int status, JsonObject body, String retryAfterHeader) {
    JsonObject error = body == null ? null : body.getValue("error") instanceof JsonObject e ? e : null;
    Duration retryAfter = io.wabot.common.RetryAfter.parse(retryAfterHeader);
    if (error == null) {
      return new GraphError(status, null, null, "http", "HTTP " + status + " without a Graph error body", null, retryAfter);
    }
    String message = error.getString("message", "");
    JsonObject data = error.getValue("error_data") instanceof JsonObject d ? d : null;
    String details = data == null ? null : data.getString("details");
    if (details != null && !details.isBlank() && !message.contains(details)) {
      message = message.isEmpty() ? details : message + " (" + details + ")";
    }
    return new GraphError(status, integer(error.getValue("code")), integer(error.getValue("error_subcode")),
        error.getString("type"), message, error.getString("fbtrace_id"), retryAfter);
  }

  private static Integer integer(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Whether no answer came (connection failure or timeout). */
  public boolean isTransport() {
    return httpStatus == 0;
  }

  /**
   * Whether this says the Graph API itself is in trouble: 5xx, timeouts, connection errors. Only these
   * count towards opening the circuit breaker; a 4xx is about one request and the API is working.
   */
  public boolean isServerSide() {
    return httpStatus == 0 || httpStatus >= 500;
  }

  /** The code as a metric tag and log field: Meta's code, else {@code http_<status>}, else the transport kind. */
  public String codeTag() {
    if (code != null) {
      return Integer.toString(code);
    }
    return httpStatus == 0 ? type : "http_" + httpStatus;
  }

  /** One line for a dead letter's reason and for logs. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(httpStatus == 0 ? type : "HTTP " + httpStatus);
    if (code != null) {
      sb.append(" code ").append(code);
    }
    if (subcode != null) {
      sb.append('/').append(subcode);
    }
    if (message != null && !message.isBlank()) {
      sb.append(": ").append(message);
    }
    if (fbtraceId != null) {
      sb.append(" (fbtrace_id ").append(fbtraceId).append(')');
    }
    return sb.toString();
  }
}
