package io.wabot.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.config.QueueConfig;
import io.wabot.config.RedisConfig;
import io.wabot.redis.RedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;


/**
 * {@link JobQueue} on Redis: the data structures are described in docs/architecture.md ("The queue") and every
 * change of state is one of the Lua scripts under {@code src/main/resources/lua}.
 *
 * <p>Besides the public API it offers the claim/ack protocol {@link QueueConsumer} uses. Leases are
 * tracked here per job, so a handler holding only the {@link Job} can still
 * {@link #recordResult record a result} under its consumer's lease.
 */
public final class RedisJobQueue implements JobQueue, ClaimableQueue {

  private final Vertx vertx;
  private final QueueConfig config;
  private final String name;
  private final Keyspace keyspace;
  private final String queuePrefix;
  private final ScriptRunner scripts;
  private final Redis redis;
  private final RedisConfig redisConfig;
  /** Only a consumer waits for work: its blocking connection is made on the first wait, never shared. */
  private Redis wakeClient;
  private RedisConnection wakeConnection;
  /**
   * The lease of each job claimed through this queue, by identity: a claim is one {@link Job} instance,
   * so a run that outlived its lease can never use the lease of a later claim of the same job.
   */
  private final Map<Job, String> leaseTokens = Collections.synchronizedMap(new IdentityHashMap<>());
  /** This process's consumers, which jobs stored here may be handed to (looked up once, not on every store). */
  private final LocalConsumers localConsumers;

  public RedisJobQueue(Vertx vertx, Redis redis, QueueConfig config, RedisConfig redisConfig, String name) {
    this.vertx = vertx;
    this.localConsumers = LocalConsumers.of(vertx);
    this.redis = redis;
    this.redisConfig = redisConfig;
    this.config = config;
    this.name = name;
    this.keyspace = Keyspace.of(config);
    this.queuePrefix = keyspace.queue(name);
    this.scripts = new ScriptRunner(redis, redisConfig.commandTimeout());
  }

  @Override
  public String name() {
    return name;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  QueueConfig config() {
    return config;
  }

  /** The list blocked consumers wait on: each token in it means "a conversation became ready". */
  String wakeKey() {
    return queuePrefix + "wake";
  }

  /** The key the queue's scripts are routed by (any key in the bot's hash slot would do). */
  private String routingKey() {
    return queuePrefix + "ready";
  }

  private Future<Response> run(String script, String... args) {
    return run(script, List.of(args));
  }

  /** Arguments are Strings, or Buffers for a job's JSON (see {@link ScriptRunner}). */
  private Future<Response> run(String script, List<?> args) {
    List<Object> all = new ArrayList<>(args.size() + 2);
    all.add(keyspace.prefix());
    all.add(name);
    all.addAll(args);
    return scripts.run(script, routingKey(), all);
  }

  // ---- producers ---------------------------------------------------------------------------------

  @Override
  public Future<List<String>> enqueue(List<NewJob> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Object> args = new ArrayList<>();
    args.add(Long.toString(dedupWindow(name).toMillis()));
    args.add("");
    args.add(Long.toString(config.lease().toMillis()));
    args.add("0");
    List<Encoded> encoded = new ArrayList<>(jobs.size());
    for (NewJob job : jobs) {
      Encoded payload = new Encoded(job);
      encoded.add(payload);
      args.add(job.id());
      args.add(job.conversationId());
      args.add(payload.bytes);
      args.add(job.idTime() == null ? "" : Long.toString(job.idTime().getEpochSecond()));
    }
    // At most one job of each conversation can be handed off: its first.
    List<Encoded> firsts = firstOfEachConversation(encoded);
    // Reserved only once nothing can fail before the script runs: each reservation ends in delivered or recovered.
    HandOff handOff = localConsumers.reserve(keyspace, name, firsts.size());
    if (handOff != null) {
      args.set(1, handOff.token());
      args.set(3, Integer.toString(handOff.slots()));
      firsts.forEach(Encoded::snapshot);
    }
    return run("enqueue", args)
        .onFailure(e -> recover(handOff, asHandedOff(name, firsts)))
        .map(response -> {
          List<Job> jobsHanded = new ArrayList<>();
          try {
            Response handed = response.get(1);
            long now = response.get(2).toLong();
            for (int i = 0; i + 1 < handed.size(); i += 2) {
              jobsHanded.add(handedJob(name, encoded, handed.get(i).toString(), handed.get(i + 1).toString(), now));
            }
          } finally {
            deliver(handOff, jobsHanded);
          }
          List<String> stored = strings(response.get(0));
          if (stored.size() > jobsHanded.size()) {
            signalWork(name);
          }
          return stored;
        });
  }

  /**
   * The first job of each conversation among these, in order: the only ones a store can hand off (see enqueue_one),
   * so as many as there are conversations.
   */
  private static List<Encoded> firstOfEachConversation(List<Encoded> jobs) {
    if (jobs.size() == 1) {
      return jobs;
    }
    Set<String> conversations = new HashSet<>();
    List<Encoded> firsts = new ArrayList<>();
    for (Encoded job : jobs) {
      if (conversations.add(job.job.conversationId())) {
        firsts.add(job);
      }
    }
    return firsts;
  }

  private static void deliver(HandOff handOff, List<Job> jobs) {
    if (handOff != null) {
      handOff.deliver(jobs);
    }
  }

  /**
   * The store's answer is unknown (Redis timed out or failed): the jobs it may have handed off are given back to
   * the ready list, if they were, rather than left to their lease ({@link HandOff#recover}).
   */
  private static void recover(HandOff handOff, List<Job> candidates) {
    if (handOff != null) {
      handOff.recover(candidates);
    }
  }

  /** The first jobs of their conversations ({@link #firstOfEachConversation}), as a store would have handed them off. */
  private static List<Job> asHandedOff(String queue, List<Encoded> firsts) {
    List<Job> jobs = new ArrayList<>(firsts.size());
    for (Encoded first : firsts) {
      NewJob job = first.job;
      jobs.add(new Job(job.id(), queue, job.conversationId(), job.payload(), 1, 0, 0, null, null, false));
    }
    return jobs;
  }

  /**
   * A job's payload as Redis holds it, parsed from its bytes: a String first would decode the UTF-8 into UTF-16 (any
   * emoji makes it so) only for Jackson to read it back char by char.
   */
  private static JsonObject json(Response payload) {
    return new JsonObject(payload.toBuffer());
  }

  /**
   * A job a script stored and leased to a hand-off's consumer at once: its first attempt, never in doubt. The script
   * answers its id, not its payload: the caller has it ({@link Encoded#forHandler}).
   */
  private static Job handedJob(String queue, List<Encoded> stored, String id, String conversationId, long now) {
    Encoded payload = null;
    for (Encoded candidate : stored) {
      if (candidate.job.id().equals(id)) {
        payload = candidate;
        break;
      }
    }
    if (payload == null) {
      throw new IllegalStateException("the store handed off job " + id + ", which it was not given");
    }
    return new Job(id, queue, conversationId, payload.forHandler(), 1, now, now, null, null, false);
  }

  /** A job to store, its payload encoded once: the bytes sent to Redis, and a snapshot for a hand-off. */
  private static final class Encoded {
    final NewJob job;
    final Buffer bytes;
    /** The payload as stored, for a hand-off's consumer; null until taken, or when a copy cannot take it. */
    private JsonObject snapshot;

    Encoded(NewJob job) {
      this.job = job;
      this.bytes = job.payload().toBuffer();
    }

    /**
     * Taken when a hand-off is reserved, within the same call as the encoding (nothing can change the payload in
     * between): a copy of the producer's object, so that what it does to it after the store changes nothing for the
     * consumer. A value a copy cannot take (an object only Jackson knows how to write) leaves it null.
     */
    void snapshot() {
      try {
        snapshot = job.payload().copy();
      } catch (RuntimeException notJson) {
        snapshot = null; // an IllegalStateException from the copy; whatever it is, the bytes stored stand in
      }
    }

    /**
     * The payload a hand-off's consumer runs the job with: the same JSON a claim would parse from Redis, without the
     * parse (it was the largest part of the JSON work a message cost); read back from the bytes when there is no
     * snapshot.
     */
    JsonObject forHandler() {
      return snapshot != null ? snapshot : new JsonObject(bytes);
    }
  }

  /**
   * The inbound queue remembers ids for days because Meta redelivers a message for days; a job a commit
   * enqueues (a timer, a reply) is enqueued once, with its commit, and gets the short window of every
   * other job id.
   */
  private Duration dedupWindow(String queue) {
    return Queues.INBOUND.equals(queue) ? config.inboundDedupWindow() : config.dedupWindow();
  }

  /** Tells consumers in this process (and, clustered, in others) that a queue has new work. */
  private void signalWork(String queue) {
    vertx.eventBus().publish(Queues.workAddress(queue), null);
  }

  // ---- the consumer protocol ---------------------------------------------------------------------

  @Override
  public Future<Claim> claim(String token, int max) {
    return run("claim", token, Long.toString(config.lease().toMillis()), Integer.toString(config.maxAttempts()),
        Integer.toString(Math.max(1, max)))
        .map(response -> {
          if (response == null) {
            return new Empty();
          }
          if ("paused".equals(response.get(0).toString())) {
            return new Paused(Duration.ofMillis(response.get(1).toLong()));
          }
          boolean drained = "1".equals(response.get(1).toString());
          long now = response.get(2).toLong();
          List<Job> jobs = new ArrayList<>((response.size() - 3) / 8);
          for (int i = 3; i + 7 < response.size(); i += 8) {
            Job job = new Job(response.get(i).toString(), name, response.get(i + 1).toString(),
                json(response.get(i + 2)), response.get(i + 3).toInteger(),
                response.get(i + 4).toLong(), now, emptyToNull(response.get(i + 5)), emptyToNull(response.get(i + 6)),
                "1".equals(String.valueOf(response.get(i + 7))));
            leaseTokens.put(job, token);
            jobs.add(job);
          }
          return new Batch(jobs, drained);
        });
  }

  @Override
  public Future<Boolean> ack(Job job, Commit commit) {
    List<Object> effects = new ArrayList<>();
    Map<String, List<Encoded>> enqueued = new HashMap<>();
    for (Commit.Effect effect : commit.effects()) {
      if (effect instanceof Commit.Enqueue e) {
        Encoded payload = new Encoded(e.job());
        effects.addAll(List.of("E", e.queue(), e.job().id(), e.job().conversationId(), payload.bytes,
            Long.toString(config.dedupWindow().toMillis())));
        enqueued.computeIfAbsent(e.queue(), q -> new ArrayList<>()).add(payload);
      } else if (effect instanceof Commit.Put p) {
        effects.addAll(List.of("P", p.key(), p.value(), Long.toString(p.ttl() == null ? 0 : Math.max(1, p.ttl().toMillis()))));
      } else if (effect instanceof Commit.Delete d) {
        effects.addAll(List.of("D", d.key()));
      }
    }
    List<Object> args = new ArrayList<>(List.of(job.conversationId(), job.id(), token(job)));
    // Reserved only once nothing can fail before the script runs: each reservation ends in delivered or recovered.
    Map<String, HandOff> handOffs = reserveHandOffs(enqueued);
    handOffs.forEach((queue, handOff) -> args.addAll(List.of("H", queue, handOff.token(),
        Long.toString(config.lease().toMillis()), Integer.toString(handOff.slots()))));
    args.addAll(effects);
    return run("ack", args)
        .onFailure(e -> handOffs.forEach((queue, handOff) -> recover(handOff,
            asHandedOff(queue, firstOfEachConversation(enqueued.get(queue))))))
        .map(response -> {
          forget(job);
          Map<String, List<Job>> jobsHanded = new HashMap<>();
          try {
            if (response.get(0).toInteger() != 1) {
              return false;
            }
            for (Response queue : response.get(1)) {
              signalWork(queue.toString());
            }
            Response handed = response.get(2);
            long now = response.get(3).toLong();
            for (int i = 0; i + 2 < handed.size(); i += 3) {
              String queue = handed.get(i).toString();
              jobsHanded.computeIfAbsent(queue, q -> new ArrayList<>())
                  .add(handedJob(queue, enqueued.get(queue), handed.get(i + 1).toString(), handed.get(i + 2).toString(), now));
            }
            return true;
          } finally {
            handOffs.forEach((queue, handOff) -> handOff.deliver(jobsHanded.getOrDefault(queue, List.of())));
          }
        });
  }

  /** Slots on this process's consumers of the queues a commit enqueues to, one per conversation at most. */
  private Map<String, HandOff> reserveHandOffs(Map<String, List<Encoded>> enqueued) {
    if (enqueued.isEmpty()) {
      return Map.of();
    }
    Map<String, HandOff> handOffs = new HashMap<>();
    enqueued.forEach((queue, jobs) -> {
      List<Encoded> firsts = firstOfEachConversation(jobs);
      HandOff handOff = localConsumers.reserve(keyspace, queue, firsts.size());
      if (handOff != null) {
        handOffs.put(queue, handOff);
        firsts.forEach(Encoded::snapshot);
      }
    });
    return handOffs;
  }

  Future<RetryResult> retry(Job job, Duration delay, String reason, boolean counted) {
    return retry(job, delay, reason, counted, false);
  }

  @Override
  public Future<RetryResult> retry(Job job, Duration delay, String reason, boolean counted, boolean unfinished) {
    return run("retry", job.conversationId(), job.id(), token(job), Long.toString(delay.toMillis()), reason,
        counted ? "1" : "0", Integer.toString(config.maxAttempts()), unfinished ? "1" : "0")
        .map(response -> {
          forget(job);
          return switch (response.toString()) {
            case "delayed" -> RetryResult.DELAYED;
            case "dead" -> RetryResult.DEAD;
            default -> RetryResult.LOST;
          };
        });
  }

  @Override
  public Future<Boolean> bury(Job job, String reason) {
    return run("dead_letter", job.conversationId(), job.id(), token(job), reason).map(response -> {
      forget(job);
      return response.toInteger() == 1;
    });
  }

  @Override
  public Future<Boolean> heartbeat(Job job) {
    return run("heartbeat", job.conversationId(), job.id(), token(job), Long.toString(config.lease().toMillis()))
        .map(response -> response.toInteger() == 1);
  }

  /**
   * Returns expired leases and due retries of every queue given to the ready list, in one script run
   * (queues sharing this one's Redis and key prefix); the counts of each, queue by queue.
   */
  Future<List<int[]>> reap(List<RedisJobQueue> queues) {
    List<String> args = new ArrayList<>(queues.size() + 2);
    args.add(keyspace.prefix());
    args.add("500");
    queues.forEach(queue -> args.add(queue.name()));
    return scripts.run("reap", routingKey(), args).map(response -> {
      List<int[]> counts = new ArrayList<>(queues.size());
      for (int i = 0; i < queues.size(); i++) {
        int[] pair = {response.get(2 * i).toInteger(), response.get(2 * i + 1).toInteger()};
        counts.add(pair);
        if (pair[0] + pair[1] > 0) {
          signalWork(queues.get(i).name());
        }
      }
      return counts;
    });
  }

  /**
   * Blocks on a connection of its own (a blocking command holds its connection, so it is never the pooled
   * one, and never the event loop) until a wake-up token arrives or {@code timeout} passes.
   */
  @Override
  public Future<Void> awaitWork(Duration timeout) {
    double seconds = timeout.toMillis() / 1000.0;
    long deadline = timeout.plus(redisConfig.commandTimeout()).toMillis();
    return wakeConnection()
        .compose(connection -> connection.send(Request.cmd(Command.BLPOP).arg(wakeKey())
            .arg(String.format(Locale.ROOT, "%.3f", seconds))))
        .timeout(deadline, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .onFailure(e -> closeWakeConnection());
  }

  @Override
  public Future<Void> stopWaiting() {
    closeWakeConnection();
    Redis client = wakeClient;
    wakeClient = null;
    return client == null ? Future.succeededFuture() : client.close();
  }

  private Future<RedisConnection> wakeConnection() {
    if (wakeConnection != null) {
      return Future.succeededFuture(wakeConnection);
    }
    if (wakeClient == null) {
      wakeClient = RedisClients.dedicated(vertx, redisConfig);
    }
    return wakeClient.connect().onSuccess(connection -> {
      wakeConnection = connection;
      connection.exceptionHandler(e -> closeWakeConnection());
      connection.endHandler(v -> wakeConnection = null);
    });
  }

  private void closeWakeConnection() {
    RedisConnection connection = wakeConnection;
    wakeConnection = null;
    if (connection != null) {
      connection.close();
    }
  }

  @Override
  public void adopt(Job job, String token) {
    leaseTokens.put(job, token);
  }

  @Override
  public void forget(Job job) {
    leaseTokens.remove(job);
  }

  private String token(Job job) {
    String token = leaseTokens.get(job);
    return token == null ? "none" : token;
  }

  // ---- results, pauses, stats --------------------------------------------------------------------

  @Override
  public Future<Void> recordResult(Job job, String result) {
    return run("record_result", job.conversationId(), job.id(), token(job), result).compose(response ->
        response.toInteger() == 1 ? Future.succeededFuture() : Future.failedFuture(leaseLost(job)));
  }

  @Override
  public Future<Void> markInDoubt(Job job) {
    return run("mark_doubt", job.conversationId(), job.id(), token(job)).compose(response ->
        response.toInteger() == 1 ? Future.succeededFuture() : Future.failedFuture(leaseLost(job)));
  }

  @Override
  public Future<Optional<String>> settleDoubt(Job job) {
    return run("settle_doubt", job.conversationId(), job.id(), token(job)).compose(response ->
        response.get(0).toInteger() == 1 ? Future.succeededFuture(Optional.ofNullable(emptyToNull(response.get(1))))
            : Future.failedFuture(leaseLost(job)));
  }

  private static IllegalStateException leaseLost(Job job) {
    return new IllegalStateException("lease on job " + job.id() + " was lost");
  }

  @Override
  public Future<Void> pause(Duration duration) {
    return run("pause", Long.toString(Math.max(1, duration.toMillis()))).mapEmpty();
  }

  @Override
  public Future<Duration> pausedFor() {
    return run("paused_for").map(response -> Duration.ofMillis(response.toLong()));
  }

  @Override
  public Future<QueueStats> stats() {
    return run("stats").map(r -> new QueueStats(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(),
        r.get(3).toLong(), r.get(4).toLong(), r.get(5).toLong()));
  }

  // ---- dead letters ------------------------------------------------------------------------------

  @Override
  @SuppressWarnings("deprecation") // ZREVRANGE answers on every Redis; its replacement (ZRANGE ... REV) needs 6.2
  public Future<List<DeadJob>> deadLetters(int offset, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.ZREVRANGE).arg(queuePrefix + "dlq").arg(offset).arg(offset + limit - 1))
        .compose(ids -> {
          List<Future<Optional<DeadJob>>> loads = new ArrayList<>();
          for (String id : strings(ids)) {
            loads.add(deadLetter(id));
          }
          return Future.all(loads).map(all -> {
            List<DeadJob> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
              Optional<DeadJob> job = all.resultAt(i);
              job.ifPresent(out::add);
            }
            return out;
          });
        });
  }

  @Override
  public Future<Optional<DeadJob>> deadLetter(String jobId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(queuePrefix + "dead:" + jobId)).map(response -> {
      Map<String, String> fields = new HashMap<>();
      if (response != null) {
        for (String key : response.getKeys()) {
          fields.put(key, response.get(key).toString());
        }
      }
      if (fields.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new DeadJob(jobId, name, fields.get("cid"), new JsonObject(fields.getOrDefault("payload", "{}")),
          parseInt(fields.get("attempts")), fields.getOrDefault("reason", ""), parseLong(fields.get("enq")),
          parseLong(fields.get("dead_at"))));
    });
  }

  @Override
  public Future<Boolean> replay(String jobId) {
    return run("replay", jobId).map(response -> response.toInteger() == 1).onSuccess(replayed -> {
      if (replayed) {
        signalWork(name);
      }
    });
  }

  @Override
  public Future<Boolean> deleteDeadLetter(String jobId) {
    return run("delete_dead", jobId).map(response -> response.toInteger() == 1);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static List<String> strings(Response response) {
    List<String> out = new ArrayList<>();
    if (response != null) {
      for (Response item : response) {
        out.add(item.toString());
      }
    }
    return out;
  }

  private static String emptyToNull(Response response) {
    String s = response == null ? null : response.toString();
    return s == null || s.isEmpty() ? null : s;
  }

  private static int parseInt(String s) {
    return s == null ? 0 : Integer.parseInt(s);
  }

  private static long parseLong(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }
}
