package io.wabot.benchmark;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays customers against the bot. Each customer holds the {@link Script}'s conversation one step at a
 * time: it POSTs a signed webhook as Meta would, and the step is answered by the first message the
 * fake Graph API sees for that customer after the POST. Replies to one customer leave the bot in
 * order, so the rest of an answer (a text, then a list) follows within milliseconds; a customer speaks
 * again only once its answer has been quiet for {@link #SETTLE}, so that no part of one answer is
 * taken for the answer to the next step. A tap waits for its option to arrive.
 *
 * <p>Two ways to drive: closed loop ({@link #runClosedLoop}: N customers, each sending its next step a
 * think time after the answer) and open loop ({@link #openLoopStage}: a fixed rate of steps, handed
 * to whichever customers are ready). Everything here runs on this verticle's event loop: the fake
 * Graph API's listener, the HTTP client's answers and the timers, so no state is shared across threads.
 */
public final class LoadDriver extends VerticleBase {

  private static final Duration TICK = Duration.ofMillis(10);
  /** How long an answer must have been quiet before its customer speaks again. */
  static final Duration SETTLE = Duration.ofMillis(100);

  private final Script script;
  private final List<Integer> botPorts;
  private final String phoneNumberId;
  private final String accessToken;
  private final Duration graphLatency;
  private final Duration stepTimeout;
  private final Mac hmac;

  private final Map<String, Customer> byNumber = new HashMap<>();
  private final Map<String, Customer> byWamid = new HashMap<>();
  private final List<Customer> customers = new ArrayList<>();
  private final ArrayDeque<Customer> ready = new ArrayDeque<>();
  private HttpClient http;
  private FakeGraphApi graph;
  private int graphPort;
  private long sequence;
  private int nextBot;
  private Window window = new Window("idle", 0);
  private boolean sending;
  private Duration think = Duration.ZERO;
  private boolean openLoop;
  private long sends;
  private long readReceipts;
  private long duplicateReceipts;

  public LoadDriver(Script script, List<Integer> botPorts, String phoneNumberId, String accessToken, String appSecret,
      Duration graphLatency, Duration stepTimeout) {
    this.script = script;
    this.botPorts = botPorts;
    this.phoneNumberId = phoneNumberId;
    this.accessToken = accessToken;
    this.graphLatency = graphLatency;
    this.stepTimeout = stepTimeout;
    try {
      hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port of the fake Graph API, once deployed; the bot is pointed at it. */
  public int graphPort() {
    return graphPort;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000)
        .setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(128));
    graph = new FakeGraphApi(vertx, accessToken, phoneNumberId, graphLatency);
    vertx.setPeriodic(1_000, id -> expireOverdue());
    vertx.setPeriodic(TICK.toMillis(), id -> tick());
    return graph.start(this::onSend).onSuccess(port -> graphPort = port);
  }

  // ---- the two ways to drive ----------------------------------------------------------------------

  /**
   * N customers in a closed loop: {@code warmUp} is played and kept apart, then {@code measure} is
   * recorded; then no new step is sent and the steps still open get {@code stepTimeout} to be answered.
   */
  public Future<List<Window>> runClosedLoop(int count, Duration thinkTime, Duration warmUp, Duration measure) {
    Promise<List<Window>> done = Promise.promise();
    context.runOnContext(v -> {
      think = thinkTime;
      openLoop = false;
      sending = true;
      Window warm = open(new Window("warm-up", 0));
      addCustomers(count);
      // The first messages are spread over a second (or the think time) instead of arriving at once.
      long spread = Math.max(1_000, thinkTime.toMillis());
      for (Customer c : customers) {
        vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(spread), id -> c.become());
      }
      vertx.setTimer(Math.max(1, warmUp.toMillis()), id -> {
        close(warm);
        Window measured = open(new Window("measured", 0));
        vertx.setTimer(measure.toMillis(), id2 -> drain(measured).onComplete(ar -> done.complete(List.of(warm, measured))));
      });
    });
    return done.future();
  }

  /**
   * One stage of the saturation search: {@code rate} steps a second for {@code duration}, each handed to
   * a customer that is ready (the pool grows as needed, up to {@code maxCustomers}), then a drain.
   */
  public Future<Window> openLoopStage(double rate, Duration duration, int maxCustomers) {
    Promise<Window> done = Promise.promise();
    context.runOnContext(v -> {
      openLoop = true;
      think = Duration.ZERO;
      Window stage = open(new Window(String.format("%.0f/s", rate), rate));
      sending = true;
      // A pool big enough for two seconds' worth of steps to be in flight at once.
      int wanted = (int) Math.min(maxCustomers, Math.max(50, rate * 2));
      if (customers.size() < wanted) {
        addCustomers(wanted - customers.size());
      }
      customers.forEach(Customer::become);
      vertx.setTimer(duration.toMillis(), id -> drain(stage).onComplete(ar -> done.complete(stage)));
    });
    return done.future();
  }

  /** Counts of what the fake Graph API saw: messages, read receipts, read receipts for a message already read. */
  public Future<long[]> graphCounts() {
    Promise<long[]> p = Promise.promise();
    context.runOnContext(v -> p.complete(new long[] {sends, readReceipts, duplicateReceipts, graph.rejected()}));
    return p.future();
  }

  private Window open(Window w) {
    w.startNanos = System.nanoTime();
    window = w;
    return w;
  }

  private void close(Window w) {
    w.endNanos = System.nanoTime();
  }

  /** Stops new steps, waits for the open ones (up to the step timeout) and counts the rest as lost. */
  private Future<Void> drain(Window w) {
    close(w);
    sending = false;
    ready.clear();
    customers.forEach(c -> c.queued = false);
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    vertx.setPeriodic(50, id -> {
      boolean open = customers.stream().anyMatch(c -> c.current != null && !c.current.answered && !c.current.lost);
      if (!open || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        for (Customer c : customers) {
          if (c.current != null && !c.current.answered && !c.current.lost) {
            c.current.lost = true;
            c.current.window.lost(c.current.step);
          }
          c.restartIfStuck();
        }
        drained.complete();
      }
    });
    return drained.future();
  }

  private void addCustomers(int count) {
    for (int i = 0; i < count; i++) {
      int n = customers.size();
      // +1 555 numbers (fictional), English by their country code.
      Customer c = new Customer(String.format("1555%07d", 1_000_000 + n), "Bench Customer " + n);
      customers.add(c);
      byNumber.put(c.number, c);
    }
  }

  // ---- timers -------------------------------------------------------------------------------------

  private double tokens;

  /** Open loop: hands out this tick's share of the rate to ready customers. */
  private void tick() {
    if (!openLoop || !sending) {
      tokens = 0;
      return;
    }
    tokens += window.targetRate * TICK.toMillis() / 1000.0;
    while (tokens >= 1) {
      Customer c = ready.poll();
      if (c == null) {
        // Every customer is waiting for the bot: the bot is behind the rate.
        window.starved += (long) tokens;
        tokens -= Math.floor(tokens);
        return;
      }
      tokens--;
      c.queued = false;
      c.send();
    }
  }

  /** A step unanswered after the step timeout is lost; its customer starts over. */
  private void expireOverdue() {
    long now = System.nanoTime();
    for (Customer c : customers) {
      Outstanding o = c.current;
      if (o != null && !o.answered && !o.lost && now - o.postedNanos > stepTimeout.toNanos()) {
        o.lost = true;
        o.window.lost(o.step);
        c.restart();
      } else if (c.waitingSince > 0 && now - c.waitingSince > stepTimeout.toNanos()) {
        window.tapMisses++;
        c.restart();
      }
    }
  }

  // ---- what the fake Graph API saw ----------------------------------------------------------------

  private void onSend(FakeGraphApi.Send send) {
    if (send instanceof FakeGraphApi.ReadReceipt receipt) {
      readReceipts++;
      if (byWamid.remove(receipt.messageId()) == null) {
        duplicateReceipts++; // a message marked read twice: it was processed twice
      }
    } else if (send instanceof FakeGraphApi.Message message) {
      sends++;
      Customer c = byNumber.get(message.to());
      if (c == null) {
        return;
      }
      c.lastMessageNanos = message.arrivedNanos();
      if (c.current == null || c.current.lost) {
        return; // the rest of an answer to a step given up on
      }
      if (message.body().containsKey("interactive")) {
        c.options.add(message.body());
      }
      if (!c.current.answered) {
        c.current.answered = true;
        c.current.window.answered(c.current.step, (message.arrivedNanos() - c.current.postedNanos) / 1_000);
        c.index = (c.index + 1) % script.steps().size();
      }
      c.become();
    }
  }

  // ---- customers ----------------------------------------------------------------------------------

  /** One step posted and not yet finished with. */
  private static final class Outstanding {
    final String step;
    final long postedNanos;
    final Window window;
    boolean answered;
    boolean lost;

    Outstanding(String step, long postedNanos, Window window) {
      this.step = step;
      this.postedNanos = postedNanos;
      this.window = window;
    }
  }

  private final class Customer {
    final String number;
    final String name;
    final List<JsonObject> options = new ArrayList<>();
    int index;
    Outstanding current;
    boolean queued;
    boolean settling;
    long waitingSince;
    long lastMessageNanos;

    Customer(String number, String name) {
      this.number = number;
      this.name = name;
    }

    /** Becomes ready for its next step when its last one is answered and, for a tap, the option is there. */
    void become() {
      if (!sending || queued || settling || (current != null && !current.answered && !current.lost)) {
        return;
      }
      long quietFor = System.nanoTime() - lastMessageNanos;
      if (quietFor < SETTLE.toNanos()) {
        settling = true;
        vertx.setTimer(Math.max(1, (SETTLE.toNanos() - quietFor) / 1_000_000 + 1), id -> {
          settling = false;
          become();
        });
        return;
      }
      Script.Step next = script.steps().get(index);
      if (next.kind() == Script.Step.Kind.TAP && option(next).isEmpty()) {
        if (waitingSince == 0) {
          waitingSince = System.nanoTime();
        }
        return;
      }
      waitingSince = 0;
      queued = true;
      if (openLoop) {
        ready.add(this);
      } else {
        long ms = think.isZero() ? 0 : (long) (think.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble()));
        if (ms == 0) {
          queued = false;
          send();
        } else {
          vertx.setTimer(ms, id -> {
            queued = false;
            if (sending) {
              send();
            }
          });
        }
      }
    }

    /** Starts the conversation over (its step was lost, or its option never came) and speaks again when it may. */
    void restart() {
      reset();
      become();
    }

    /** After a drain: a customer left waiting or with a lost step starts over in the next stage. */
    void restartIfStuck() {
      if (waitingSince > 0 || (current != null && current.lost)) {
        reset();
      }
    }

    private void reset() {
      index = 0;
      waitingSince = 0;
      current = null;
      options.clear();
    }

    /** The option to tap in the answer to the previous step, latest message first. */
    Optional<String[]> option(Script.Step step) {
      for (int i = options.size() - 1; i >= 0; i--) {
        Optional<String[]> found = step.option(options.get(i));
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }

    void send() {
      Script.Step step = script.steps().get(index);
      String wamid = "wamid.BENCHIN" + (++sequence);
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      JsonObject message = new JsonObject().put("from", number).put("id", wamid).put("timestamp", timestamp);
      if (step.kind() == Script.Step.Kind.SAY) {
        message.put("type", "text").put("text", new JsonObject().put("body", step.value()));
      } else {
        String[] option = option(step).orElseThrow();
        String type = option[2].equals("button") ? "button_reply" : "list_reply";
        message.put("type", "interactive").put("interactive", new JsonObject().put("type", type)
            .put(type, new JsonObject().put("id", option[0]).put("title", option[1])));
      }
      options.clear();
      Buffer body = envelope(message).toBuffer();
      current = new Outstanding(step.name(), System.nanoTime(), window);
      window.posted++;
      byWamid.put(wamid, this);
      post(body, current, 0);
    }

    private JsonObject envelope(JsonObject message) {
      JsonObject value = new JsonObject().put("messaging_product", "whatsapp")
          .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", phoneNumberId))
          .put("contacts", new JsonArray().add(new JsonObject().put("wa_id", number).put("profile", new JsonObject().put("name", name))))
          .put("messages", new JsonArray().add(message));
      return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
          .put("id", "102290129340398").put("changes", new JsonArray().add(new JsonObject().put("field", "messages").put("value", value)))));
    }
  }

  /** POSTs a webhook signed as Meta signs it; Meta delivers again after a failure, and so does this. */
  private void post(Buffer body, Outstanding step, int attempt) {
    int port = botPorts.get(nextBot++ % botPorts.size());
    String signature = "sha256=" + HexFormat.of().formatHex(hmac.doFinal(body.getBytes()));
    http.request(HttpMethod.POST, port, "127.0.0.1", "/webhook")
        .compose(request -> request.putHeader("content-type", "application/json").putHeader("X-Hub-Signature-256", signature)
            .send(body).compose(response -> response.body().map(b -> response.statusCode())))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) {
            return;
          }
          step.window.webhookErrors++;
          if (!step.lost && !step.answered && attempt < 5) {
            vertx.setTimer(1_000, id -> post(body, step, attempt + 1));
          }
        });
  }
}
