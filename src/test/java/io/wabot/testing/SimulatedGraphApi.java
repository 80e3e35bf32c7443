package io.wabot.testing;

import io.vertx.core.Vertx;
import io.wabot.sandbox.AcceptedMessage;
import io.wabot.sandbox.GraphApiSimulator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Meta's side of a test: a {@link GraphApiSimulator} on a free port of loopback, on a Vert.x of its own,
 * so that what the service under test does to its own Vert.x cannot disturb it. Registered as an
 * extension it runs for each test, and closes after the test's own {@code @AfterEach} has stopped the
 * service:
 *
 * <pre>{@code
 * @RegisterExtension final SimulatedGraphApi graph = new SimulatedGraphApi();
 * ... env.put("WHATSAPP_API_BASE_URL", graph.baseUrl());
 * }</pre>
 *
 * A fixture that outlives no test can also {@link #start()} and {@link #close()} one itself.
 */
public final class SimulatedGraphApi implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

  private final String accessToken;
  private final String phoneNumberId;
  private final WaitableList<AcceptedMessage> accepted = new WaitableList<>();
  private Vertx vertx;
  private GraphApiSimulator simulator;

  /** Accepts {@link TestApps#ACCESS_TOKEN} for {@link TestApps#PHONE_NUMBER_ID}, as {@link TestApps#liveEnv} sets them. */
  public SimulatedGraphApi() {
    this(TestApps.ACCESS_TOKEN, TestApps.PHONE_NUMBER_ID);
  }

  public SimulatedGraphApi(String accessToken, String phoneNumberId) {
    this.accessToken = accessToken;
    this.phoneNumberId = phoneNumberId;
  }

  public SimulatedGraphApi start() {
    vertx = Vertx.vertx();
    simulator = new GraphApiSimulator(vertx, accessToken, phoneNumberId);
    simulator.onAccepted(accepted::add);
    Futures.await(simulator.listen("127.0.0.1", 0));
    return this;
  }

  public GraphApiSimulator simulator() {
    return simulator;
  }

  /** Every message the simulator accepted, as its listeners hear of them: to wait for a particular one. */
  public WaitableList<AcceptedMessage> accepted() {
    return accepted;
  }

  /** The Vert.x the simulator runs on, free for a test's own clients of Redis or HTTP. */
  public Vertx vertx() {
    return vertx;
  }

  /** The {@code WHATSAPP_API_BASE_URL} that points the service here. */
  public String baseUrl() {
    return simulator.baseUrl();
  }

  @Override
  public void close() {
    if (vertx != null) {
      Futures.await(simulator.close());
      Futures.await(vertx.close());
      vertx = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }
}
