package io.wabot.sandbox;

import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.Application;
import io.wabot.testing.ClusterNodes;
import io.wabot.testing.Http;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two clustered nodes both started with SANDBOX=true: one keeps the page's state, both serve the page. */
class ClusteredSandboxTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String CUSTOMER = "5215512345678";

  private final ClusterNodes nodes = new ClusterNodes(2);
  private final List<Application> apps = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    apps.forEach(TestApps::stop);
  }

  private Application start(int i) {
    Map<String, String> env = new HashMap<>();
    env.put("SANDBOX", "true");
    env.put("REDIS_URL", REDIS.url());
    env.put("HTTP_PORT", "0");
    env.put("SHUTDOWN_TIMEOUT", "5s");
    Application app = TestApps.start(TestApps.config(nodes.env(i, env), new JsonObject()));
    apps.add(app);
    return app;
  }

  private JsonObject json(Application app, String method, String path, JsonObject body) throws Exception {
    return Http.json(app.httpPort(), method, path, body);
  }

  private List<JsonObject> botEntries(Application app) throws Exception {
    JsonArray entries = json(app, "GET", "/sandbox/api/customers/" + CUSTOMER + "/conversation", null).getJsonArray("entries");
    return entries.stream().map(JsonObject.class::cast).filter(e -> "bot".equals(e.getString("from"))).toList();
  }

  /** Reads a node's event stream in the background. */
  private WaitableList<String> stream(Application app) {
    WaitableList<String> lines = new WaitableList<>();
    http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/sandbox/api/stream")).build(),
        HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
          try (Stream<String> body = response.body()) {
            body.forEach(lines::add);
          }
        });
    return lines;
  }

  @Test
  @DisplayName("the page works from either node: one transcript, whichever node answers, and events stream from both")
  void oneStateServedByEveryNode() throws Exception {
    Application owner = start(0);
    Application other = start(1);
    WaitableList<String> events = stream(other);
    events.await(": connected"::equals);

    json(other, "POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana López").put("number", CUSTOMER));
    assertThat(json(owner, "GET", "/sandbox/api/state", null).getJsonArray("customers").encode()).contains(CUSTOMER);

    for (String text : List.of("hola", "menu", "hola")) {
      int before = botEntries(owner).size();
      JsonObject sent = json(other, "POST", "/sandbox/api/customers/" + CUSTOMER + "/messages",
          new JsonObject().put("type", "text").put("text", text));
      assertThat(sent.getInteger("webhookStatus")).isEqualTo(200);
      poll("a reply to \"" + text + "\"").until(() -> botEntries(other).size() > before);
    }
    assertThat(json(owner, "GET", "/sandbox/api/customers/" + CUSTOMER + "/conversation", null))
        .isEqualTo(json(other, "GET", "/sandbox/api/customers/" + CUSTOMER + "/conversation", null));
    // the other node streams the owner's events
    events.await("event: customer"::equals);
    events.await("event: message"::equals);
  }

  @Test
  @DisplayName("when the node keeping the page stops, the other takes over within seconds")
  void takeOver() throws Exception {
    Application owner = start(0);
    Application other = start(1);
    json(owner, "POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana").put("number", CUSTOMER));
    json(other, "POST", "/sandbox/api/faults", new JsonObject().put("fault", "delay").put("delayMs", 10));
    assertThat(json(owner, "GET", "/sandbox/api/faults", null).getJsonArray("faults")).hasSize(1);

    TestApps.stop(owner);
    apps.remove(owner);

    long stopped = System.nanoTime();
    poll("the other node to take the page over").atMost(Duration.ofSeconds(15))
        .until(() -> Http.call(other.httpPort(), "GET", "/sandbox/api/state", null).statusCode() == 200);
    System.out.printf("sandbox page taken over in %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
    assertThat(json(other, "GET", "/sandbox/api/state", null).getJsonArray("customers")).as("the history lived in the owner")
        .isEmpty();
    assertThat(json(other, "GET", "/sandbox/api/faults", null).getJsonArray("faults"))
        .as("the fault injected through the page reached this node's simulator too").hasSize(1);
    json(other, "POST", "/sandbox/api/customers", new JsonObject().put("name", "Ana").put("number", CUSTOMER));
    json(other, "POST", "/sandbox/api/customers/" + CUSTOMER + "/messages", new JsonObject().put("type", "text").put("text", "hola"));
    poll("the reply").until(() -> botEntries(other).size() == 1);
  }
}
