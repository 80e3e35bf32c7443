package io.wabot.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.Application;
import io.wabot.config.AppConfig;
import io.wabot.testing.Polling;
import io.wabot.testing.TestApps;
import io.wabot.testing.Webhooks;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole service in a JVM started with the production flags ({@code @conf/jvm.options}: a 64 MB heap,
 * exit on OutOfMemoryError), run by {@link PipelineMemoryTest}: a signed webhook names a large document,
 * which goes through the inbound queue, the media queue's download job and the store before its turn runs.
 *
 * <p>Arguments: Redis URL, Graph API base URL, media id, media folder. Prints {@code OUTCOME <json>} (the
 * download's outcome as the turn reads it) and {@code HEAP <used before> <used after> <peak>} (bytes; the first two after full GCs); exits 0 when stored.
 */
public final class PipelineMemoryProbe {

  private PipelineMemoryProbe() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = TestApps.liveEnv(args[0]);
    env.put("WHATSAPP_API_BASE_URL", args[1]);
    env.put("MEDIA_DIR", args[3]);
    AppConfig config = TestApps.config(env, new JsonObject()
        .put("queue", new JsonObject().put("pollInterval", "200ms").put("backoffInitial", "50ms").put("backoffMax", "200ms"))
        .put("media", new JsonObject().put("allowInsecureUrls", true).put("minFreeSpace", "0B")
            .put("requestTimeout", "20s").put("downloadTimeout", "3m")));
    Application app = TestApps.start(config);
    Redis redis = Redis.createClient(app.vertx(), args[0]);
    long before = usedAfterGc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

    JsonObject document = MediaConversationTest.media("document", args[2], "application/pdf", null, "catalogue.pdf", false);
    String wamid = document.getString("id");
    JsonObject body = Webhooks.envelope(Webhooks.change(TestApps.PHONE_NUMBER_ID, new JsonArray().add(document), null));
    int status = Webhooks.postSigned(app.httpPort(), body).statusCode();
    String outcomeKey = config.queue().keyPrefix() + MediaJobs.outcomeKey(wamid);
    String inboundJob = config.queue().keyPrefix() + "inbound:job:" + wamid;
    // The inbound job is removed when its turn commits: stored, then answered.
    Polling.poll("the document stored and its turn answered").atMost(Duration.ofMinutes(3))
        .until(() -> get(redis, outcomeKey) != null && !exists(redis, inboundJob));

    long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    long after = usedAfterGc();
    String outcome = get(redis, outcomeKey);
    System.out.println("WEBHOOK " + status);
    System.out.println("OUTCOME " + outcome);
    System.out.println("HEAP " + before + " " + after + " " + peak);
    redis.close();
    TestApps.stop(app);
    System.exit(outcome != null && outcome.contains("\"status\":\"stored\"") ? 0 : 2);
  }

  private static String get(Redis redis, String key) throws Exception {
    Response value = redis.send(Request.cmd(Command.GET).arg(key)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return value == null ? null : value.toString();
  }

  private static boolean exists(Redis redis, String key) throws Exception {
    return redis.send(Request.cmd(Command.EXISTS).arg(key)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).toInteger() > 0;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
