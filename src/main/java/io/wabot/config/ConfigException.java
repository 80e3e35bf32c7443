package io.wabot.config;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** The configuration cannot be used; {@link #problems()} holds one actionable line per problem. */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(problems.size() + " configuration problem(s): " + String.join(" | ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  /**
   * Waits for every check and fails with the problems of all of them in one {@code ConfigException}
   * (or with the first other failure), so an operator sees every broken file at once.
   */
  public static Future<Void> allOf(List<Future<?>> checks) {
    return Future.join(checks).transform(done -> {
      List<String> all = new ArrayList<>();
      Throwable other = null;
      for (Future<?> check : checks) {
        if (check.failed() && check.cause() instanceof ConfigException e) {
          all.addAll(e.problems());
        } else if (check.failed() && other == null) {
          other = check.cause();
        }
      }
      if (!all.isEmpty()) {
        return Future.failedFuture(new ConfigException(all));
      }
      return other != null ? Future.failedFuture(other) : Future.succeededFuture();
    });
  }
}
