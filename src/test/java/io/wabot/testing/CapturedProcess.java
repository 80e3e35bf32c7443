package io.wabot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Starts a command with its stdout and stderr written to files in a folder, for tests that read them. */
public final class CapturedProcess {

  private final Path dir;

  public CapturedProcess(Path dir) {
    this.dir = dir;
  }

  /**
   * @param environment adjusts the inherited environment (clear it, remove variables) before {@code env} is added
   */
  public Process start(Consumer<Map<String, String>> environment, Map<String, String> env, List<String> command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    environment.accept(builder.environment());
    builder.environment().putAll(env);
    return builder.start();
  }

  public String stdout() throws IOException {
    return Files.readString(dir.resolve("stdout"));
  }

  public String stderr() throws IOException {
    return Files.readString(dir.resolve("stderr"));
  }
}
