import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reproduces the attacks of issue 14 against a running bot and says, for each, whether the bot held:
 * it answered what it should, closed what it should, stayed alive and kept answering /health/live.
 * Run it through scripts/attack.
 */
public final class Attack {

  private static final Map<String, String> ATTACKS = new LinkedHashMap<>();

  static {
    ATTACKS.put("bodies", "connections sending 3 MiB bodies with a wrong signature, over and over (the OOM of issue 14)");
    ATTACKS.put("slow-headers", "connections trickling their headers a byte a second (closed by http.headerTimeout)");
    ATTACKS.put("slow-body", "connections trickling their body a byte a second (408, closed by http.requestReadTimeout)");
    ATTACKS.put("idle", "connections that send nothing (closed by http.headerTimeout)");
    ATTACKS.put("admin-tokens", "a flood of wrong ADMIN_TOKENs (401 each, a few log lines in all)");
    ATTACKS.put("verify-tokens", "a flood of wrong verify tokens on GET /webhook (403 each, a few log lines in all)");
    ATTACKS.put("deep-json", "a signed body nested 900 levels deep (400; never a Redis failure)");
    ATTACKS.put("poison", "a signed POST: empty sender, 40-level message and a valid one (200; the others kept in /admin/skipped)");
    ATTACKS.put("replay", "a signed message dated 8 days ago (200, dropped as a replay, never answered)");
    ATTACKS.put("metrics", "GET /metrics without a token (401 when METRICS_TOKEN is set, 200 otherwise)");
  }

  private final String host;
  private final int port;
  private final String appSecret;
  private final String phoneNumberId;
  private final int connections;
  private final Duration duration;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> failures = new ArrayList<>();

  private Attack(URI url, String appSecret, String phoneNumberId, int connections, Duration duration) {
    this.host = url.getHost();
    this.port = url.getPort() < 0 ? 80 : url.getPort();
    this.appSecret = appSecret;
    this.phoneNumberId = phoneNumberId;
    this.connections = connections;
    this.duration = duration;
  }

  public static void main(String[] args) throws Exception {
    String url = "http://127.0.0.1:" + System.getenv().getOrDefault("HTTP_PORT", "8080");
    String secret = System.getenv().getOrDefault("WHATSAPP_APP_SECRET", "sandbox-app-secret");
    String phone = System.getenv().getOrDefault("WHATSAPP_PHONE_NUMBER_ID", "100000000000001");
    int connections = 40;
    int seconds = 20;
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = value(args, ++i, "--url");
        case "--app-secret" -> secret = value(args, ++i, "--app-secret");
        case "--phone-number-id" -> phone = value(args, ++i, "--phone-number-id");
        case "--connections" -> connections = number(value(args, ++i, "--connections"), "--connections");
        case "--seconds" -> seconds = number(value(args, ++i, "--seconds"), "--seconds");
        case "--list" -> {
          ATTACKS.forEach((name, what) -> System.out.printf("  %-14s %s%n", name, what));
          return;
        }
        default -> {
          if (!ATTACKS.containsKey(args[i]) && !args[i].equals("all")) {
            fail("unknown attack or option: " + args[i] + " (see --help or --list)");
          }
          chosen.add(args[i]);
        }
      }
    }
    if (chosen.isEmpty() || chosen.contains("all")) {
      chosen = new ArrayList<>(ATTACKS.keySet());
    }
    Attack attack = new Attack(URI.create(url), secret, phone, connections, Duration.ofSeconds(seconds));
    if (!attack.live()) {
      fail("nothing answers GET " + url + "/health/live; start the bot first (scripts/run), or pass --url");
    }
    for (String name : chosen) {
      attack.run(name);
    }
    System.out.println();
    if (attack.failures.isEmpty()) {
      System.out.println("The bot held against every attack run.");
    } else {
      System.out.println("The bot did not hold: " + String.join(", ", attack.failures));
      System.exit(1);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      fail(option + " needs a value (see --help)");
    }
    return args[i];
  }

  private static int number(String text, String option) {
    try {
      int n = Integer.parseInt(text);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      fail(option + " must be a whole number above 0, got \"" + text + "\"");
      return 0;
    }
  }

  private static void fail(String message) {
    System.err.println("scripts/attack: " + message);
    System.exit(2);
  }

  private void run(String name) throws Exception {
    System.out.printf("%n== %s: %s%n", name, ATTACKS.get(name));
    boolean held = switch (name) {
      case "bodies" -> bodies();
      case "slow-headers" -> slowConnections("POST /webhook HTTP/1.1\r\nHost: bot\r\nX-Padding: " + "a".repeat(10_000), false);
      case "slow-body" -> slowConnections(headers("POST", "/webhook", 5000, "sha256=" + "0".repeat(64)) + "{" + " ".repeat(5000), true);
      case "idle" -> slowConnections("", false);
      // 404: the admin endpoints are off (no ADMIN_TOKEN), which holds too
      case "admin-tokens" -> flood("/admin/dead-letters/outbound", "Bearer wrong-token-from-scripts-attack", 401, 404);
      case "verify-tokens" -> flood("/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null, 403, 403);
      case "deep-json" -> signedBody(body(message("16505550100", 0, 0)).replace("\"extra\":\"x\"",
          "\"extra\":" + "[".repeat(900) + "]".repeat(900)), 400);
      case "poison" -> signedBody(body(message("", 0, 0), message("16505550100", 40, 0), message("16505550100", 0, 0)), 200);
      case "replay" -> signedBody(body(message("16505550100", 0, 8)), 200);
      case "metrics" -> metrics();
      default -> throw new IllegalStateException(name);
    };
    boolean alive = live();
    System.out.printf("   /health/live afterwards: %s%n", alive ? "200" : "NO ANSWER");
    if (!held || !alive) {
      failures.add(name);
    }
    System.out.printf("   %s%n", held && alive ? "HELD" : "DID NOT HOLD");
  }

  // ---- attacks -----------------------------------------------------------------------------------

  private boolean bodies() throws Exception {
    AtomicBoolean on = new AtomicBoolean(true);
    AtomicInteger opened = new AtomicInteger();
    Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    int length = 3 * 1024 * 1024;
    String head = headers("POST", "/webhook", length, "sha256=" + "0".repeat(64));
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread thread = new Thread(() -> {
        while (on.get()) {
          try (Socket socket = connect()) {
            opened.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent + chunk.length < length && on.get(); sent += chunk.length) {
              out.write(chunk);
            }
            answers.computeIfAbsent(statusOf(socket.getInputStream()), k -> new AtomicInteger()).incrementAndGet();
          } catch (IOException closed) {
            answers.computeIfAbsent("closed", k -> new AtomicInteger()).incrementAndGet();
          }
        }
      }, "attack-bodies-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    int healthChecks = 0;
    int healthy = 0;
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      healthChecks++;
      healthy += live() ? 1 : 0;
      TimeUnit.SECONDS.sleep(1);
    }
    on.set(false);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
    }
    System.out.printf("   %d connections in %d s; answers: %s; /health/live answered %d of %d%n", opened.get(),
        duration.toSeconds(), answers, healthy, healthChecks);
    return healthy == healthChecks;
  }

  /** Connections sending {@code text} a byte a second: how long until the bot closes each. */
  private boolean slowConnections(String text, boolean expect408) throws Exception {
    int count = Math.min(connections, 50);
    Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    List<Long> closedAfterMs = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(count);
    long deadline = Duration.ofSeconds(Math.max(60, duration.toSeconds())).toMillis();
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(() -> {
        long start = System.nanoTime();
        try (Socket socket = connect()) {
          socket.setSoTimeout(1000);
          OutputStream out = socket.getOutputStream();
          InputStream in = socket.getInputStream();
          int head = expect408 ? text.indexOf("\r\n\r\n") + 5 : 0;
          out.write(bytes, 0, head);
          StringBuilder answer = new StringBuilder();
          for (int next = head; System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(deadline); next++) {
            if (next < bytes.length) {
              out.write(bytes[next]);
              out.flush();
            }
            try {
              int b = in.read();
              if (b < 0) {
                break;
              }
              answer.append((char) b);
              answer.append(new String(in.readNBytes(Math.max(0, Math.min(in.available(), 200))), StandardCharsets.US_ASCII));
            } catch (java.net.SocketTimeoutException stillOpen) {
              // a second without an answer: trickle the next byte
            }
          }
          String line = answer.toString().lines().findFirst().orElse("(no answer)");
          answers.computeIfAbsent(line, k -> new AtomicInteger()).incrementAndGet();
        } catch (IOException closed) {
          answers.computeIfAbsent("(connection reset)", k -> new AtomicInteger()).incrementAndGet();
        }
        closedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        done.countDown();
      });
      thread.setDaemon(true);
      thread.start();
    }
    boolean allClosed = done.await(deadline + 10_000, TimeUnit.MILLISECONDS);
    long longest = closedAfterMs.stream().mapToLong(Long::longValue).max().orElse(-1);
    System.out.printf("   %d connections; answers: %s; all closed by the bot: %s, the last after %.1f s%n", count,
        answers, allClosed && longest < deadline, longest / 1000.0);
    boolean answeredRight = !expect408 || answers.keySet().stream().allMatch(a -> a.startsWith("HTTP/1.1 408"));
    return allClosed && longest < deadline && answeredRight;
  }

  private boolean flood(String path, String authorization, int expected, int alsoFine) throws Exception {
    int requests = connections * 50;
    Semaphore inFlight = new Semaphore(32);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inFlight.acquire();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofSeconds(10));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      all.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> {
            statuses.computeIfAbsent(error == null ? response.statusCode() : -1, k -> new AtomicInteger()).incrementAndGet();
            inFlight.release();
          }));
    }
    java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
        .exceptionally(e -> null).join();
    System.out.printf("   %d requests; statuses: %s (-1: no answer)%n", requests, statuses);
    System.out.println("   the bot's log should show at most two \"http.rejected\" lines per 10 s for this");
    return statuses.keySet().stream().allMatch(status -> status == expected || status == alsoFine || status == 503);
  }

  private boolean signedBody(String body, int expected) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/webhook"))
        .header("Content-Type", "application/json").header("X-Hub-Signature-256", sign(body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    System.out.printf("   HTTP %d %s (expected %d)%n", response.statusCode(), response.body(), expected);
    if (response.statusCode() == 401) {
      System.out.println("   401: the signature is wrong; pass the bot's --app-secret (WHATSAPP_APP_SECRET)");
    }
    return response.statusCode() == expected;
  }

  private boolean metrics() throws Exception {
    int status = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    System.out.printf("   HTTP %d: %s%n", status, status == 401 ? "METRICS_TOKEN protects it"
        : status == 200 ? "open: set METRICS_TOKEN when this port is reachable from outside" : "unexpected");
    return status == 401 || status == 200;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private boolean live() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health/live"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    return socket;
  }

  private static String statusOf(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
      line.append((char) b);
    }
    while (in.read() >= 0) {
      // until the bot closes the connection
    }
    return line.length() == 0 ? "closed" : line.toString();
  }

  private static String headers(String method, String path, int length, String signature) {
    return method + " " + path + " HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: " + length
        + "\r\nX-Hub-Signature-256: " + signature + "\r\n\r\n";
  }

  /** A text message from {@code from}, {@code levels} deep in an extra field, dated {@code daysAgo} days ago. */
  private static JsonObject message(String from, int levels, int daysAgo) {
    Object nested = "x";
    for (int i = 0; i < levels; i++) {
      nested = new JsonArray().add(nested);
    }
    return new JsonObject().put("from", from).put("id", "wamid.ATTACK" + System.nanoTime())
        .put("timestamp", Long.toString(Instant.now().minus(Duration.ofDays(daysAgo)).getEpochSecond()))
        .put("type", "text").put("text", new JsonObject().put("body", "hi").put("extra", nested));
  }

  private String body(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject message : messages) {
      list.add(message);
    }
    JsonObject value = new JsonObject().put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550000000").put("phone_number_id", phoneNumberId))
        .put("messages", list);
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
        .put("id", "attack").put("changes", new JsonArray().add(new JsonObject().put("field", "messages").put("value", value)))))
        .encode();
  }

  private String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
