package io.wabot;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.testing.CapturedProcess;
import io.wabot.testing.RedisServer;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in {@code scripts/} as a newcomer meets them: they tell the truth, in one line, and
 * {@code scripts/run} leaves nothing running behind it. Runs against the packaged jar, so
 * {@code scripts/run} does not build.
 */
class ScriptsIT {

  @TempDir
  Path work;

  private Process script;

  @AfterEach
  void stopWhatWasStarted() throws Exception {
    if (script != null && script.isAlive()) {
      script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // whatever happened above, the Redis a test's scripts/run started does not outlive the test
    redisPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** A script with the environment of this build, less the settings a developer may have exported. */
  private Process start(Map<String, String> env, String... command) throws IOException {
    return new CapturedProcess(work).start(inherited -> inherited.keySet().removeIf(name -> name.startsWith("WHATSAPP_")
        || Set.of("REDIS_URL", "HTTP_PORT", "HTTP_HOST", "SANDBOX", "CONFIG_FILE", "LOG_FORMAT").contains(name)),
        env, List.of(command));
  }

  private String stdout() throws IOException {
    return new CapturedProcess(work).stdout();
  }

  private String stderr() throws IOException {
    return new CapturedProcess(work).stderr();
  }

  private Path redisDir() {
    return work.resolve("redis");
  }

  private Optional<Long> redisPid() throws IOException {
    Path pidfile = redisDir().resolve("redis.pid");
    return Files.exists(pidfile) ? Optional.of(Long.parseLong(Files.readString(pidfile).trim())) : Optional.empty();
  }

  private static void assertOneLineWithoutStackTrace(String stderr) {
    assertThat(stderr.lines().toList()).as("stderr: " + stderr).hasSize(1);
    assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @DisplayName("scripts/run with its port taken says so, naming HTTP_PORT, and starts nothing")
  void portTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      script = start(Map.of("HTTP_PORT", port), "scripts/run", "--redis-dir", redisDir().toString());
      assertThat(script.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(script.exitValue()).isEqualTo(1);
      assertOneLineWithoutStackTrace(stderr());
      assertThat(stderr()).contains("port " + port + " is already in use", "HTTP_PORT=" + port);
      assertThat(stdout()).doesNotContain("http://");
      assertThat(redisPid()).as("no Redis started").isEmpty();
    }
  }

  @Test
  @DisplayName("scripts/run starts its own Redis, ignores live credentials in sandbox mode, prints the URL of its ready bot"
      + " and, stopped, stops the bot and that Redis")
  void runsAndCleansUp() throws Exception {
    int port = RedisServer.freePort();
    script = start(Map.of("HTTP_PORT", Integer.toString(port), "WHATSAPP_ACCESS_TOKEN", "EAAlive-token-from-quickstart",
        "WHATSAPP_APP_SECRET", "live-app-secret"), "scripts/run", "--redis-dir", redisDir().toString());
    String url = "open http://127.0.0.1:" + port + "/sandbox";
    poll("ready within 60 s").atMost(Duration.ofSeconds(60)).until(() -> stdout().contains(url) || !script.isAlive());
    assertThat(stdout()).contains("sandbox mode: ignoring WHATSAPP_ACCESS_TOKEN WHATSAPP_APP_SECRET from the environment")
        .contains(url);
    assertThat(Webhooks.get(port, "/health/ready").statusCode()).as("the bot it announced is ready").isEqualTo(200);
    long redis = redisPid().orElseThrow();
    assertThat(ProcessHandle.of(redis)).as("its own Redis runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertThat(Files.readString(redisDir().resolve("redis.port")).trim()).isNotEqualTo("6379");

    script.destroy(); // SIGTERM, as Ctrl-C's trap does
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
    assertThat(script.exitValue()).isZero();
    assertThat(stdout()).contains("stopped the Redis it started");
    assertThat(ProcessHandle.of(redis).filter(ProcessHandle::isAlive)).as("its Redis is gone").isEmpty();
    poll("its bot is gone").atMost(Duration.ofSeconds(5)).until(() -> !portAnswers(port));
    assertThat(stderr()).doesNotContain("Exception");
  }

  @Test
  @DisplayName("scripts/run never prints the URL of a bot that did not start: a missing CONFIG_FILE is 'not found'")
  void botThatDoesNotStart() throws Exception {
    Path missing = work.resolve("missing.json");
    script = start(Map.of("HTTP_PORT", Integer.toString(RedisServer.freePort()), "CONFIG_FILE", missing.toString()),
        "scripts/run", "--redis-dir", redisDir().toString());
    assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(script.exitValue()).isEqualTo(1);
    assertThat(stdout()).doesNotContain("http://").doesNotContain("is ready");
    assertThat(stderr()).contains("CONFIG_FILE: \"" + missing + "\" not found")
        .contains("scripts/run: the bot stopped while starting").doesNotContain("\tat ");
    assertThat(stdout()).contains("stopped the Redis it started");
    assertThat(redisPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  @DisplayName("scripts/sandbox-chat without a bot, or with a bad option, says so in one line")
  void sandboxChatMistakes() throws Exception {
    int nobody = RedisServer.freePort();
    script = start(Map.of(), "scripts/sandbox-chat", "--url", "http://127.0.0.1:" + nobody);
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(script.exitValue()).isEqualTo(1);
    assertOneLineWithoutStackTrace(stderr());
    assertThat(stderr()).contains("no bot answers at http://127.0.0.1:" + nobody, "scripts/run");

    script = start(Map.of(), "scripts/sandbox-chat", "--fast");
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(script.exitValue()).isEqualTo(2);
    assertOneLineWithoutStackTrace(stderr());
    assertThat(stderr()).isEqualToIgnoringNewLines("scripts/sandbox-chat: unknown option --fast (see scripts/sandbox-chat --help)");
  }

  @Test
  @DisplayName("every script answers --help with its usage")
  void everyScriptHasHelp() throws Exception {
    for (String name : List.of("run", "sandbox-chat", "observability-demo", "approved-copy", "docker-smoke")) {
      script = start(Map.of(), "scripts/" + name, "--help");
      assertThat(script.waitFor(120, TimeUnit.SECONDS)).as(name).isTrue();
      assertThat(script.exitValue()).as(name + " --help").isZero();
      assertThat(stdout()).as(name).startsWith("Usage: scripts/" + name);
    }
  }

  private static boolean portAnswers(int port) {
    try {
      new java.net.Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
