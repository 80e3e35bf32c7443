package io.wabot.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings out of a {@link LayeredConfig} and collects every problem instead of stopping
 * at the first, so an operator fixes the whole configuration in one go.
 *
 * <p>Each problem is one line naming the environment variable when the setting has one (otherwise
 * the setting's path), what is wrong, and an example of a valid value. Secret values are never
 * quoted back.
 */
public final class ConfigReader {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

  private final LayeredConfig config;
  private final List<String> problems;
  /** For a reader of overrides ({@link #overlaid}): names the settings it owns, null for a plain reader. */
  private final java.util.function.UnaryOperator<String> ownedName;

  public ConfigReader(LayeredConfig config) {
    this(config, new ArrayList<>(), null);
  }

  private ConfigReader(LayeredConfig config, List<String> problems, java.util.function.UnaryOperator<String> ownedName) {
    this.config = config;
    this.problems = problems;
    this.ownedName = ownedName;
  }

  /**
   * A reader of the same settings with {@code overrides} laid over them (one business number's), whose
   * problems join this reader's. Only problems in a setting the overrides set are reported, named where
   * the operator wrote them ({@code prefix} + path, e.g. {@code whatsapp.numbers[1].conversation.businessName});
   * a problem in a shared setting is this reader's to report, once.
   */
  public ConfigReader overlaid(JsonObject overrides, String prefix) {
    ConfigSource source = config.sourceOf("whatsapp.numbers");
    LayeredConfig layered = config.withOverlay(overrides, source);
    java.util.Set<String> leaves = new java.util.HashSet<>();
    collectLeaves(overrides, "", leaves);
    return new ConfigReader(layered, problems, path -> leaves.stream()
        .anyMatch(leaf -> leaf.equals(path) || leaf.startsWith(path + ".") || path.startsWith(leaf + ".")) ? prefix + path : null);
  }

  private static void collectLeaves(JsonObject object, String prefix, java.util.Set<String> leaves) {
    for (String key : object.fieldNames()) {
      String path = prefix + key;
      if (object.getValue(key) instanceof JsonObject child && !child.isEmpty()) {
        collectLeaves(child, path + ".", leaves);
      } else {
        leaves.add(path);
      }
    }
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public LayeredConfig layers() {
    return config;
  }

  /** Records a problem with a setting; {@code example} is a valid value written as a user would set it. */
  public void problem(String path, String what, String example) {
    if (ownedName != null) {
      String name = ownedName.apply(path);
      if (name != null) {
        problems.add(name + ": " + what + " (set in " + describe(config.sourceOf(path)) + "). Example: " + jsonExample(path, example));
      }
      return;
    }
    Optional<EnvBinding> env = EnvBindings.forPath(path);
    String name = env.map(EnvBinding::name).orElse(path);
    String exampleText = env.map(b -> b.name() + "=" + b.example()).orElseGet(() -> jsonExample(path, example));
    Object current = config.get(path);
    boolean isSet = current != null && !(current instanceof String str && str.isBlank());
    String from = isSet ? " (set in " + describe(config.sourceOf(path)) + ")" : "";
    problems.add(name + ": " + what + from + ". Example: " + exampleText);
  }

  /**
   * Records a problem inside a list, named where the operator wrote it (e.g. {@code whatsapp.numbers[1].accessToken});
   * {@code listPath} is the list's setting, whose layer is named.
   */
  public void problemAt(String name, String listPath, String what, String example) {
    problems.add(name + ": " + what + " (set in " + describe(config.sourceOf(listPath)) + "). Example: " + example);
  }

  private static String describe(ConfigSource source) {
    return switch (source) {
      case DEFAULT -> "conf/config.json";
      case FILE -> "CONFIG_FILE";
      case ENV -> "the environment";
    };
  }

  private static String jsonExample(String path, String example) {
    String[] parts = path.split("\\.");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      sb.append(i == 0 ? "{" : " {").append('"').append(parts[i]).append("\":");
    }
    sb.append(' ').append(example);
    sb.append("}".repeat(parts.length));
    return sb.toString();
  }

  private String shown(String path, Object value) {
    return SecretNames.isSecret(path) ? "(value hidden)" : "\"" + SecretNames.display(path, value) + "\"";
  }

  // ---- strings -------------------------------------------------------------------------------

  /** A string that may be absent or blank (then null). Integral numbers are accepted and kept exact. */
  public String optionalString(String path) {
    Object value = config.get(path);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s.isBlank() ? null : s.trim();
    }
    if (value instanceof Number n && isIntegral(n)) {
      return new BigDecimal(n.toString()).toBigInteger().toString();
    }
    problem(path, "must be a string, got " + shown(path, value), "\"...\"");
    return null;
  }

  public String string(String path, String example) {
    String value = optionalString(path);
    if (value == null && config.get(path) == null) {
      problem(path, "is missing", example);
    } else if (value == null && config.get(path) instanceof String) {
      problem(path, "is empty", example);
    }
    return value;
  }

  /** A required string; {@code why} completes "is missing" for the operator, e.g. "it is required unless SANDBOX=true". */
  public String requiredString(String path, String why, String example) {
    String value = optionalString(path);
    if (value == null) {
      problem(path, "is missing; " + why, example);
    }
    return value;
  }

  public Secret optionalSecret(String path) {
    String value = optionalString(path);
    return value == null ? null : new Secret(value);
  }

  public String oneOf(String path, Set<String> allowed, String example) {
    String value = string(path, example);
    if (value != null && !allowed.contains(value)) {
      problem(path, "must be one of " + allowed + ", got " + shown(path, value), example);
      return null;
    }
    return value;
  }

  /** An http(s) URL without a trailing slash. */
  public String httpUrl(String path, String example) {
    String value = string(path, "\"" + example + "\"");
    return value == null ? null : checkUrl(path, value, Set.of("http", "https"), example);
  }

  /** An http(s) URL that may be absent or blank (then null); without a trailing slash. */
  public String optionalHttpUrl(String path, String example) {
    String value = optionalString(path);
    return value == null ? null : checkUrl(path, value, Set.of("http", "https"), example);
  }

  public String url(String path, Set<String> schemes, String example) {
    String value = string(path, "\"" + example + "\"");
    return value == null ? null : checkUrl(path, value, schemes, example);
  }

  /** One URL or a comma-separated list of them (each checked), e.g. the sentinels of a Redis deployment. */
  public List<String> urls(String path, Set<String> schemes, String example) {
    String value = string(path, "\"" + example + "\"");
    List<String> urls = new ArrayList<>();
    if (value == null) {
      return urls;
    }
    for (String part : value.split(",")) {
      String checked = part.isBlank() ? null : checkUrl(path, part.trim(), schemes, example);
      if (checked != null) {
        urls.add(checked);
      }
    }
    return urls;
  }

  private String checkUrl(String path, String value, Set<String> schemes, String example) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!schemes.contains(scheme) || (uri.getHost() == null && !scheme.equals("unix"))) {
        problem(path, "must be a URL starting with " + String.join(":// or ", schemes) + "://, got " + shown(path, value),
            "\"" + example + "\"");
        return null;
      }
      return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    } catch (URISyntaxException e) {
      problem(path, "is not a valid URL (" + e.getReason() + ")", "\"" + example + "\"");
      return null;
    }
  }

  // ---- numbers and flags ---------------------------------------------------------------------

  public int integer(String path, int min, int max, int example) {
    Object value = config.get(path);
    String range = "a whole number from " + min + " to " + max;
    if (value == null) {
      problem(path, "is missing; it must be " + range, Integer.toString(example));
      return example;
    }
    Long parsed = asLong(value);
    if (parsed == null || parsed < min || parsed > max) {
      problem(path, "must be " + range + ", got " + shown(path, value), Integer.toString(example));
      return example;
    }
    return parsed.intValue();
  }

  public double decimal(String path, double min, double max, double example) {
    Object value = config.get(path);
    String range = "a number from " + min + " to " + max;
    Double parsed = null;
    if (value instanceof Number n) {
      parsed = n.doubleValue();
    } else if (value instanceof String s) {
      try {
        parsed = Double.parseDouble(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (parsed == null || parsed.isNaN() || parsed < min || parsed > max) {
      problem(path, (value == null ? "is missing; it must be " : "must be ") + range
          + (value == null ? "" : ", got " + shown(path, value)), Double.toString(example));
      return example;
    }
    return parsed;
  }

  public boolean bool(String path, boolean example) {
    Object value = config.get(path);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "1", "on":
          return true;
        case "false", "no", "0", "off", "":
          return false;
        default:
          break;
      }
    }
    problem(path, (value == null ? "is missing" : "must be true or false, got " + shown(path, value)), Boolean.toString(example));
    return example;
  }

  /** A duration written with a unit: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 24h}, {@code 7d}. */
  public Duration duration(String path, Duration min, Duration max, String example) {
    Object value = config.get(path);
    Duration parsed = value instanceof String s ? parseDuration(s) : null;
    if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      String what = value == null ? "is missing" : parsed == null
          ? "must be a duration with a unit (ms, s, m, h, d), got " + shown(path, value)
          : "must be between " + format(min) + " and " + format(max) + ", got " + shown(path, value);
      problem(path, what, "\"" + example + "\"");
      return parseDuration(example);
    }
    return parsed;
  }

  /**
   * A size in bytes, written as a number or with a unit: {@code 3MiB}, {@code 512KiB} (powers of 1024) or
   * {@code 250MB}, {@code 64KB} (powers of 1000, as memory budgets are usually stated).
   */
  public long bytes(String path, long min, long max, String example) {
    Object value = config.get(path);
    Long parsed = null;
    if (value instanceof Number n && isIntegral(n)) {
      parsed = n.longValue();
    } else if (value instanceof String s) {
      parsed = parseSize(s);
    }
    if (parsed == null || parsed < min || parsed > max) {
      String what = value == null ? "is missing"
          : "must be a size from " + min + " to " + max + " bytes (units B, KiB, MiB, GiB, KB, MB, GB allowed), got " + shown(path, value);
      problem(path, what, "\"" + example + "\"");
      return parseSize(example);
    }
    return parsed;
  }

  public JsonObject object(String path) {
    Object value = config.get(path);
    if (value instanceof JsonObject obj) {
      return obj.copy();
    }
    problem(path, value == null ? "is missing" : "must be a JSON object", "{}");
    return new JsonObject();
  }

  public JsonArray array(String path) {
    Object value = config.get(path);
    if (value instanceof JsonArray arr) {
      return arr.copy();
    }
    if (value instanceof String s) {
      // Lists from the environment are comma-separated.
      JsonArray arr = new JsonArray();
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          arr.add(part.trim());
        }
      }
      return arr;
    }
    problem(path, value == null ? "is missing" : "must be a JSON array", "[]");
    return new JsonArray();
  }

  // ---- parsing helpers -----------------------------------------------------------------------

  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  public static Long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KiB" -> amount * 1024;
      case "MiB" -> amount * 1024 * 1024;
      case "GiB" -> amount * 1024 * 1024 * 1024;
      case "KB" -> amount * 1000;
      case "MB" -> amount * 1000 * 1000;
      case "GB" -> amount * 1000 * 1000 * 1000;
      default -> amount;
    };
  }

  public static String format(Duration d) {
    if (d.toMillis() % 86_400_000 == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d);
    }
    return true;
  }

  private static Long asLong(Object value) {
    if (value instanceof Number n) {
      return isIntegral(n) ? n.longValue() : null;
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
