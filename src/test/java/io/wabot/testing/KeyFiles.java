package io.wabot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RSA keys made by OpenSSL, in the forms operators have: what the tests read must not come from the
 * code under test.
 */
public final class KeyFiles {

  public static final String PASSPHRASE = "correct horse battery staple";

  private KeyFiles() {
  }

  /** A 2048-bit key as {@code openssl genrsa [options]} writes it, e.g. {@code -des3} (encrypted PKCS#8 on OpenSSL 3). */
  public static Path genrsa(Path dir, String name, String... options) {
    List<String> command = new ArrayList<>(List.of("openssl", "genrsa", "-out", dir.resolve(name).toString()));
    command.addAll(List.of(options));
    if (List.of(options).stream().anyMatch(o -> o.startsWith("-des") || o.startsWith("-aes"))) {
      command.addAll(List.of("-passout", "pass:" + PASSPHRASE));
    }
    command.add("2048");
    Processes.run(command, "");
    return dir.resolve(name);
  }

  /** A plain PKCS#8 key ({@code BEGIN PRIVATE KEY}). */
  public static Path plain(Path dir, String name) {
    return genrsa(dir, name);
  }

  /** The public half of a key file, as {@code openssl rsa -pubout} writes it. */
  public static Path publicOf(Path privateKey, String passphrase) {
    Path out = privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    List<String> command = new ArrayList<>(List.of("openssl", "rsa", "-in", privateKey.toString(), "-pubout", "-out", out.toString()));
    if (passphrase != null) {
      command.addAll(List.of("-passin", "pass:" + passphrase));
    }
    Processes.run(command, "");
    return out;
  }

  /** Any other key or PEM made by {@code openssl <args>}. */
  public static Path openssl(Path file, String... args) {
    Processes.run(List.of(args), "");
    return file;
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
