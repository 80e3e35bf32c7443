package io.wabot.config;

/**
 * The HTTP server.
 *
 * @param host             interface to bind, {@code 0.0.0.0} for all
 * @param port             port; 0 picks a free one (tests)
 * @param webhookBodyLimit largest webhook body accepted, in bytes; larger POSTs get 413
 * @param instances        HTTP verticle instances (each an event loop)
 */
public record HttpConfig(String host, int port, long webhookBodyLimit, int instances) {

  static HttpConfig from(ConfigReader r) {
    return new HttpConfig(
        r.string("http.host", "\"0.0.0.0\""),
        r.integer("http.port", 0, 65_535, 8080),
        r.bytes("http.webhookBodyLimit", 1024, 64L * 1024 * 1024, "3MiB"),
        r.integer("http.instances", 1, 64, 1));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, webhookBodyLimit, instances);
  }
}
