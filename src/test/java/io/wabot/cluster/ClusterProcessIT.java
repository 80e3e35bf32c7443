package io.wabot.cluster;

import static io.wabot.testing.Futures.await;
import static io.wabot.testing.Polling.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.queue.Queues;
import io.wabot.queue.RedisJobQueue;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.testing.ClusterNodes;
import io.wabot.testing.Http;
import io.wabot.testing.JarProcess;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.RedisServer;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes as two processes of the packaged jar, started as production starts them, clustered on
 * loopback and sharing one Redis, with the Graph API simulated in this JVM. Messages of each
 * conversation are posted to both nodes' webhooks in turn, as a load balancer in front of them would.
 */
class ClusterProcessIT {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi();

  @TempDir
  Path dir;

  private final ClusterNodes cluster = new ClusterNodes(2);
  private final List<Node> nodes = new ArrayList<>();
  private GraphApiSimulator simulator;

  /** One running jar. */
  private record Node(int index, int port, JarProcess jar) {
    Process process() {
      return jar.process();
    }

    long pid() {
      return jar.pid();
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(node -> node.process().destroy()); // both at once: a stopping node waits for its peer otherwise
    nodes.forEach(node -> node.jar().close());
  }

  private Node launch(int i) throws Exception {
    return launch(i, true);
  }

  private Node launch(int i, boolean clustered) throws Exception {
    Path overrides = Files.writeString(dir.resolve("node" + i + ".json"),
        // A killed node's conversations return to the queue after 3 s instead of 30 s.
        "{\"queue\": {\"lease\": \"3s\", \"reaperInterval\": \"500ms\"}}");
    Map<String, String> env = clustered ? cluster.env(i, TestApps.liveEnv(REDIS.url())) : TestApps.liveEnv(REDIS.url());
    int port = RedisServer.freePort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
    env.put("CONFIG_FILE", overrides.toString());
    simulator = graph.simulator();
    Path log = dir.resolve("node" + i + ".log");
    long started = System.nanoTime();
    Node node = new Node(i, port, JarProcess.start(env, log, log));
    nodes.add(node);
    node.jar().awaitReady(port, Duration.ofSeconds(30));
    System.out.printf("node %d (pid %d) ready in %d ms%n", i, node.pid(), (System.nanoTime() - started) / 1_000_000);
    return node;
  }

  private static String customer(int i) {
    return "4915200" + String.format("%06d", i);
  }

  /**
   * POSTs message {@code k} of every conversation to node {@code k % 2}, as a load balancer would; a
   * node that does not answer gets the delivery retried on the other, as Meta retries a webhook that
   * failed. Returns the posted message ids per customer, in order.
   */
  private Map<String, List<String>> post(int customers, int messagesEach, Runnable midway) throws Exception {
    Map<String, List<String>> posted = new LinkedHashMap<>();
    int total = customers * messagesEach;
    int sent = 0;
    for (int k = 0; k < messagesEach; k++) {
      for (int c = 0; c < customers; c++) {
        String wamid = Webhooks.newWamid();
        JsonObject body = Webhooks.text(wamid, customer(c), "hi");
        // The profile name changes with every message and the bot greets by it: "Hi Anaac! ..." answers message 2.
        body.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
            .getJsonArray("contacts").getJsonObject(0).getJsonObject("profile").put("name", marker(k));
        deliver(body, k % 2);
        posted.computeIfAbsent(customer(c), x -> new ArrayList<>()).add(wamid);
        if (++sent == total / 2) {
          midway.run();
        }
      }
    }
    return posted;
  }

  private void deliver(JsonObject body, int preferred) throws Exception {
    for (int attempt = 0; attempt < nodes.size(); attempt++) {
      Node node = nodes.get((preferred + attempt) % nodes.size());
      try {
        HttpResponse<String> response = Webhooks.postSigned(node.port(), body);
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException refused) {
        // the node is gone: the delivery goes to the other one
      }
    }
    throw new AssertionError("no node took the webhook");
  }

  /** A name the bot greets by, unique per message of a conversation: Anaaa, Anaab, ... */
  private static String marker(int k) {
    return "Ana" + (char) ('a' + k / 26) + (char) ('a' + k % 26);
  }

  private static final Pattern GREETING = Pattern.compile("Hi (Ana[a-z]{2})!");

  /** The ids of the messages the bot marked read so far. */
  private Set<String> read() {
    Set<String> ids = new HashSet<>();
    simulator.accepted().stream().filter(r -> "read".equals(r.kind())).forEach(r -> ids.add(r.body().getString("message_id")));
    return ids;
  }

  /** The names one customer was greeted by so far: one per message answered. */
  private Set<String> greeted(String customer) {
    Set<String> names = new HashSet<>();
    for (RecordedRequest r : simulator.accepted()) {
      if (customer.equals(r.recipient()) && !"read".equals(r.kind())) {
        Matcher greeting = GREETING.matcher(r.body().encode());
        if (greeting.find()) {
          names.add(greeting.group(1));
        }
      }
    }
    return names;
  }

  /** The simulator's accepted requests to one customer, in arrival order. */
  private List<RecordedRequest> to(String customer) {
    return simulator.accepted().stream()
        .filter(r -> customer.equals(r.recipient()) || customer.equals(readReceiptCustomer(r)))
        .toList();
  }

  private final Map<String, String> customerOfMessage = new java.util.concurrent.ConcurrentHashMap<>();

  private String readReceiptCustomer(RecordedRequest r) {
    return "read".equals(r.kind()) ? customerOfMessage.get(r.body().getString("message_id")) : null;
  }

  /**
   * Checks one customer's requests: every message read (read receipts go in a queue conversation of
   * their own, so only their count matters) and every message answered by its greeting, in the order
   * posted. Returns what was sent more than once.
   */
  private List<String> checkConversation(String customer, List<String> wamids) {
    List<RecordedRequest> requests = to(customer);
    List<String> duplicates = new ArrayList<>();
    Map<String, Long> reads = requests.stream().filter(r -> "read".equals(r.kind()))
        .collect(Collectors.groupingBy(r -> r.body().getString("message_id"), LinkedHashMap::new, Collectors.counting()));
    assertThat(reads.keySet()).as("%s: every message read", customer).containsExactlyInAnyOrderElementsOf(wamids);
    reads.forEach((id, times) -> {
      if (times > 1) {
        duplicates.add(customer + ": read receipt of " + id + " sent " + times + " times");
      }
    });
    List<String> answered = new ArrayList<>();
    for (RecordedRequest r : requests) {
      if (!"read".equals(r.kind())) {
        Matcher greeting = GREETING.matcher(r.body().encode());
        assertThat(greeting.find()).as("%s: an unexpected reply %s", customer, r.body()).isTrue();
        String name = greeting.group(1);
        if (!answered.isEmpty() && answered.get(answered.size() - 1).equals(name)) {
          duplicates.add(customer + ": reply to message " + name + " sent twice");
        } else {
          answered.add(name);
        }
      }
    }
    List<String> expected = IntStream.range(0, wamids.size()).mapToObj(ClusterProcessIT::marker).toList();
    assertThat(answered).as("%s: each message answered once, in the order posted", customer).isEqualTo(expected);
    return duplicates;
  }

  private Map<String, List<String>> postAndAwait(int customers, int messagesEach, Runnable midway) throws Exception {
    long started = System.nanoTime();
    Map<String, List<String>> posted = post(customers, messagesEach, midway);
    posted.forEach((customer, ids) -> ids.forEach(id -> customerOfMessage.put(id, customer)));
    int total = customers * messagesEach;
    try {
      // woken by every message the simulator accepts
      graph.accepted().awaitUntil("every message answered and read", accepted -> posted.entrySet().stream()
          .allMatch(e -> greeted(e.getKey()).size() == e.getValue().size() && read().containsAll(e.getValue())),
          Duration.ofSeconds(60));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; logs:\n" + nodes.stream()
          .map(n -> "--- node " + n.index() + "\n" + n.jar().tail()).collect(Collectors.joining("\n")), e);
    }
    // A late duplicate (a job whose node died mid-send runs again when its lease expires) is still a job
    // in a queue: once both queues are empty, nothing more can arrive and the counts are final.
    awaitQueuesDrained();
    System.out.printf("%d messages of %d conversations answered through %d node(s) in %d ms%n", total, customers,
        nodes.size(), (System.nanoTime() - started) / 1_000_000);
    return posted;
  }

  private void awaitQueuesDrained() {
    AppConfig config = TestApps.liveConfig(REDIS.url());
    Redis redis = Redis.createClient(graph.vertx(), REDIS.url());
    try {
      for (String name : List.of(Queues.INBOUND, Queues.OUTBOUND)) {
        RedisJobQueue queue = new RedisJobQueue(graph.vertx(), redis, config.queue(), config.redis(), name);
        poll("the " + name + " queue to drain").atMost(Duration.ofSeconds(30))
            .until(() -> await(queue.stats()).waiting() == 0);
      }
    } finally {
      redis.close();
    }
  }

  private JsonObject clusterCheck(Node node) throws Exception {
    return Http.readinessCheck(node.port(), "cluster");
  }

  /** VmRSS of a node's process in MB, as the spec's memory budget counts it. */
  private static long rssMb(Node node) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + node.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1);
  }

  @Test
  @DisplayName("messages of one conversation posted to both nodes in turn are answered once each and in order; readiness lists both members")
  void alternatingNodes() throws Exception {
    Node first = launch(0);
    Node second = launch(1);
    for (Node node : List.of(first, second)) {
      JsonObject check = clusterCheck(node);
      assertThat(check.getString("status")).isEqualTo("UP");
      assertThat(check.getJsonObject("data").getJsonArray("members"))
          .isEqualTo(new JsonArray().add(cluster.member(0)).add(cluster.member(1)));
    }

    answeredOnceInOrder(first, second);
  }

  @Test
  @DisplayName("without CLUSTER, two processes on one Redis answer just as safely: Redis alone orders and shares the work")
  void unclusteredNodes() throws Exception {
    Node first = launch(0, false);
    Node second = launch(1, false);

    answeredOnceInOrder(first, second);
  }

  private void answeredOnceInOrder(Node first, Node second) throws Exception {
    Map<String, List<String>> posted = postAndAwait(10, 6, () -> { });

    List<String> duplicates = new ArrayList<>();
    posted.forEach((customer, ids) -> duplicates.addAll(checkConversation(customer, ids)));
    assertThat(duplicates).as("nothing answered twice").isEmpty();
    assertThat(simulator.accepted().stream().filter(r -> !"read".equals(r.kind())).count())
        .as("one reply (the menu) per message").isEqualTo(60);
    System.out.printf("RSS after the run: node 0 %d MB, node 1 %d MB%n", rssMb(first), rssMb(second));
  }

  @Test
  @DisplayName("a node killed with kill -9 mid-load loses nothing: its leases expire and the other node answers every message, in order")
  void nodeKilledMidLoad() throws Exception {
    launch(0);
    Node victim = launch(1);
    long[] killedAt = new long[1];

    Map<String, List<String>> posted = postAndAwait(20, 5, () -> {
      victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back, leases left behind
      killedAt[0] = System.nanoTime();
    });

    List<String> duplicates = new ArrayList<>();
    posted.forEach((customer, ids) -> duplicates.addAll(checkConversation(customer, ids)));
    System.out.printf("kill -9 mid-load: %d messages answered, %d duplicate send(s)%s%n", 100, duplicates.size(),
        duplicates.isEmpty() ? "" : ": " + duplicates);
    // A request in flight at the kill may have reached the simulator with its wamid not yet written to
    // the job: that one job is sent again. The sender runs at most sender.concurrency requests at once.
    assertThat(duplicates).as("at most the requests in flight at the kill").hasSizeLessThanOrEqualTo(16);
    assertThat(victim.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.process().exitValue()).as("killed, not stopped").isEqualTo(137);
    poll("the survivor to drop the dead member").atMost(Duration.ofSeconds(30))
        .until(() -> clusterCheck(nodes.get(0)).getJsonObject("data").getJsonArray("members").size() == 1);
  }
}
