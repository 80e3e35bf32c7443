package io.wabot.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.wabot.common.SignatureVerifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sales team's side of a hand-off: the endpoint {@code ESCALATION_WEBHOOK_URL} points at, on a Vert.x
 * of its own. It keeps every event it is given (with the {@code X-Wabot-Delivery} header as
 * {@code _delivery}), checks each {@code X-Wabot-Signature-256} against the secret, and can refuse the
 * next deliveries with a 503 so that a test sees them retried. Registered as an extension it starts before
 * the test's own {@code @BeforeEach} and closes after its {@code @AfterEach}:
 *
 * <pre>{@code
 * @RegisterExtension final TeamWebhook team = new TeamWebhook();
 * ... team.addTo(env);
 * }</pre>
 */
public final class TeamWebhook implements BeforeEachCallback, AfterEachCallback {

  public static final String SECRET = "team-webhook-secret";

  private final SignatureVerifier verifier = new SignatureVerifier(SECRET);
  private final WaitableList<JsonObject> events = new WaitableList<>();
  private final List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusalsLeft = new AtomicInteger();
  private Vertx vertx;
  private HttpServer server;

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
    server = Futures.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (refusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        request.response().setStatusCode(503).end("busy");
        return;
      }
      signaturesValid.add(verifier.verify(body, request.getHeader("X-Wabot-Signature-256")));
      events.add(body.toJsonObject().put("_delivery", request.getHeader("X-Wabot-Delivery")));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (vertx != null) {
      Futures.await(vertx.close());
      vertx = null;
    }
  }

  /** Points the service's hand-off events here: {@code ESCALATION_WEBHOOK_URL} and its secret. */
  public void addTo(Map<String, String> env) {
    env.put("ESCALATION_WEBHOOK_URL", "http://127.0.0.1:" + server.actualPort() + "/handoff");
    env.put("ESCALATION_WEBHOOK_SECRET", SECRET);
  }

  /** The next {@code count} deliveries get a 503, as a team's system that hiccups. */
  public void refuseNext(int count) {
    refusalsLeft.set(count);
  }

  /** Every event accepted, in order of arrival. */
  public WaitableList<JsonObject> events() {
    return events;
  }

  /** For each accepted event, whether its signature matched the secret. */
  public List<Boolean> signaturesValid() {
    return signaturesValid;
  }
}
