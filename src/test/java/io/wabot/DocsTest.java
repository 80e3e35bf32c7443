package io.wabot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigLoader;
import io.wabot.config.EnvBinding;
import io.wabot.config.EnvBindings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs in step with the code, so they cannot drift: every setting and endpoint is
 * documented, every link and anchor resolves, and the README stays a front door rather than a manual.
 */
class DocsTest {

  static final Path README = Path.of("README.md");
  static final Path CONFIGURATION = Path.of("docs", "configuration.md");
  /** The README is the front door: what it is, how to start, links. The reference lives in docs/. */
  static final long README_BUDGET_BYTES = 40_000;

  /** The routers the features mount their routes on, and where each is mounted (HttpServerVerticle, SandboxRoutes). */
  static final Map<String, String> ROUTER_PREFIXES = Map.of("router", "", "admin", "/admin", "api", "/sandbox/api");
  static final Pattern ROUTE = Pattern.compile("\\b(\\w+)\\.(get|post|put|delete|patch)\\(\"(/[^\"]*)\"");
  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  static final Pattern HEADING = Pattern.compile("^(#{1,6}) (.+)$");

  static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("docs/configuration.md documents every environment variable the service reads")
  void everyVariableDocumented() throws IOException {
    String configuration = read(CONFIGURATION);
    List<String> missing = EnvBindings.ALL.stream().filter(b -> !configuration.contains("| `" + b.name() + "` | `" + b.path() + "` |"))
        .map(EnvBinding::name).toList();
    assertThat(missing).as("variables without a '| `NAME` | `setting` |' row in " + CONFIGURATION).isEmpty();
  }

  @Test
  @DisplayName("docs/configuration.md documents every setting in conf/config.json")
  void everySettingDocumented() throws IOException {
    String configuration = read(CONFIGURATION);
    JsonObject defaults = new JsonObject(read(Path.of(ConfigLoader.DEFAULTS_PATH)));
    List<String> missing = leafPaths(defaults, "").stream().filter(path -> !configuration.contains("`" + path + "`")).toList();
    assertThat(missing).as("settings of conf/config.json not named in " + CONFIGURATION).isEmpty();
  }

  @Test
  @DisplayName("README starts with the command that runs the bot and the command that runs the tests")
  void twoCommandsOnTop() throws IOException {
    List<String> firstLines = read(README).lines().limit(15).toList();
    assertThat(firstLines).anySatisfy(l -> assertThat(l).startsWith("scripts/run "));
    assertThat(firstLines).anySatisfy(l -> assertThat(l).startsWith("mvn -B verify "));
    assertThat(read(Path.of(".ci/run"))).contains("\nmvn -B verify\n");
  }

  @Test
  @DisplayName("README stays a front door: under its size budget, with the reference in docs/")
  void readmeUnderBudget() throws IOException {
    assertThat(Files.size(README)).as("README.md bytes; move reference material to docs/").isLessThanOrEqualTo(README_BUDGET_BYTES);
    assertThat(read(README)).contains("](docs/configuration.md)", "](docs/troubleshooting.md)", "](docs/operations.md)");
  }

  @Test
  @DisplayName("the docs list every HTTP endpoint the service mounts, as METHOD /path")
  void everyEndpointDocumented() throws IOException {
    Set<String> endpoints = endpoints(Path.of("src", "main", "java"));
    assertThat(endpoints).as("endpoints found in the sources").contains("POST /webhook", "GET /admin/queues",
        "GET /sandbox/api/state", "GET /media/{id}");
    String docs = String.join("\n", markdownFiles().stream().map(DocsTest::readUnchecked).toList());
    List<String> missing = endpoints.stream()
        .filter(endpoint -> !Pattern.compile(Pattern.quote(endpoint) + "(?![\\w/{}.-])").matcher(docs).find()).toList();
    assertThat(missing).as("endpoints not in README.md or docs/*.md (the list is in docs/operations.md, Endpoints)").isEmpty();
  }

  @Test
  @DisplayName("every log event and alert Troubleshooting names is one the code emits")
  void troubleshootingNamesRealEvents() throws IOException {
    String code;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      code = String.join("\n", files.filter(p -> p.toString().endsWith(".java")).map(DocsTest::readUnchecked).toList());
    }
    // `redis.persistence_warning`, `graph_auth_failed`: lower-case names with dots or underscores
    Matcher m = Pattern.compile("`([a-z]+(?:[._][a-z]+)+)`").matcher(read(Path.of("docs", "troubleshooting.md")));
    List<String> named = new ArrayList<>();
    while (m.find()) {
      named.add(m.group(1));
    }
    assertThat(named).contains("redis.persistence_warning", "graph_auth_failed", "service.start_failed");
    assertThat(named.stream().distinct().filter(name -> !name.matches(".*\\.(md|json|xml)") && !code.contains("\"" + name + "\""))
        .toList()).as("names in docs/troubleshooting.md that no string in src/main/java carries").isEmpty();
  }

  @Test
  @DisplayName("every relative link and anchor in README.md, quickstart.md and docs/ resolves")
  void linksResolve() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchorsByFile = new HashMap<>();
    for (Path file : markdownFiles()) {
      for (String target : links(read(file))) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // http:, https:, mailto: are not ours to check
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
          broken.add(file + ": " + target + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md")
            && !anchorsByFile.computeIfAbsent(resolved, DocsTest::anchorsUnchecked).contains(anchor)) {
          broken.add(file + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  @DisplayName("anchors are made the way GitHub makes them")
  void anchorsLikeGitHub() {
    assertThat(anchors("# Customers: BSUIDs, usernames and phone numbers\n## 4.3 Point Meta's webhook at it\n"
        + "```\n# not a heading\n```\n## `GET /metrics` (text)\n## Logs\n## Logs\n"))
        .containsExactlyInAnyOrder("customers-bsuids-usernames-and-phone-numbers", "43-point-metas-webhook-at-it",
            "get-metrics-text", "logs", "logs-1");
  }

  @Test
  @DisplayName("the endpoint scan finds mounted routes with their router's prefix and reads :params as {params}")
  void endpointScan() throws IOException {
    Path sources = Files.createTempDirectory("routes");
    try {
      Files.writeString(sources.resolve("Routes.java"), """
          router.get("/health/live").handler(h);
          admin.post("/dead-letters/:queue/:id/replay").handler(h);
          api.delete("/faults").handler(h);
          router.post("/:version/:phoneNumberId/messages").handler(h); // Meta's own path, served by the simulator
          client.post("/webhook").send(body); // a client, not a route
          """);
      assertThat(endpoints(sources)).containsExactlyInAnyOrder("GET /health/live",
          "POST /admin/dead-letters/{queue}/{id}/replay", "DELETE /sandbox/api/faults");
    } finally {
      try (Stream<Path> files = Files.walk(sources)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Every route the sources mount, as {@code METHOD /path}. Meta's own paths (the Graph API simulator's
   * {@code /:version/...} and attachment downloads) are Meta's to document, so they are left out.
   */
  static Set<String> endpoints(Path sources) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        Matcher m = ROUTE.matcher(read(file));
        while (m.find()) {
          String receiver = m.group(1);
          if (receiver.toLowerCase(Locale.ROOT).contains("client")) {
            continue;
          }
          String prefix = ROUTER_PREFIXES.get(receiver);
          assertThat(prefix).as(file + ": routes on '" + receiver + "': tell DocsTest.ROUTER_PREFIXES where it is mounted").isNotNull();
          String path = prefix + m.group(3).replaceAll(":(\\w+)", "{$1}");
          if (path.startsWith("/{version}") || path.startsWith("/whatsapp_business/")) {
            continue;
          }
          out.add(m.group(2).toUpperCase(Locale.ROOT) + " " + (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
        }
      }
    }
    return out;
  }

  static List<Path> markdownFiles() throws IOException {
    List<Path> out = new ArrayList<>(List.of(README, Path.of("quickstart.md")));
    try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    }
    return out;
  }

  /** Link targets outside fenced code blocks. */
  static List<String> links(String markdown) {
    List<String> out = new ArrayList<>();
    boolean code = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        code = !code;
      } else if (!code) {
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
  static Set<String> anchors(String markdown) {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean code = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        code = !code;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (!code && m.matches()) {
        String slug = m.group(2).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        out.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return out;
  }

  private static Set<String> anchorsUnchecked(Path file) {
    return anchors(readUnchecked(file));
  }

  private static String readUnchecked(Path file) {
    try {
      return read(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
