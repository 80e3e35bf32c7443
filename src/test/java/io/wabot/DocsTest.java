package io.wabot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigLoader;
import io.wabot.config.EnvBinding;
import io.wabot.config.EnvBindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps README's configuration tables in step with the code, so the docs cannot drift. */
class DocsTest {

  static String readme() throws IOException {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  @DisplayName("README documents every environment variable the service reads")
  void everyVariableDocumented() throws IOException {
    String readme = readme();
    for (EnvBinding binding : EnvBindings.ALL) {
      assertThat(readme).as(binding.name()).contains("| `" + binding.name() + "` | `" + binding.path() + "` |");
    }
  }

  @Test
  @DisplayName("README documents every setting in conf/config.json")
  void everySettingDocumented() throws IOException {
    String readme = readme();
    JsonObject defaults = new JsonObject(Files.readString(Path.of(ConfigLoader.DEFAULTS_PATH)));
    for (String path : leafPaths(defaults, "")) {
      assertThat(readme).as(path).contains("`" + path + "`");
    }
  }

  @Test
  @DisplayName("README starts with the command that runs the bot and the command that runs the tests")
  void twoCommandsOnTop() throws IOException {
    List<String> firstLines = readme().lines().limit(15).toList();
    assertThat(firstLines).anySatisfy(l -> assertThat(l).startsWith("scripts/run "));
    assertThat(firstLines).anySatisfy(l -> assertThat(l).startsWith("mvn -B verify "));
    assertThat(Files.readString(Path.of(".ci/run"))).contains("\nmvn -B verify\n");
  }

  static List<String> leafPaths(JsonObject json, String prefix) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : json) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof JsonObject child && !child.isEmpty()) {
        out.addAll(leafPaths(child, path));
      } else {
        out.add(path);
      }
    }
    return out;
  }
}
