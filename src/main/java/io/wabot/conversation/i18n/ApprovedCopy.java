package io.wabot.conversation.i18n;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.common.Locales;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders every customer-facing sentence of {@code conf/messages/*.json}, in every locale, as one
 * Markdown document for the engineering lead to approve (CX-002, CX-003): each key with its
 * placeholders, the text each locale's customers get (after the fallback chain), the command words,
 * and a fingerprint of the files so a sign-off names exactly what it approved.
 *
 * <pre>
 * java -cp target/whatsapp-chatbot.jar io.wabot.conversation.i18n.ApprovedCopy [--check] [dir] [out]
 * </pre>
 * (what {@code scripts/approved-copy} runs). {@code --check} exits 1 when the document is out of date.
 */
public final class ApprovedCopy {

  public static final Path DEFAULT_DIR = Path.of("conf", "messages");
  public static final Path DEFAULT_OUT = Path.of("docs", "approved-copy.md");
  static final String DEFAULT_LOCALE = "en";

  private ApprovedCopy() {
  }

  public static void main(String[] args) throws IOException {
    boolean check = args.length > 0 && args[0].equals("--check");
    int first = check ? 1 : 0;
    Path dir = args.length > first ? Path.of(args[first]) : DEFAULT_DIR;
    Path out = args.length > first + 1 ? Path.of(args[first + 1]) : DEFAULT_OUT;
    String document = render(read(dir), dir.toString());
    if (check) {
      boolean current = Files.exists(out) && Files.readString(out).equals(document);
      System.out.println(current ? out + " is up to date (copy fingerprint " + fingerprint(read(dir)) + ")"
          : out + " is out of date: run scripts/approved-copy and have the new copy signed off");
      System.exit(current ? 0 : 1);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, document);
    System.out.println("wrote " + out + " (copy fingerprint " + fingerprint(read(dir)) + ")");
  }

  /** The message files of a folder, by locale, in a stable order. */
  public static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = file.getFileName().toString();
        contents.put(name.substring(0, name.length() - ".json".length()), Files.readString(file));
      }
    }
    return contents;
  }

  /** SHA-256 of the files (names and bytes), shortened: what a sign-off approves. */
  public static String fingerprint(Map<String, String> contents) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      contents.forEach((locale, content) -> {
        digest.update(locale.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      });
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String render(Map<String, String> contents, String dir) {
    MessageCatalog catalog = MessageCatalog.parse(dir, contents, DEFAULT_LOCALE, Set.of(), List.of());
    List<String> locales = new ArrayList<>(contents.keySet());
    locales.remove(DEFAULT_LOCALE);
    locales.add(0, DEFAULT_LOCALE);
    Map<String, JsonObject> raw = new LinkedHashMap<>();
    locales.forEach(locale -> raw.put(locale, new JsonObject(contents.get(locale))));
    JsonObject base = raw.get(DEFAULT_LOCALE);

    StringBuilder md = new StringBuilder();
    md.append("# Approved conversation copy\n\n")
        .append("Generated from `").append(dir).append("/*.json` by `scripts/approved-copy`; do not edit by hand.\n")
        .append("Copy fingerprint: **").append(fingerprint(contents)).append("** (record it in `docs/copy-signoff.md`).\n\n")
        .append("Every sentence the bot can send, in every locale, as the customer receives it: `{person}`, `{shop}` and\n")
        .append("the command words are filled in; the other `{placeholders}` are filled at run time. A locale column\n")
        .append("in *italics* inherits the text through the fallback chain (").append(String.join(", ", chains(locales)))
        .append("). Keys starting with `error.` and `fallback.` are the error and fallback messages:\n")
        .append("each tells the customer how to reach a person.\n\n");

    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String key : base.fieldNames()) {
      if (!key.startsWith("_") && !(base.getValue(key) instanceof JsonArray)) {
        groups.computeIfAbsent(key.contains(".") ? key.substring(0, key.indexOf('.')) : key, g -> new ArrayList<>()).add(key);
      }
    }
    groups.forEach((group, keys) -> {
      md.append("\n## ").append(group).append("\n\n| key | placeholders |");
      locales.forEach(l -> md.append(' ').append(l).append(" |"));
      md.append("\n|---|---|");
      locales.forEach(l -> md.append("---|"));
      md.append('\n');
      keys.forEach(key -> row(md, catalog, raw, locales, key));
    });

    md.append("\n## Command words\n\nWhat customers can type anywhere; the first word is the one the copy advertises.\n\n")
        .append("| command |");
    locales.forEach(l -> md.append(' ').append(l).append(" |"));
    md.append("\n|---|");
    locales.forEach(l -> md.append("---|"));
    md.append('\n');
    for (String key : base.fieldNames()) {
      if (base.getValue(key) instanceof JsonArray) {
        md.append("| `").append(key.substring(MessageCatalog.KEYWORDS.length())).append("` |");
        for (String locale : locales) {
          boolean own = raw.get(locale).getValue(key) instanceof JsonArray;
          String words = String.join(", ", catalog.keywords(locale, key.substring(MessageCatalog.KEYWORDS.length())));
          md.append(' ').append(own ? cell(words) : "*" + cell(words) + "*").append(" |");
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  private static void row(StringBuilder md, MessageCatalog catalog, Map<String, JsonObject> raw, List<String> locales,
      String key) {
    md.append("| `").append(key).append("` | ").append(placeholders(raw.get(DEFAULT_LOCALE).getString(key))).append(" |");
    for (String locale : locales) {
      String text = rendered(catalog, locale, key);
      boolean own = raw.get(locale).getValue(key) instanceof String;
      md.append(' ').append(own ? cell(text) : "*" + cell(text) + "*").append(" |");
    }
    md.append('\n');
  }

  /** The text along the locale's chain with ambient placeholders filled and the caller's ones kept visible. */
  private static String rendered(MessageCatalog catalog, String locale, String key) {
    Map<String, Object> visible = new LinkedHashMap<>();
    String text = catalog.text(locale, key);
    for (String name : MessageCatalog.placeholders(text == null ? "" : text)) {
      if (!MessageCatalog.AMBIENT.contains(name) || name.equals("shop")) {
        visible.put(name, "{" + name + "}");
      }
    }
    return catalog.texts(locale, Map.of()).get(key, visible);
  }

  private static String placeholders(String text) {
    List<String> names = new ArrayList<>();
    for (String name : MessageCatalog.placeholders(text)) {
      names.add("`{" + name + "}`");
    }
    return names.isEmpty() ? "" : String.join(" ", names);
  }

  private static List<String> chains(List<String> locales) {
    List<String> out = new ArrayList<>();
    for (String locale : locales) {
      if (!locale.equals(DEFAULT_LOCALE)) {
        out.add(String.join(" → ", Locales.chain(locale, DEFAULT_LOCALE)));
      }
    }
    return out;
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", "<br>");
  }
}
