package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs a download may fetch, checked before every connection (the first URL and each redirect):
 * only {@code https} to public addresses, so a forged or hijacked URL cannot make the bot fetch its own
 * admin endpoints, a cloud metadata service (169.254.169.254) or anything else inside the network.
 * Host names are resolved and every address they resolve to must be public.
 *
 * <p>{@code media.allowInsecureUrls} lifts both rules (a proxy inside your network); trusted origins
 * (the sandbox's simulator on 127.0.0.1) pass as they are.
 */
public final class UrlPolicy {

  private final boolean allowInsecure;
  private final Set<String> trustedOrigins;

  private UrlPolicy(boolean allowInsecure, Set<String> trustedOrigins) {
    this.allowInsecure = allowInsecure;
    this.trustedOrigins = trustedOrigins;
  }

  /** https to public addresses only. */
  public static UrlPolicy strict() {
    return new UrlPolicy(false, Set.of());
  }

  /** Anything http(s). */
  public static UrlPolicy insecure() {
    return new UrlPolicy(true, Set.of());
  }

  /** Strict, except for these origins (e.g. {@code http://127.0.0.1:4567}), which pass. */
  public static UrlPolicy trusting(String... baseUrls) {
    return new UrlPolicy(false, Set.of(baseUrls).stream().map(u -> origin(URI.create(u))).collect(Collectors.toSet()));
  }

  public boolean trusts(URI uri) {
    return trustedOrigins.contains(origin(uri));
  }

  /** Succeeds with null when {@code uri} may be fetched, else with the reason it may not. */
  public Future<MediaFailure> check(Vertx vertx, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      return refused("not an http(s) URL");
    }
    if (trusts(uri) || allowInsecure) {
      return Future.succeededFuture();
    }
    if (!scheme.equals("https")) {
      return refused("plain http to " + uri.getHost());
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false).transform(resolved -> {
      if (resolved.failed()) {
        return Future.succeededFuture(MediaFailure.of(resolved.cause() instanceof UnknownHostException
            ? MediaFailure.Reason.TRANSPORT : MediaFailure.Reason.URL_REFUSED, "cannot resolve " + host));
      }
      for (InetAddress address : resolved.result()) {
        if (!isPublic(address)) {
          return refused(host + " is a private address (" + address.getHostAddress() + ")");
        }
      }
      return Future.succeededFuture();
    });
  }

  private static Future<MediaFailure> refused(String why) {
    return Future.succeededFuture(MediaFailure.of(MediaFailure.Reason.URL_REFUSED, why));
  }

  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      return first != 0 && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0) && !(first == 198 && (second == 18 || second == 19))
          && first < 240;
    }
    return !(address instanceof Inet6Address) || (b[0] & 0xFE) != 0xFC; // unique local fc00::/7
  }

  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
  }
}
