package io.wabot.sender;

import static io.wabot.sender.ErrorAction.AUTH_FAILURE;
import static io.wabot.sender.ErrorAction.DELAY_CONVERSATION;
import static io.wabot.sender.ErrorAction.GIVE_UP;
import static io.wabot.sender.ErrorAction.LANGUAGE_FALLBACK;
import static io.wabot.sender.ErrorAction.LONG_BACKOFF;
import static io.wabot.sender.ErrorAction.NEEDS_PHONE_NUMBER;
import static io.wabot.sender.ErrorAction.OPTED_OUT;
import static io.wabot.sender.ErrorAction.PAUSE_ALL;
import static io.wabot.sender.ErrorAction.RETRY;
import static io.wabot.sender.ErrorAction.TEMPLATE_FALLBACK;

import java.util.Map;

/**
 * Decides what to do about a Graph API error, from Meta's error code first and the HTTP status second.
 * Pure and table-driven: to handle a new code, add a row.
 */
public final class GraphErrorClassifier {

  /** Meta's {@code error.code} → action. Codes not listed fall through to the HTTP status. */
  static final Map<Integer, ErrorAction> BY_CODE = Map.ofEntries(
      Map.entry(130429, PAUSE_ALL),            // Cloud API throughput reached
      Map.entry(131056, DELAY_CONVERSATION),   // pair rate limit: too many messages to this customer
      Map.entry(131000, RETRY),                // something went wrong
      Map.entry(1, RETRY),                     // API unknown
      Map.entry(2, RETRY),                     // API service (temporary)
      Map.entry(131047, TEMPLATE_FALLBACK),    // re-engagement: more than 24 h since the customer wrote
      Map.entry(132001, LANGUAGE_FALLBACK),    // template does not exist in this language
      Map.entry(190, AUTH_FAILURE),            // access token expired or invalid
      Map.entry(0, AUTH_FAILURE),              // AuthException
      Map.entry(4, LONG_BACKOFF),              // app-level API call limit
      Map.entry(80007, LONG_BACKOFF),          // WhatsApp Business Account rate limit
      Map.entry(131048, LONG_BACKOFF),         // spam rate limit
      Map.entry(131049, LONG_BACKOFF),         // not delivered to keep the ecosystem healthy (marketing)
      Map.entry(131050, OPTED_OUT),            // customer stopped marketing messages
      Map.entry(131062, NEEDS_PHONE_NUMBER),   // BSUID recipients not supported for this message
      Map.entry(131026, GIVE_UP));             // message undeliverable

  private GraphErrorClassifier() {
  }

  public static ErrorAction classify(GraphError error) {
    if (error.isTransport()) {
      return RETRY;
    }
    if (error.code() != null) {
      ErrorAction byCode = BY_CODE.get(error.code());
      if (byCode != null) {
        return byCode;
      }
    }
    return byStatus(error.httpStatus());
  }

  private static ErrorAction byStatus(int status) {
    if (status >= 500 || status == 408) {
      return RETRY;
    }
    if (status == 429) {
      return PAUSE_ALL;
    }
    if (status == 401) {
      return AUTH_FAILURE;
    }
    return GIVE_UP;
  }
}
