package io.wabot.reload;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/config/reload} (behind the admin token): re-reads the configuration and applies the
 * business numbers ({@link ConfigReload}). 200 with what changed as JSON; 400 with one problem per line
 * ({@code text/plain}) when the new configuration is invalid, the running one kept.
 */
public final class ReloadRoutes {

  private final ConfigReload reload;

  public ReloadRoutes(ConfigReload reload) {
    this.reload = reload;
  }

  /** @param admin the admin sub-router, already behind the bearer check */
  public void mount(Router admin) {
    admin.post("/config/reload").handler(this::reload);
  }

  private void reload(RoutingContext ctx) {
    reload.reload("admin").onComplete(done -> {
      if (ctx.response().ended()) {
        return;
      }
      ConfigReload.Outcome outcome = done.result(); // a reload never fails: a failure to read is a refusal
      if (outcome.applied()) {
        ctx.json(outcome.toJson());
      } else {
        ctx.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8")
            .end(String.join("\n", outcome.problems()) + "\n");
      }
    });
  }
}
