package io.wabot.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The WhatsApp Cloud API account and the business numbers the deployment serves.
 *
 * <p>{@link #numbers()} is what serves customers: every number with its token, app secret and overrides
 * resolved. The single-valued components are the <em>default number</em>'s (the first listed) once the list is
 * resolved, for what is not about one number (the sandbox's own account, start-up checks); while the list is
 * being read they hold the shared settings an entry falls back to.
 *
 * @param accessToken   bearer token for the Graph API (a system-user token in production)
 * @param phoneNumberId the business phone number id; a string, never a number
 * @param appSecret     the app secret that signs webhooks ({@code X-Hub-Signature-256})
 * @param verifyToken   the token Meta echoes in the webhook verification handshake
 * @param apiBaseUrl    Graph API base URL, without a trailing slash
 * @param apiVersion    the pinned Graph API version, e.g. {@code v23.0}
 * @param numbers       every business number served ({@code whatsapp.numbers}, or the single-number settings)
 */
public record WhatsAppConfig(
    Secret accessToken, String phoneNumberId, Secret appSecret, Secret verifyToken, String apiBaseUrl, String apiVersion,
    List<NumberConfig> numbers) {

  private static final Pattern VERSION = Pattern.compile("v\\d{1,3}\\.\\d");
  private static final Pattern DIGITS = Pattern.compile("\\d{5,20}");

  /** Stand-ins used in sandbox mode when no Meta credentials are set: the simulator accepts them. */
  public static final String SANDBOX_ACCESS_TOKEN = "sandbox-access-token";
  public static final String SANDBOX_PHONE_NUMBER_ID = "100000000000001";
  public static final String SANDBOX_APP_SECRET = "sandbox-app-secret";
  public static final String SANDBOX_VERIFY_TOKEN = "sandbox-verify-token";

  /** One account with no resolved list of numbers: for tools and tests that talk to one number's Graph API. */
  public WhatsAppConfig(Secret accessToken, String phoneNumberId, Secret appSecret, Secret verifyToken, String apiBaseUrl,
      String apiVersion) {
    this(accessToken, phoneNumberId, appSecret, verifyToken, apiBaseUrl, apiVersion, List.of());
  }

  /** The shared settings; {@link #withNumbers} completes them with the resolved list. */
  static WhatsAppConfig from(ConfigReader r, boolean sandbox) {
    // With a list of numbers each entry may carry its own token and secret, so the shared ones become optional.
    boolean listed = NumberConfig.configured(r) != null;
    boolean optional = sandbox || listed;
    String why = "it is required unless SANDBOX=true or whatsapp.numbers lists the numbers";
    String accessToken = credential(r, "whatsapp.accessToken", optional, null, why);
    String phoneNumberId = credential(r, "whatsapp.phoneNumberId", optional, null, why);
    String appSecret = credential(r, "whatsapp.appSecret", optional, null, why);
    String verifyToken = credential(r, "whatsapp.verifyToken", optional, sandbox ? SANDBOX_VERIFY_TOKEN : null, why);
    if (listed && phoneNumberId != null) {
      r.problem("whatsapp.phoneNumberId", "is set while whatsapp.numbers lists the numbers; move it into the list"
          + " (as {\"phoneNumberId\": \"" + phoneNumberId + "\"}) or unset it", "\"\"");
      phoneNumberId = null;
    }
    if (phoneNumberId != null && !DIGITS.matcher(phoneNumberId).matches()) {
      r.problem("whatsapp.phoneNumberId", "must be the numeric id Meta shows under WhatsApp > API Setup (not the phone number itself)", "");
      phoneNumberId = null;
    }
    String baseUrl = r.httpUrl("whatsapp.apiBaseUrl", "https://graph.facebook.com");
    String version = r.string("whatsapp.apiVersion", "\"v23.0\"");
    if (version != null && !VERSION.matcher(version).matches()) {
      r.problem("whatsapp.apiVersion", "must look like v23.0", "\"v23.0\"");
    }
    return new WhatsAppConfig(secret(accessToken), phoneNumberId, secret(appSecret), secret(verifyToken), baseUrl, version, List.of());
  }

  /**
   * These settings with the resolved list of numbers; the single-valued components become the default number's.
   * Without any number (a configuration with problems) they are left as they are.
   */
  public WhatsAppConfig withNumbers(List<NumberConfig> resolved) {
    if (resolved.isEmpty()) {
      return new WhatsAppConfig(accessToken, phoneNumberId, appSecret, verifyToken, apiBaseUrl, apiVersion, List.of());
    }
    NumberConfig first = resolved.get(0);
    return new WhatsAppConfig(first.accessToken(), first.phoneNumberId(), first.appSecret(), first.verifyToken(),
        apiBaseUrl, apiVersion, List.copyOf(resolved));
  }

  /** The number with this id, if the deployment serves it. */
  public Optional<NumberConfig> number(String id) {
    return numbers.stream().filter(n -> n.phoneNumberId().equals(id)).findFirst();
  }

  /** The default number: the first listed, which answers what carries no number (jobs stored before numbers). */
  public NumberConfig defaultNumber() {
    return numbers.get(0);
  }

  private static String credential(ConfigReader r, String path, boolean optional, String sandboxValue, String why) {
    if (optional) {
      String value = r.optionalString(path);
      return value == null ? sandboxValue : value;
    }
    return r.requiredString(path, why, "");
  }

  private static Secret secret(String value) {
    return value == null ? null : new Secret(value);
  }

  /** Whether these are real Meta credentials rather than the sandbox stand-ins. */
  public boolean hasLiveCredentials() {
    boolean liveToken = numbers.isEmpty() ? accessToken != null && !SANDBOX_ACCESS_TOKEN.equals(accessToken.value())
        : numbers.stream().anyMatch(n -> !SANDBOX_ACCESS_TOKEN.equals(n.accessToken().value()));
    return liveToken && apiBaseUrl != null && !apiBaseUrl.contains("localhost") && !apiBaseUrl.contains("127.0.0.1");
  }

  /** The same account behind another Graph API URL (the sandbox's simulator). */
  public WhatsAppConfig withApiBaseUrl(String url) {
    return new WhatsAppConfig(accessToken, phoneNumberId, appSecret, verifyToken, url, apiVersion, numbers);
  }

  /** {@code {base}/{version}/{phone-number-id}/messages}: the endpoint the default number's replies go to. */
  public String messagesUrl() {
    return messagesUrl(phoneNumberId);
  }

  /** {@code {base}/{version}/{phone-number-id}/messages} for one of the numbers. */
  public String messagesUrl(String numberId) {
    return apiBaseUrl + "/" + apiVersion + "/" + numberId + "/messages";
  }
}
