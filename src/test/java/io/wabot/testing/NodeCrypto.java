package io.wabot.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The WhatsApp Flows encryption done by Node's {@code crypto} ({@code src/test/resources/flows/meta-crypto.js},
 * after Meta's own Node example): vectors made independently of the bot's Java implementation.
 */
public final class NodeCrypto {

  private static final Path SCRIPT = script();

  private NodeCrypto() {
  }

  /** A request as Meta's client sends it: {@code body} to POST, and the AES key and IV to read the answer. */
  public record Request(JsonObject body, String aesKey, String iv) {
  }

  /** A request decrypted as the business would: the payload and the AES key and IV to answer with. */
  public record Decrypted(JsonObject payload, String aesKey, String iv) {
  }

  public static Request encryptRequest(Path publicKey, JsonObject payload) {
    JsonObject out = new JsonObject(run(payload.encode(), "encrypt-request", publicKey.toString()));
    return new Request(out.getJsonObject("body"), out.getString("aesKey"), out.getString("iv"));
  }

  public static JsonObject decryptResponse(Request request, String body) {
    return new JsonObject(run(body, "decrypt-response", request.aesKey(), request.iv()));
  }

  public static Decrypted decryptRequest(Path privateKey, String passphrase, JsonObject body) {
    List<String> args = new ArrayList<>(List.of("decrypt-request", privateKey.toString()));
    if (passphrase != null) {
      args.add(passphrase);
    }
    JsonObject out = new JsonObject(run(body.encode(), args.toArray(String[]::new)));
    return new Decrypted(out.getJsonObject("payload"), out.getString("aesKey"), out.getString("iv"));
  }

  public static String encryptResponse(Decrypted request, JsonObject answer) {
    return run(answer.encode(), "encrypt-response", request.aesKey(), request.iv());
  }

  private static String run(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
    command.addAll(List.of(args));
    return Processes.run(command, stdin);
  }

  private static Path script() {
    try (InputStream in = NodeCrypto.class.getResourceAsStream("/flows/meta-crypto.js")) {
      Path file = Files.createTempFile("meta-crypto", ".js");
      file.toFile().deleteOnExit();
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
