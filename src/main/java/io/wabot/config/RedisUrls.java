package io.wabot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one Redis endpoint the way the Redis client will read it ({@code scheme://[user:password@]host[:port][/db]},
 * {@code ?db=} as well), so that a URL it would choke on at the first connection (with a
 * {@code NumberFormatException} and a stack trace) is a configuration problem at start-up instead.
 *
 * <p>What is wrong is named by its part; the password and the host are never quoted back (a password
 * with an unencoded {@code @} or {@code #} ends up in the host), only the short scheme, port and database
 * texts that are not secrets.
 */
final class RedisUrls {

  static final Set<String> SCHEMES = Set.of("redis", "rediss", "unix");

  /** A short fragment safe and useful to quote: what a port or a database number was mistyped as. */
  private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9._-]{1,24}");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

  private RedisUrls() {
  }

  /** What is wrong with one endpoint, completing "REDIS_URL: ..."; null when the client can use it. */
  static String problem(String endpoint, RedisConfig.Mode mode) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      return "is not a valid URL (" + e.getReason() + " at character " + (e.getIndex() + 1)
          + "); percent-encode special characters of a password, e.g. @ as %40";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      return "must be a URL starting with redis://, rediss:// (TLS) or unix://"
          + (QUOTABLE.matcher(scheme).matches() ? ", not " + scheme + "://" : "");
    }
    String database = database(uri, scheme);
    String problem = scheme.equals("unix") ? unixProblem(uri) : hostProblem(uri);
    if (problem == null && database != null && !DIGITS.matcher(database).matches()) {
      problem = "selects database " + quote(database) + "; a database is a number, e.g. /0";
    }
    if (problem == null && mode == RedisConfig.Mode.CLUSTER && database != null && Integer.parseInt(database) != 0) {
      problem = "selects database " + database + ", but a Redis Cluster has database 0 only";
    }
    if (problem == null && uri.getRawUserInfo() != null && !decodes(uri.getRawUserInfo())) {
      problem = "has a user or password that is not percent-encoded correctly (a % must start %XX)";
    }
    return problem;
  }

  private static String hostProblem(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      return "names no host";
    }
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    int portStart = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
    if (portStart > 0) {
      String port = hostPort.substring(portStart + 1);
      if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
        return "has port " + quote(port) + "; a port is a number from 1 to 65535";
      }
    }
    if (uri.getHost() == null) {
      return "names no valid host; percent-encode special characters of a password, e.g. @ as %40";
    }
    return null;
  }

  private static String unixProblem(URI uri) {
    return uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
        ? "names no socket path, e.g. unix:///run/redis/redis.sock" : null;
  }

  /** The database the URL selects: its path ({@code /2}), else its {@code db} query parameter; null for none. */
  private static String database(URI uri, String scheme) {
    String path = uri.getPath();
    if (!scheme.equals("unix") && path != null && path.length() > 1) {
      return path.substring(1);
    }
    String query = uri.getQuery();
    if (query != null) {
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("db=")) {
          return parameter.substring(3);
        }
      }
    }
    return null;
  }

  private static boolean decodes(String raw) {
    try {
      URLDecoder.decode(raw, StandardCharsets.UTF_8);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String quote(String fragment) {
    return QUOTABLE.matcher(fragment).matches() ? "\"" + fragment + "\"" : "(" + fragment.length() + " characters)";
  }
}
