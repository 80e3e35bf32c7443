package io.wabot.config;

/**
 * One environment variable of the public contract and the setting it overrides.
 *
 * @param name    the variable, e.g. {@code HTTP_PORT}
 * @param path    the dotted path of the setting in {@code conf/config.json}, e.g. {@code http.port}
 * @param secret  whether the value must never be printed
 * @param example a valid value, printed when the variable is missing or wrong
 */
public record EnvBinding(String name, String path, boolean secret, String example) {

  static EnvBinding plain(String name, String path, String example) {
    return new EnvBinding(name, path, false, example);
  }

  static EnvBinding secret(String name, String path, String example) {
    return new EnvBinding(name, path, true, example);
  }
}
