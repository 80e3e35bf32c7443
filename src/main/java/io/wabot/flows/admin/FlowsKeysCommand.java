package io.wabot.flows.admin;

import io.wabot.config.FlowsKey;
import io.wabot.config.FlowsKeyException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * {@code scripts/flows-keys}: makes the business's RSA key pair for the Flows endpoint and uploads its
 * public half to the phone number ({@code POST /{phone-number-id}/whatsapp_business_encryption}).
 */
public final class FlowsKeysCommand {

  static final String HELP = """
      Usage: scripts/flows-keys [--out DIR] [--upload] [--public-key FILE] [--dry-run] [--help]

      Makes the 2048-bit RSA key pair of the WhatsApp Flows endpoint (POST /flows) and uploads its
      public half to your phone number, where WhatsApp's clients fetch it to encrypt flow requests.

        --out DIR          where to write flows-private.pem and flows-public.pem (default .data/flows-keys);
                           existing files are never overwritten
        --upload           upload the public key (needs WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID)
        --public-key FILE  upload this existing public key instead of making a new pair (implies --upload)
        --dry-run          make the keys but print the upload request instead of sending it
        --help             this text

      Environment:
        WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE  when set, the private key is written encrypted with it
                                               (AES-256); otherwise unencrypted, readable by you only
        WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID   for --upload
        WHATSAPP_API_BASE_URL, WHATSAPP_API_VERSION       default https://graph.facebook.com, v23.0;
                                               point the base URL at the sandbox's simulator to try it

      Then start the bot with WHATSAPP_FLOWS_PRIVATE_KEY=<DIR>/flows-private.pem (and the passphrase).
      Rotating: make and upload a new pair, then restart the bot with the new private key; requests
      still encrypted for the old key get 421 and WhatsApp's clients fetch the new one (docs/flows.md).
      """;

  private FlowsKeysCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      CommandLine line = new CommandLine(args, Set.of("--upload", "--dry-run", "--help"), Set.of("--out", "--public-key"), env);
      if (line.has("--help")) {
        out.print(HELP);
        return CommandLine.OK;
      }
      String publicPem = line.has("--public-key") ? existingPublicKey(Path.of(line.value("--public-key", ""))) : newPair(line, out);
      if (line.has("--upload") || line.has("--public-key") || line.has("--dry-run")) {
        String phoneNumberId = line.setting("WHATSAPP_PHONE_NUMBER_ID", line.has("--dry-run"),
            "the phone number's id (WhatsApp Manager > API Setup)");
        GraphFlowsClient graph = line.graph(line.has("--dry-run") ? out : null);
        graph.uploadPublicKey(phoneNumberId, publicPem);
        out.println(line.has("--dry-run") ? "Dry run: nothing was uploaded."
            : "Uploaded the public key to phone number " + phoneNumberId + ".");
      }
      return CommandLine.OK;
    } catch (CommandLine.UsageException e) {
      err.println("flows-keys: " + e.getMessage());
      return CommandLine.USAGE;
    } catch (GraphFlowsClient.GraphCallException e) {
      err.println("flows-keys: the upload failed: " + e.getMessage());
      return CommandLine.FAILED;
    } catch (IOException e) {
      err.println("flows-keys: " + e.getMessage());
      return CommandLine.FAILED;
    }
  }

  private static String newPair(CommandLine line, PrintStream out) throws IOException, CommandLine.UsageException {
    Path dir = Path.of(line.value("--out", ".data/flows-keys"));
    Path privateFile = dir.resolve("flows-private.pem");
    Path publicFile = dir.resolve("flows-public.pem");
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw new CommandLine.UsageException(file + " exists already; choose another --out, or upload it with --public-key "
            + publicFile);
      }
    }
    String passphrase = line.env("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", null);
    FlowsKey key = FlowsKey.generate();
    Files.createDirectories(dir);
    Files.writeString(privateFile, "");
    restrict(privateFile);
    Files.writeString(privateFile, passphrase == null ? key.privateKeyPem() : encrypted(key, passphrase));
    Files.writeString(publicFile, key.publicKeyPem());
    out.println("Wrote " + privateFile + (passphrase == null ? " (unencrypted, readable by you only)"
        : " (encrypted with WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE)") + " and " + publicFile + ".");
    out.println("Start the bot with WHATSAPP_FLOWS_PRIVATE_KEY=" + privateFile.toAbsolutePath()
        + (passphrase == null ? "" : " and the same WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE") + ".");
    return key.publicKeyPem();
  }

  private static String existingPublicKey(Path file) throws IOException, CommandLine.UsageException {
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.UsageException(file + " does not exist");
    }
    String pem = Files.readString(file);
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new CommandLine.UsageException(file + " is not a PEM public key (-----BEGIN PUBLIC KEY-----); make one with"
          + " openssl rsa -in private.pem -pubout -out public.pem");
    }
    return pem;
  }

  private static String encrypted(FlowsKey key, String passphrase) throws IOException {
    try {
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(new JcaPKCS8Generator(key.privateKey(), new JceOpenSSLPKCS8EncryptorBuilder(
            JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword(passphrase.toCharArray()).build()));
      }
      return text.toString();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's own permissions protect it.
    }
  }
}
