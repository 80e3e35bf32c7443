package io.wabot.observability;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps {@code docs/grafana/whatsapp-chatbot.json} in step with the code: every metric a panel
 * queries, every label it selects or groups by, and every label value it filters on exist on
 * {@code /metrics} of a running bot that has answered a customer; and every meter of the service's own
 * on {@code /metrics} is described in {@code docs/operations.md}.
 */
class GrafanaDashboardTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final Path DASHBOARD = Path.of("docs", "grafana", "whatsapp-chatbot.json");
  static final Path OPERATIONS = Path.of("docs", "operations.md");
  static final Pattern SELECTOR = Pattern.compile("\\b((?:wabot|vertx|jvm|process)_[a-z0-9_]+)(\\{([^}]*)})?");
  static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  static final Pattern GROUPING = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
  static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");

  private final HttpClient http = HttpClient.newHttpClient();
  private Application app;

  @BeforeEach
  void start() {
    app = TestApps.startSandbox(REDIS.url());
  }

  @AfterEach
  void stop() {
    TestApps.stop(app);
  }

  private void post(String path, JsonObject body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
  }

  /** Each series on /metrics: its name and labels. */
  private List<Map.Entry<String, Map<String, String>>> scrape() throws Exception {
    List<Map.Entry<String, Map<String, String>>> series = new ArrayList<>();
    for (String line : Webhooks.get(app.httpPort(), "/metrics").body().lines().toList()) {
      Matcher m = SERIES.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher pair = MATCHER.matcher(m.group(2) == null ? "" : m.group(2));
      while (pair.find()) {
        labels.put(pair.group(1), pair.group(3));
      }
      series.add(Map.entry(m.group(1), labels));
    }
    return series;
  }

  private static List<String> expressions(JsonObject dashboard) {
    List<String> out = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        out.add(((JsonObject) target).getString("expr"));
      }
    }
    return out;
  }

  /** A customer says hi, so the meters of a whole turn (inbound, reply, Graph API call) are registered. */
  private void oneTurn() throws Exception {
    String customer = "16505550123";
    post("/sandbox/api/customers", new JsonObject().put("name", "Sam Taylor").put("number", customer).put("locale", "en"));
    post("/sandbox/api/customers/" + customer + "/messages", new JsonObject().put("type", "text").put("text", "hi"));
  }

  @Test
  @DisplayName("docs/operations.md describes every one of the service's own meters on /metrics")
  void everyOwnMetricDocumented() throws Exception {
    oneTurn();
    // the Graph API call and the reply's latency are recorded when Meta (the simulator) accepts the reply
    poll("the turn's meters on /metrics").atMost(Duration.ofSeconds(30)).until(() -> scrape().stream().map(Map.Entry::getKey).toList()
        .containsAll(List.of("wabot_graph_requests_total", "wabot_reply_latency_seconds_count")));
    Set<String> own = new TreeSet<>();
    scrape().stream().map(Map.Entry::getKey).filter(name -> name.startsWith("wabot_"))
        .map(name -> name.replaceFirst("_(bucket|count|sum|max)$", "")).forEach(own::add);
    assertThat(own).as("the service's own meters").contains("wabot_queue_depth", "wabot_reply_latency_seconds");
    String operations = Files.readString(OPERATIONS);
    assertThat(own.stream().filter(name -> !operations.contains("`" + name)).toList())
        .as("meters on /metrics not described in " + OPERATIONS + " (Metrics)").isEmpty();
  }

  @Test
  @DisplayName("every metric, label and label value the Grafana dashboard queries exists on /metrics")
  void dashboardQueriesExist() throws Exception {
    oneTurn();
    List<String> expressions = expressions(new JsonObject(Files.readString(DASHBOARD)));
    assertThat(expressions).hasSizeGreaterThan(15);
    Set<String> queried = new HashSet<>();
    expressions.forEach(expr -> SELECTOR.matcher(expr).results().forEach(m -> queried.add(m.group(1))));
    // the answer's meters appear as it is sent and acknowledged: wait for them all, then look closely
    // A busy machine (a CI run beside other work) can take more than the default 10 s for a sandbox turn; a failure
    // names the meters that never came.
    poll("every queried meter on /metrics").atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(scrape().stream().map(Map.Entry::getKey).toList()).containsAll(queried));
    List<Map.Entry<String, Map<String, String>>> series = scrape();

    for (String expr : expressions) {
      Set<String> labelsOfExpr = new HashSet<>(Set.of("le"));
      Matcher selector = SELECTOR.matcher(expr);
      while (selector.find()) {
        String metric = selector.group(1);
        List<Map<String, String>> ofMetric = series.stream().filter(s -> s.getKey().equals(metric)).map(Map.Entry::getValue).toList();
        assertThat(ofMetric).as(metric + " on /metrics (queried by " + expr + ")").isNotEmpty();
        ofMetric.forEach(labels -> labelsOfExpr.addAll(labels.keySet()));
        Matcher matcher = MATCHER.matcher(selector.group(3) == null ? "" : selector.group(3));
        while (matcher.find()) {
          String label = matcher.group(1);
          String value = matcher.group(3);
          assertThat(ofMetric).as(metric + "{" + label + "=\"" + value + "\"} in " + expr)
              .anySatisfy(labels -> assertThat(labels).containsEntry(label, value));
        }
      }
      Matcher grouping = GROUPING.matcher(expr);
      while (grouping.find()) {
        for (String label : grouping.group(1).split(",")) {
          assertThat(labelsOfExpr).as("label " + label.trim() + " grouped by in " + expr).contains(label.trim());
        }
      }
    }
    assertThat(queried).as("the service's own meters are on the dashboard").contains("wabot_reply_latency_seconds_bucket",
        "wabot_queue_depth", "wabot_queue_dead_letters", "wabot_graph_requests_total", "wabot_graph_breaker_state",
        "wabot_process_rss_bytes");
  }
}
