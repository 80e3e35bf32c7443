package io.wabot.config;

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
}
