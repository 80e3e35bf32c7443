import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Plays a whole sales conversation against a bot running in sandbox mode, through the sandbox's JSON
 * API, with one of its business numbers (the default one unless --business names another), and prints the
 * transcript with the time each answer took. Run it through scripts/sandbox-chat.
 */
public final class SandboxChat {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String customer;
  /** {@code ?business=...} naming the business number the customer writes to, or empty for the default number. */
  private final String business;
  private int shown;

  private SandboxChat(String base, String customer, String business) {
    this.base = base;
    this.customer = customer;
    this.business = business.isEmpty() ? "" : "?business=" + java.net.URLEncoder.encode(business,
        java.nio.charset.StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    String url = "http://127.0.0.1:" + System.getenv().getOrDefault("HTTP_PORT", "8080");
    String language = "en";
    String business = "";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--url" -> url = i + 1 < args.length ? args[++i] : "";
          case "--spanish", "--es" -> language = "es";
          case "--business" -> business = i + 1 < args.length ? args[++i] : "";
          default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see scripts/sandbox-chat --help)");
        }
      }
      String number = (language.equals("es") ? "52155" : "1650") + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
      new SandboxChat(url.replaceAll("/$", ""), number, business).run(language);
    } catch (Exception e) {
      // a bot that is not there or went away, a bad option: one line, as every script says its errors
      System.err.println("scripts/sandbox-chat: " + (e instanceof java.io.IOException
          ? "no bot answers at " + url + " (" + e + "); start one with scripts/run" : e.getMessage()));
      System.exit(1);
    }
  }

  private void run(String language) throws Exception {
    boolean es = language.equals("es");
    JsonObject added = call("POST", "/sandbox/api/customers" + business,
        new JsonObject().put("name", es ? "Ana López" : "Jamie Rivera").put("number", customer).put("locale", language));
    String to = call("GET", "/sandbox/api/state", null).getJsonArray("numbers", new JsonArray()).stream()
        .map(JsonObject.class::cast).filter(n -> n.getString("phoneNumberId").equals(added.getString("business")))
        .map(n -> n.getString("name") + " (" + n.getString("businessName") + ")").findFirst().orElse("the bot");
    System.out.printf("Customer %s (+%s) talks to %s at %s%n%n", added.getString("name"), customer, to, base);
    say(es ? "hola" : "hi");
    tap(es ? "Ver productos" : "Browse products");
    tap("Audio");
    tap(es ? "See products" : "See products", es ? "Ver productos" : "See products");
    tap("Nimbus Buds Pro");
    say(es ? "audifonos" : "hedphones");
    tap(es ? "Ver productos" : "See products", "See products");
    tap("Nimbus ANC 700");
    tap(es ? "Apartar" : "Reserve it", "Apartarlo", "Reservar");
    say("menu");
    System.out.printf("%nTranscript: GET %s/sandbox/api/customers/%s/conversation%s%n", base, customer, business);
  }

  // ---- the customer's actions --------------------------------------------------------------------

  private void say(String text) throws Exception {
    send(new JsonObject().put("type", "text").put("text", text));
  }

  /** Taps the reply button or list row with one of these titles (prefix match) in the latest bot messages. */
  private void tap(String... titles) throws Exception {
    List<Object> entries = conversation();
    for (int i = entries.size() - 1; i >= 0; i--) {
      JsonObject entry = (JsonObject) entries.get(i);
      if (!"bot".equals(entry.getString("from"))) {
        continue;
      }
      JsonObject interactive = entry.getJsonObject("message").getJsonObject("interactive");
      if (interactive == null) {
        continue;
      }
      JsonObject action = interactive.getJsonObject("action");
      for (String title : titles) {
        if ("button".equals(interactive.getString("type"))) {
          for (Object b : action.getJsonArray("buttons")) {
            JsonObject reply = ((JsonObject) b).getJsonObject("reply");
            if (matches(reply.getString("title"), title)) {
              send(new JsonObject().put("type", "button").put("id", reply.getString("id"))
                  .put("title", reply.getString("title")).put("context", entry.getString("wamid")));
              return;
            }
          }
        } else {
          for (Object s : action.getJsonArray("sections")) {
            for (Object r : ((JsonObject) s).getJsonArray("rows")) {
              JsonObject row = (JsonObject) r;
              if (matches(row.getString("title"), title)) {
                send(new JsonObject().put("type", "list").put("id", row.getString("id")).put("title", row.getString("title"))
                    .put("description", row.getString("description")).put("context", entry.getString("wamid")));
                return;
              }
            }
          }
        }
      }
    }
    // Not every step offers what the script looks for (e.g. a short list needs no "see products"): go on.
  }

  private static boolean matches(String actual, String wanted) {
    return actual != null && actual.toLowerCase(Locale.ROOT).startsWith(wanted.toLowerCase(Locale.ROOT));
  }

  private void send(JsonObject message) throws Exception {
    long before = botMessages();
    long started = System.nanoTime();
    call("POST", "/sandbox/api/customers/" + customer + "/messages" + business, message);
    long firstReplyMs = -1;
    long lastChange = System.nanoTime();
    long count = before;
    while (System.nanoTime() - started < Duration.ofSeconds(15).toNanos()) {
      long now = botMessages();
      if (now > count) {
        if (firstReplyMs < 0) {
          firstReplyMs = (System.nanoTime() - started) / 1_000_000;
        }
        count = now;
        lastChange = System.nanoTime();
      } else if (count > before && System.nanoTime() - lastChange > Duration.ofMillis(400).toNanos()) {
        break;
      }
      Thread.sleep(25);
    }
    print(firstReplyMs);
  }

  // ---- output ------------------------------------------------------------------------------------

  private void print(long firstReplyMs) throws Exception {
    List<Object> entries = conversation();
    for (int i = shown; i < entries.size(); i++) {
      JsonObject entry = (JsonObject) entries.get(i);
      boolean fromCustomer = "customer".equals(entry.getString("from"));
      String who = fromCustomer ? "customer" : "bot";
      String[] lines = entry.getString("text", "").split("\n");
      for (int l = 0; l < lines.length; l++) {
        System.out.printf("%-9s %s%n", l == 0 ? who : "", lines[l]);
      }
      if (fromCustomer && firstReplyMs >= 0 && i + 1 < entries.size()) {
        System.out.printf("%-9s (answered in %d ms)%n", "", firstReplyMs);
      }
    }
    shown = entries.size();
    System.out.println();
  }

  private long botMessages() throws Exception {
    return conversation().stream().filter(e -> "bot".equals(((JsonObject) e).getString("from"))).count();
  }

  private List<Object> conversation() throws Exception {
    List<Object> entries = new java.util.ArrayList<>();
    // Iterating a JsonArray hands out its objects as JsonObject.
    call("GET", "/sandbox/api/customers/" + customer + "/conversation" + business, null)
        .getJsonArray("entries", new JsonArray()).forEach(entries::add);
    return entries;
  }

  private JsonObject call(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }
}
