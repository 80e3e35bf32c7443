package io.wabot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import io.wabot.conversation.Flow;
import io.wabot.example.sales.SalesBot;
import io.wabot.testing.AdopterClassPath;
import io.wabot.testing.TestApps;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotDiscoveryTest {

  @TempDir
  Path dir;

  /** A second bot an adopter registered next to the example. */
  public static final class OtherBot implements Bot {
    @Override
    public Future<List<Flow>> flows(BotServices services) {
      return Future.succeededFuture(List.of());
    }
  }

  record Strict(int retries, String greeting) {
  }

  /** A bot whose settings are wrong in two ways. */
  public static final class StrictBot implements Bot {
    @Override
    public Object readSettings(BotSettings settings) {
      return new Strict(settings.integer("retries", 1, 5, 3), settings.string("greeting", "\"hello\""));
    }

    @Override
    public Future<List<Flow>> flows(BotServices services) {
      return Future.succeededFuture(List.of());
    }
  }

  /** Registered, but cannot be made. */
  public static final class BrokenBot implements Bot {
    public BrokenBot() {
      throw new IllegalStateException("no catalog");
    }

    @Override
    public Future<List<Flow>> flows(BotServices services) {
      return Future.succeededFuture(List.of());
    }
  }

  @Test
  @DisplayName("the class path's only bot is found without a setting: the example, registered in META-INF/services")
  void theOnlyOne() {
    assertThat(BotDiscovery.find(null, getClass().getClassLoader())).isInstanceOf(SalesBot.class);
  }

  @Test
  @DisplayName("with several registered, BOT_DEFINITION picks one, and without it start-up names them all")
  void several() throws IOException {
    ClassLoader loader = registering(OtherBot.class.getName());
    assertThat(BotDiscovery.find(OtherBot.class.getName(), loader)).isInstanceOf(OtherBot.class);
    assertThat(BotDiscovery.find(SalesBot.class.getName(), loader)).isInstanceOf(SalesBot.class);
    assertThat(problem(() -> BotDiscovery.find(null, loader))).containsExactly(
        "bot: several bots are registered (io.wabot.example.sales.SalesBot, " + OtherBot.class.getName()
            + "); set BOT_DEFINITION to the one to run");
  }

  @Test
  @DisplayName("none registered, a missing class, a class that is no Bot, an unregistered Bot: one line each that says what to do")
  void wrong() throws IOException {
    ClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
    assertThat(problem(() -> BotDiscovery.find(null, empty))).containsExactly(
        "bot: no bot is registered: add META-INF/services/io.wabot.bot.Bot naming your class that implements"
            + " io.wabot.bot.Bot (see docs/extending.md)");
    ClassLoader loader = getClass().getClassLoader();
    assertThat(problem(() -> BotDiscovery.find("com.example.NoSuchBot", loader))).containsExactly(
        "BOT_DEFINITION: no class com.example.NoSuchBot on the class path (registered: io.wabot.example.sales.SalesBot)");
    assertThat(problem(() -> BotDiscovery.find("java.lang.String", loader))).containsExactly(
        "BOT_DEFINITION: java.lang.String does not implement io.wabot.bot.Bot (registered: io.wabot.example.sales.SalesBot)");
    assertThat(problem(() -> BotDiscovery.find(OtherBot.class.getName(), loader))).containsExactly(
        "BOT_DEFINITION: " + OtherBot.class.getName() + " is not registered; add its name to META-INF/services/io.wabot.bot.Bot"
            + " (registered: io.wabot.example.sales.SalesBot)");
    ClassLoader broken = registering(BrokenBot.class.getName());
    assertThat(problem(() -> BotDiscovery.find(BrokenBot.class.getName(), broken))).singleElement().asString()
        .startsWith("bot: " + BrokenBot.class.getName() + " could not be created (java.lang.IllegalStateException: no catalog)");
    ClassLoader typo = registering("com.example.Typo");
    assertThat(problem(() -> BotDiscovery.find(null, typo))).singleElement().asString()
        .startsWith("bot: a line of META-INF/services/io.wabot.bot.Bot is wrong (");
  }

  @Test
  @DisplayName("a bot's own settings are checked at start-up like ours: every problem, one line each, with an example")
  void settings() {
    var config = TestApps.config(TestApps.liveEnv("redis://localhost:1"), new JsonObject()
        .put("bot", new JsonObject().put("settings", new JsonObject().put("retries", 9))));
    assertThat(problem(() -> BotRuntime.of(new StrictBot(), config))).containsExactly(
        "bot.settings.retries: must be a whole number from 1 to 5, got \"9\" (set in CONFIG_FILE). Example: {\"bot\": {\"settings\": {\"retries\": 3}}}",
        "bot.settings.greeting: is missing. Example: {\"bot\": {\"settings\": {\"greeting\": \"hello\"}}}");
  }

  @Test
  @DisplayName("each number's own bot is found and its settings read at start-up; a wrong one is a line naming the number")
  void perNumber() throws Exception {
    java.util.Map<String, String> env = TestApps.liveEnv("redis://localhost:1");
    env.remove("WHATSAPP_PHONE_NUMBER_ID");
    io.vertx.core.json.JsonArray numbers = new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("phoneNumberId", "209876543210001").put("name", "Sales"))
        .add(new JsonObject().put("phoneNumberId", "209876543210002").put("name", "Echo").put("bot", new JsonObject()
            .put("definition", "com.example.echo.EchoBot").put("settings", new JsonObject().put("maxLength", 11))));
    JsonObject shared = new JsonObject().put("bot", new JsonObject().put("definition", SalesBot.class.getName()));
    var config = TestApps.config(env, shared.copy().put("whatsapp", new JsonObject().put("numbers", numbers)));
    BotRuntime runtime = AdopterClassPath.withEchoBot(() -> BotRuntime.load(config));
    assertThat(runtime.forBot(config.whatsapp().numbers().get(0).bot())).isSameAs(runtime);
    assertThat(runtime.forBot(config.whatsapp().numbers().get(1).bot()).bot().getClass().getName())
        .isEqualTo("com.example.echo.EchoBot");

    numbers.getJsonObject(1).getJsonObject("bot").getJsonObject("settings").put("maxLength", 0);
    numbers.add(new JsonObject().put("phoneNumberId", "209876543210003").put("name", "Typo")
        .put("bot", new JsonObject().put("definition", "com.example.Nope")));
    var wrong = TestApps.config(env, shared.copy().put("whatsapp", new JsonObject().put("numbers", numbers)));
    List<String> problems = AdopterClassPath.withEchoBot(() -> problem(() -> BotRuntime.load(wrong)));
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("whatsapp.numbers (Echo): bot.settings.maxLength: must be a whole number from 1 to 4096");
    assertThat(problems.get(1)).startsWith("whatsapp.numbers (Typo): bot.definition: no class com.example.Nope on the class path");
  }

  private ClassLoader registering(String className) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(Bot.class.getName()), className + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private static List<String> problem(Runnable action) {
    try {
      action.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("no ConfigException");
  }
}
