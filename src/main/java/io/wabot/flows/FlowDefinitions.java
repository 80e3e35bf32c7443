package io.wabot.flows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flows of {@code conf/flows} (one {@code <name>.json} per flow), read and validated at start-up:
 * a broken file stops the service with one line per problem, like a bad setting.
 */
public final class FlowDefinitions {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");

  private final Map<String, FlowDefinition> byName;

  public FlowDefinitions(Map<String, FlowDefinition> byName) {
    this.byName = Map.copyOf(byName);
  }

  public Optional<FlowDefinition> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<FlowDefinition> all() {
    return byName.values().stream().sorted(java.util.Comparator.comparing(FlowDefinition::name)).toList();
  }

  /** Reads every {@code *.json} of {@code dir}; a missing folder means no flows. Fails with a {@link ConfigException}. */
  public static Future<FlowDefinitions> load(Vertx vertx, String dir) {
    return vertx.fileSystem().exists(dir).compose(exists -> !exists
        ? Future.succeededFuture(new FlowDefinitions(Map.of()))
        : vertx.fileSystem().readDir(dir, ".*\\.json").compose(files -> {
          List<String> sorted = files.stream().sorted().toList();
          List<Future<String>> reads = new ArrayList<>();
          sorted.forEach(file -> reads.add(vertx.fileSystem().readFile(file).map(b -> b.toString())));
          return Future.all(reads).map(done -> {
            Map<String, String> texts = new LinkedHashMap<>();
            for (int i = 0; i < sorted.size(); i++) {
              texts.put(sorted.get(i), done.resultAt(i));
            }
            return parse(texts);
          });
        }));
  }

  /** Validates files given as path → text; the pure part, for tests and the publishing script. */
  public static FlowDefinitions parse(Map<String, String> files) {
    Map<String, FlowDefinition> flows = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    files.forEach((file, text) -> {
      String fileName = Path.of(file).getFileName().toString();
      String name = fileName.substring(0, fileName.length() - ".json".length());
      if (!NAME.matcher(name).matches()) {
        problems.add(file + ": the file name must be the flow's name in lower case letters, digits and underscores"
            + " (e.g. reserve_item.json)");
        return;
      }
      JsonObject json;
      try {
        json = new JsonObject(text);
      } catch (DecodeException | ClassCastException e) {
        problems.add(file + ": is not a JSON object (" + firstLine(e.getMessage()) + ")");
        return;
      }
      List<String> found = FlowJsonValidator.validate(file, json);
      problems.addAll(found);
      if (found.isEmpty()) {
        List<String> screens = new ArrayList<>();
        json.getJsonArray("screens").forEach(s -> screens.add(((JsonObject) s).getString("id")));
        flows.put(name, new FlowDefinition(name, file, json, screens, FlowJsonValidator.routes(json),
            json.containsKey("data_api_version")));
      }
    });
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new FlowDefinitions(flows);
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
  }
}
