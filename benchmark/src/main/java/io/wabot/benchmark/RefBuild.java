package io.wabot.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another commit of the bot, built for {@code --compare}: its files as git has them ({@code git archive},
 * so neither the working tree nor the repository's worktrees are touched), built with {@code mvn -q -B
 * -DskipTests package} in a folder named after the commit. A commit never changes, so a build that
 * finished is used again by the next comparison with the same commit.
 */
final class RefBuild {

  static final String JAR = "target/whatsapp-chatbot.jar";
  private static final String DONE = ".built";

  private RefBuild() {
  }

  /**
   * A built commit: its folder holds its conf/ (the bot is started from there, with its own
   * conf/jvm.options) and its jar.
   */
  record Built(String ref, String commit, Path dir) {

    Path jar() {
      return dir.resolve(JAR);
    }

    String label() {
      return ref + " (" + commit.substring(0, 7) + ")";
    }
  }

  static Built build(Path root, String ref, Path builds) throws IOException, InterruptedException {
    String commit = resolve(root, ref);
    Built built = new Built(ref, commit, builds.resolve(commit.substring(0, 12)));
    if (Files.isRegularFile(built.dir().resolve(DONE)) && Files.isRegularFile(built.jar())) {
      System.out.printf("==> %s: using the build in %s%n", built.label(), built.dir());
      return built;
    }
    System.out.printf("==> %s: building in %s (mvn -q -B -DskipTests package)%n", built.label(), built.dir());
    extract(root, commit, built.dir());
    Path log = built.dir().resolve("build.log");
    int status = run(List.of("mvn", "-q", "-B", "-DskipTests", "package"), built.dir(), log, Duration.ofMinutes(30));
    if (status != 0 || !Files.isRegularFile(built.jar())) {
      throw new IOException("building " + built.label() + " failed (mvn exited with " + status + "); see " + log);
    }
    Files.writeString(built.dir().resolve(DONE), commit + "\n");
    return built;
  }

  /** The full hash of the commit {@code ref} names (a branch, a tag, a hash, HEAD~3...). */
  static String resolve(Path root, String ref) throws IOException, InterruptedException {
    if (ref.isBlank() || ref.startsWith("-")) {
      throw new IllegalArgumentException("--compare '" + ref + "': give a branch, tag or commit, e.g. --compare main");
    }
    Path out = Files.createTempFile("benchmark-git", ".txt");
    try {
      int status = run(List.of("git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"), root, out, Duration.ofSeconds(30));
      String hash = Files.readString(out, StandardCharsets.UTF_8).strip();
      if (status != 0 || !hash.matches("[0-9a-f]{40,64}")) {
        throw new IllegalArgumentException("--compare " + ref + ": git knows no commit by that name in " + root + " (a branch, tag or hash, e.g. main)");
      }
      return hash;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The commit's files, as {@code git archive} gives them, in a fresh {@code dir}. */
  static void extract(Path root, String commit, Path dir) throws IOException, InterruptedException {
    Folders.delete(dir);
    Files.createDirectories(dir);
    Path tar = dir.resolveSibling(dir.getFileName() + ".tar");
    Path log = dir.resolveSibling(dir.getFileName() + ".log");
    try {
      if (run(List.of("git", "archive", "--format=tar", "-o", tar.toString(), commit), root, log, Duration.ofMinutes(2)) != 0
          || run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()), root, log, Duration.ofMinutes(2)) != 0) {
        throw new IOException("could not extract commit " + commit + ": " + Files.readString(log).strip());
      }
    } finally {
      Files.deleteIfExists(tar);
      Files.deleteIfExists(log);
    }
  }

  /** What the current jar was built from: "HEAD (1a2b3c4)", with "+ uncommitted changes" when the tree differs. */
  static String describeWorkingTree(Path root) {
    try {
      Path out = Files.createTempFile("benchmark-git", ".txt");
      try {
        if (run(List.of("git", "rev-parse", "--short=7", "HEAD"), root, out, Duration.ofSeconds(30)) != 0) {
          return "current";
        }
        String head = Files.readString(out).strip();
        run(List.of("git", "status", "--porcelain", "--untracked-files=no"), root, out, Duration.ofSeconds(30));
        return Files.readString(out).isBlank() ? "HEAD (" + head + ")" : "HEAD (" + head + ") + uncommitted changes";
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return "current";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "current";
    }
  }

  private static int run(List<String> command, Path dir, Path output, Duration timeout) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toMinutes() + " min; see " + output);
    }
    return process.exitValue();
  }
}
