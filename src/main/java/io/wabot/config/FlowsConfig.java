package io.wabot.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * WhatsApp Flows: the data-exchange endpoint {@code POST /flows} and the flow definitions.
 *
 * @param key               the business's RSA key pair; null = {@code /flows} is off (404). In sandbox mode
 *                          without {@code WHATSAPP_FLOWS_PRIVATE_KEY}, a throwaway key made at start-up
 * @param businessAccountId the WhatsApp Business Account id flows are published on; null when unset
 * @param definitionsDir    folder of the Flow JSON files, one flow per {@code <name>.json}
 * @param handlerTimeout    how long a flow's handler may take before the endpoint answers with an error
 * @param bodyLimit         largest request body accepted (413 beyond)
 * @param responseLimit     largest answer (before encryption) the endpoint sends; larger ones become errors
 * @param tokenTtl          how long a flow token the bot issues stays valid
 */
public record FlowsConfig(FlowsKey key, String businessAccountId, String definitionsDir, Duration handlerTimeout,
    long bodyLimit, long responseLimit, Duration tokenTtl) {

  private static final Pattern DIGITS = Pattern.compile("\\d{5,20}");
  private static final long MAX_KEY_FILE = 64 * 1024;

  /**
   * @param sandbox in sandbox mode without {@code WHATSAPP_FLOWS_PRIVATE_KEY} a throwaway key is made for
   *                this run, so the sample's forms work out of the box (the simulator encrypts for it)
   */
  static FlowsConfig from(ConfigReader r, boolean sandbox) {
    String businessAccountId = r.optionalString("whatsapp.businessAccountId");
    if (businessAccountId != null && !DIGITS.matcher(businessAccountId).matches()) {
      r.problem("whatsapp.businessAccountId", "must be the numeric WhatsApp Business Account id"
          + " (WhatsApp Manager > Account tools, or the id of entry[] in a webhook)", "");
      businessAccountId = null;
    }
    FlowsKey key = key(r);
    if (key == null && sandbox && r.optionalString("flows.privateKey") == null) {
      key = FlowsKey.generate();
    }
    return new FlowsConfig(
        key,
        businessAccountId,
        r.string("flows.definitionsDir", "\"conf/flows\""),
        // Meta's clients give up on the endpoint after about 10 s; the answer has to be back well before.
        r.duration("flows.handlerTimeout", Duration.ofMillis(100), Duration.ofSeconds(8), "3s"),
        r.bytes("flows.bodyLimit", 1024, 16L * 1024 * 1024, "1MiB"),
        r.bytes("flows.responseLimit", 1024, 16L * 1024 * 1024, "1MiB"),
        r.duration("flows.tokenTtl", Duration.ofMinutes(1), Duration.ofDays(30), "24h"));
  }

  private static FlowsKey key(ConfigReader r) {
    String value = r.optionalString("flows.privateKey");
    String passphrase = r.optionalString("flows.privateKeyPassphrase");
    if (value == null) {
      if (passphrase != null) {
        r.problem("flows.privateKeyPassphrase", "is set but WHATSAPP_FLOWS_PRIVATE_KEY is not;"
            + " set the key too, or unset the passphrase", "");
      }
      return null;
    }
    try {
      return FlowsKey.read(pemOf(value), passphrase);
    } catch (FlowsKeyException e) {
      String path = e.kind().aboutPassphrase() ? "flows.privateKeyPassphrase" : "flows.privateKey";
      String what = e.kind().aboutPassphrase() ? "does not decrypt WHATSAPP_FLOWS_PRIVATE_KEY (wrong passphrase)"
          : e.getMessage() + (e.kind() == FlowsKeyException.Kind.NEEDS_PASSPHRASE
              ? "; set WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE" : "");
      r.problem(path, what, "");
      return null;
    }
  }

  /** The PEM text itself, or the contents of the file the value names. */
  private static String pemOf(String value) throws FlowsKeyException {
    if (value.contains("-----BEGIN")) {
      return value;
    }
    Path path = Path.of(value);
    try {
      if (!Files.isRegularFile(path)) {
        throw new FlowsKeyException(FlowsKeyException.Kind.UNREADABLE, "is neither PEM text nor the path of a file"
            + " (\"" + path + "\" does not exist)");
      }
      if (Files.size(path) > MAX_KEY_FILE) {
        throw new FlowsKeyException(FlowsKeyException.Kind.UNREADABLE, "names \"" + path + "\", which is too large"
            + " to be a PEM key");
      }
      // Read once at start-up, before any traffic: a blocking read is fine here.
      return Files.readString(path);
    } catch (IOException e) {
      throw new FlowsKeyException(FlowsKeyException.Kind.UNREADABLE, "names \"" + path + "\", which cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether {@code POST /flows} is served. */
  public boolean enabled() {
    return key != null;
  }

  /** The same settings with another key (tests, key rotation). */
  public FlowsConfig withKey(FlowsKey newKey) {
    return new FlowsConfig(newKey, businessAccountId, definitionsDir, handlerTimeout, bodyLimit, responseLimit, tokenTtl);
  }
}
