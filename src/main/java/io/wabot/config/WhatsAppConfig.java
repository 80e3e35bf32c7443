package io.wabot.config;

import java.util.regex.Pattern;

/**
 * The WhatsApp Cloud API account.
 *
 * @param accessToken   bearer token for the Graph API (a system-user token in production)
 * @param phoneNumberId the business phone number id; a string, never a number
 * @param appSecret     the app secret that signs webhooks ({@code X-Hub-Signature-256})
 * @param verifyToken   the token Meta echoes in the webhook verification handshake
 * @param apiBaseUrl    Graph API base URL, without a trailing slash
 * @param apiVersion    the pinned Graph API version, e.g. {@code v23.0}
 */
public record WhatsAppConfig(
    Secret accessToken, String phoneNumberId, Secret appSecret, Secret verifyToken, String apiBaseUrl, String apiVersion) {

  private static final Pattern VERSION = Pattern.compile("v\\d{1,3}\\.\\d");
  private static final Pattern DIGITS = Pattern.compile("\\d{5,20}");

  /** Stand-ins used in sandbox mode when no Meta credentials are set: the simulator accepts them. */
  public static final String SANDBOX_ACCESS_TOKEN = "sandbox-access-token";
  public static final String SANDBOX_PHONE_NUMBER_ID = "100000000000001";
  public static final String SANDBOX_APP_SECRET = "sandbox-app-secret";
  public static final String SANDBOX_VERIFY_TOKEN = "sandbox-verify-token";

  static WhatsAppConfig from(ConfigReader r, boolean sandbox) {
    String why = "it is required unless SANDBOX=true";
    String accessToken = credential(r, "whatsapp.accessToken", sandbox, SANDBOX_ACCESS_TOKEN, why);
    String phoneNumberId = credential(r, "whatsapp.phoneNumberId", sandbox, SANDBOX_PHONE_NUMBER_ID, why);
    String appSecret = credential(r, "whatsapp.appSecret", sandbox, SANDBOX_APP_SECRET, why);
    String verifyToken = credential(r, "whatsapp.verifyToken", sandbox, SANDBOX_VERIFY_TOKEN, why);
    if (phoneNumberId != null && !DIGITS.matcher(phoneNumberId).matches()) {
      r.problem("whatsapp.phoneNumberId", "must be the numeric id Meta shows under WhatsApp > API Setup (not the phone number itself)", "");
      phoneNumberId = null;
    }
    String baseUrl = r.httpUrl("whatsapp.apiBaseUrl", "https://graph.facebook.com");
    String version = r.string("whatsapp.apiVersion", "\"v23.0\"");
    if (version != null && !VERSION.matcher(version).matches()) {
      r.problem("whatsapp.apiVersion", "must look like v23.0", "\"v23.0\"");
    }
    return new WhatsAppConfig(secret(accessToken), phoneNumberId, secret(appSecret), secret(verifyToken), baseUrl, version);
  }

  private static String credential(ConfigReader r, String path, boolean sandbox, String sandboxValue, String why) {
    if (sandbox) {
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
    return accessToken != null && !SANDBOX_ACCESS_TOKEN.equals(accessToken.value())
        && !apiBaseUrl.contains("localhost") && !apiBaseUrl.contains("127.0.0.1");
  }

  /** The same account behind another Graph API URL (the sandbox's simulator). */
  public WhatsAppConfig withApiBaseUrl(String url) {
    return new WhatsAppConfig(accessToken, phoneNumberId, appSecret, verifyToken, url, apiVersion);
  }

  /** {@code {base}/{version}/{phone-number-id}/messages}: the one endpoint replies go to. */
  public String messagesUrl() {
    return apiBaseUrl + "/" + apiVersion + "/" + phoneNumberId + "/messages";
  }
}
