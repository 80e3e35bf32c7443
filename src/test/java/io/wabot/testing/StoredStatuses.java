package io.wabot.testing;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.wabot.Application;
import io.wabot.redis.RedisClients;
import io.wabot.webhook.StatusStore;
import java.util.Optional;

/**
 * Reads the delivery status a running app stored for a sent message the way {@code GET /admin/messages}
 * does ({@link StatusStore#statusOf}), so that tests check what is stored, not how Redis lays it out.
 */
public final class StoredStatuses {

  private StoredStatuses() {
  }

  /** The stored status ({@code "sent"}, {@code "delivered"}...) of the message, or null when none is. */
  public static String statusOf(Application app, String wamid) {
    return of(app, wamid).map(status -> status.getString("status")).orElse(null);
  }

  public static Optional<JsonObject> of(Application app, String wamid) {
    Redis redis = RedisClients.pooled(app.vertx(), app.config().redis());
    try {
      return Futures.await(new StatusStore(redis, app.config()).statusOf(wamid));
    } finally {
      redis.close();
    }
  }
}
