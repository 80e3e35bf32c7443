import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a bot in sandbox mode produce what an observability lead wants to see in Better Stack: the
 * success path of inbound and outbound messages, then a Graph API outage that opens the circuit
 * breaker (one circuit_open alert, retries, replies waiting), then the recovery (the alert resolved,
 * the waiting replies sent). Run it through scripts/observability-demo.
 */
public final class ObservabilityDemo {

  private static final Pattern BREAKER = Pattern.compile("(?m)^wabot_graph_breaker_state(?:\\{[^}]*\\})? ([0-9.]+)$");
  private static final Pattern GRAPH = Pattern.compile("(?m)^wabot_graph_requests_total\\{([^}]*)\\} ([0-9.]+)$");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String customer = "1650" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
  private final List<String> correlationIds = new ArrayList<>();

  private ObservabilityDemo(String base) {
    this.base = base;
  }

  public static void main(String[] args) {
    String url = "http://127.0.0.1:" + System.getenv().getOrDefault("HTTP_PORT", "8080");
    long outageSeconds = 15;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--url" -> url = i + 1 < args.length ? args[++i] : "";
          case "--outage" -> outageSeconds = seconds(i + 1 < args.length ? args[++i] : "");
          default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see scripts/observability-demo --help)");
        }
      }
      new ObservabilityDemo(url.replaceAll("/$", "")).run(outageSeconds);
    } catch (Exception e) {
      // a bot that is not there or went away, a bad option: one line, as every script says its errors
      System.err.println("scripts/observability-demo: " + (e instanceof java.io.IOException
          ? "no bot answers at " + url + " (" + e + "); start one with scripts/run" : e.getMessage()));
      System.exit(1);
    }
  }

  private static long seconds(String value) {
    try {
      long seconds = Long.parseLong(value);
      if (seconds > 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--outage " + value + ": give a whole number of seconds, e.g. --outage 15");
  }

  private void run(long outageSeconds) throws Exception {
    try {
      call("GET", "/sandbox/api/state", null);
    } catch (Exception e) {
      throw new IllegalStateException("no bot in sandbox mode answers at " + base + " (start it with scripts/run): " + e.getMessage());
    }
    call("DELETE", "/sandbox/api/faults", null);
    call("POST", "/sandbox/api/customers", new JsonObject().put("name", "Demo Observer").put("number", customer));
    System.out.printf("1. Success path: customer +%s writes to the bot at %s%n", customer, base);
    say("hi");
    awaitBotMessages(1, Duration.ofSeconds(15));
    say("headphones");
    awaitBotMessages(2, Duration.ofSeconds(15));
    System.out.printf("   answered: %d bot messages%n%n", botMessages());

    long before = botMessages();
    System.out.printf("2. Graph API outage: the simulator answers HTTP 503 for %d s%n", outageSeconds);
    call("POST", "/sandbox/api/faults", new JsonObject().put("fault", "server_error").put("status", 503)
        .put("forMs", outageSeconds * 1000));
    say("menu");
    say("speakers");
    say("AUD-004");
    boolean opened = waitFor(Duration.ofSeconds(outageSeconds + 20), () -> breakerState() == 2);
    System.out.println(opened
        ? "   the circuit breaker opened: one alert.fired with alert=circuit_open; replies wait in the queue"
        : "   the breaker did not open (fewer failures than sender.breaker.maxFailures); retries are logged as job.retry");

    System.out.println("\n3. Recovery: the outage ends, the breaker tries again and closes");
    boolean closed = waitFor(Duration.ofSeconds(outageSeconds + 90), () -> breakerState() == 0 && botMessages() > before);
    System.out.println(closed
        ? "   the breaker closed (alert.resolved for circuit_open) and the waiting replies were sent: "
            + (botMessages() - before) + " bot messages since the outage began"
        : "   not recovered yet; look at GET " + base + "/health/ready and the bot's log");

    System.out.println("\nGraph API requests by outcome (GET /metrics):");
    Matcher m = GRAPH.matcher(metrics());
    while (m.find()) {
      System.out.printf("   %s %s%n", m.group(1), m.group(2));
    }
    System.out.println("\nIn Better Stack (Live tail), follow each message by its correlation id:");
    correlationIds.forEach(id -> System.out.printf("   correlation_id = \"%s\"%n", id));
    System.out.println("and the alerts:");
    System.out.println("   event = \"alert.fired\" AND alert = \"circuit_open\"");
    System.out.println("   event = \"alert.resolved\" AND alert = \"circuit_open\"");
    System.out.printf("Transcript: GET %s/sandbox/api/customers/%s/conversation%n", base, customer);
  }

  private void say(String text) throws Exception {
    JsonObject sent = call("POST", "/sandbox/api/customers/" + customer + "/messages",
        new JsonObject().put("type", "text").put("text", text));
    String wamid = sent.getJsonObject("entry", new JsonObject()).getString("wamid");
    if (wamid != null) {
      correlationIds.add(wamid);
    }
    System.out.printf("   customer: %-12s (webhook answered %d in %d ms)%n", text, sent.getInteger("webhookStatus"),
        sent.getLong("webhookMs"));
  }

  private void awaitBotMessages(long atLeast, Duration timeout) throws Exception {
    if (!waitFor(timeout, () -> botMessages() >= atLeast)) {
      throw new IllegalStateException("the bot did not answer within " + timeout.toSeconds() + " s");
    }
  }

  private long botMessages() {
    try {
      JsonArray entries = call("GET", "/sandbox/api/customers/" + customer + "/conversation", null)
          .getJsonArray("entries", new JsonArray());
      return entries.stream().filter(e -> "bot".equals(((JsonObject) e).getString("from"))).count();
    } catch (Exception e) {
      return -1;
    }
  }

  /** 0 closed, 1 half-open, 2 open; the highest over the sender instances. */
  private int breakerState() {
    try {
      Matcher m = BREAKER.matcher(metrics());
      int state = -1;
      while (m.find()) {
        state = Math.max(state, (int) Double.parseDouble(m.group(1)));
      }
      return state;
    } catch (Exception e) {
      return -1;
    }
  }

  private String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static boolean waitFor(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(500);
    }
    return condition.getAsBoolean();
  }

  private JsonObject call(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }
}
