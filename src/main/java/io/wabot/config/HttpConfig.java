package io.wabot.config;

/**
 * The HTTP server.
 *
 * @param host             interface to bind, {@code 0.0.0.0} for all; sandbox mode binds {@code 127.0.0.1}
 *                         unless it is set explicitly
 * @param port             port; 0 picks a free one (tests)
 * @param webhookBodyLimit largest webhook body accepted, in bytes; larger POSTs get 413
 * @param instances        HTTP verticle instances (each an event loop)
 */
public record HttpConfig(String host, int port, long webhookBodyLimit, int instances) {

  /** The interface sandbox mode binds unless one is set: its API is unauthenticated and for this machine only. */
  static final String SANDBOX_HOST = "127.0.0.1";

  static HttpConfig from(ConfigReader r, boolean sandbox) {
    String host = r.string("http.host", "\"0.0.0.0\"");
    if (sandbox && r.layers().sourceOf("http.host") == ConfigSource.DEFAULT) {
      host = SANDBOX_HOST;
      r.layers().set("http.host", host, ConfigSource.DEFAULT); // so the settings report shows what is used
    }
    return new HttpConfig(
        host,
        r.integer("http.port", 0, 65_535, 8080),
        r.bytes("http.webhookBodyLimit", 1024, 64L * 1024 * 1024, "3MiB"),
        r.integer("http.instances", 1, 64, 1));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, webhookBodyLimit, instances);
  }
}
