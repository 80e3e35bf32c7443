package io.wabot.config;

import java.time.Duration;

/**
 * The HTTP server, and what it lets a stranger hold: the webhook is a public URL.
 *
 * @param host                  interface to bind, {@code 0.0.0.0} for all; sandbox mode binds {@code 127.0.0.1}
 *                              unless it is set explicitly
 * @param port                  port; 0 picks a free one (tests)
 * @param webhookBodyLimit      largest webhook body accepted, in bytes; larger POSTs get 413
 * @param instances             HTTP verticle instances (each an event loop)
 * @param webhookBodyBudget     webhook body bytes buffered at once across the process, authenticated or not;
 *                              a POST that does not fit gets 503 with {@code Retry-After} instead of being read
 * @param maxConnections        open connections across the process; beyond it a connection gets 503 and is closed
 * @param maxConcurrentRequests requests in progress across the process (health checks excepted); beyond it 503
 * @param headerTimeout         how long a connection may take to send a request's headers, counted from its
 *                              opening or from its previous response; then it is closed
 * @param requestReadTimeout    how long a request's body may take to arrive once its headers have; then 408 and close
 * @param idleTimeout           a connection on which nothing is read or written for this long is closed
 * @param metricsToken          bearer token {@code GET /metrics} requires, or null for an open endpoint
 */
public record HttpConfig(String host, int port, long webhookBodyLimit, int instances, long webhookBodyBudget,
    int maxConnections, int maxConcurrentRequests, Duration headerTimeout, Duration requestReadTimeout,
    Duration idleTimeout, Secret metricsToken) {

  /** The interface sandbox mode binds unless one is set: its API is unauthenticated and for this machine only. */
  static final String SANDBOX_HOST = "127.0.0.1";

  /** {@code http.webhookBodyBudget} sized from the heap. */
  static final String AUTO = "auto";

  /**
   * The share of the heap the automatic budget takes. A verified body is parsed into a JSON tree several
   * times its size, and the rest of the service needs the remainder: an eighth of the 64 MB heap of
   * {@code conf/jvm.options} (62 MB as the JVM counts it: one survivor space is left out) is 8 MB, two
   * bodies of the 3 MiB limit.
   */
  static final int HEAP_SHARE = 8;

  static final int MIN_METRICS_TOKEN_LENGTH = 16;

  static HttpConfig from(ConfigReader r, boolean sandbox) {
    String host = r.string("http.host", "\"0.0.0.0\"");
    if (sandbox && r.layers().sourceOf("http.host") == ConfigSource.DEFAULT) {
      host = SANDBOX_HOST;
      r.layers().set("http.host", host, ConfigSource.DEFAULT); // so the settings report shows what is used
    }
    long bodyLimit = r.bytes("http.webhookBodyLimit", 1024, 64L * 1024 * 1024, "3MiB");
    return new HttpConfig(
        host,
        r.integer("http.port", 0, 65_535, 8080),
        bodyLimit,
        r.integer("http.instances", 1, 64, 1),
        bodyBudget(r, bodyLimit),
        r.integer("http.maxConnections", 1, 1_000_000, 512),
        r.integer("http.maxConcurrentRequests", 1, 1_000_000, 256),
        r.duration("http.headerTimeout", Duration.ofMillis(100), Duration.ofMinutes(10), "10s"),
        r.duration("http.requestReadTimeout", Duration.ofMillis(100), Duration.ofMinutes(10), "10s"),
        r.duration("http.idleTimeout", Duration.ofSeconds(1), Duration.ofHours(1), "60s"),
        metricsToken(r));
  }

  /** {@code auto}: an eighth of the heap, and never less than one body of the limit. */
  private static long bodyBudget(ConfigReader r, long bodyLimit) {
    if (AUTO.equals(r.layers().get("http.webhookBodyBudget"))) {
      return Math.max(bodyLimit, Runtime.getRuntime().maxMemory() / HEAP_SHARE);
    }
    long budget = r.bytes("http.webhookBodyBudget", 64 * 1024, 16L * 1024 * 1024 * 1024, "12MiB");
    if (budget < bodyLimit) {
      r.problem("http.webhookBodyBudget", "must hold at least one body of http.webhookBodyLimit (" + bodyLimit
          + " bytes), or be \"auto\"", "\"auto\"");
    }
    return budget;
  }

  private static Secret metricsToken(ConfigReader r) {
    Secret token = r.optionalSecret("http.metricsToken");
    if (token != null && token.value().length() < MIN_METRICS_TOKEN_LENGTH) {
      r.problem("http.metricsToken", "must be at least " + MIN_METRICS_TOKEN_LENGTH + " characters long", "");
      return null;
    }
    return token;
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, webhookBodyLimit, instances, webhookBodyBudget, maxConnections,
        maxConcurrentRequests, headerTimeout, requestReadTimeout, idleTimeout, metricsToken);
  }
}
