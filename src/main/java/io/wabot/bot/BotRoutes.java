package io.wabot.bot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.wabot.flows.FlowEndpointHandler;
import java.util.List;

/**
 * What the bot adds to the HTTP server: the handlers of its WhatsApp Flows and routes of its own. The
 * application builds it from the adopter's {@code Bot}; each HTTP server instance asks once, with its
 * own Vert.x and Redis client.
 */
public interface BotRoutes {

  Future<List<FlowEndpointHandler>> flowEndpoints(Vertx vertx, Redis redis);

  /** Mounts the bot's routes; they pass the ingress guard (admission, body limits, timeouts) like ours. */
  void mount(Router router, Vertx vertx, Redis redis);
}
