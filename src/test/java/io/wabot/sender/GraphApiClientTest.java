package io.wabot.sender;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.Vertx;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.wabot.sandbox.GraphApiSimulator;
import io.wabot.sandbox.RecordedRequest;
import io.wabot.sandbox.SimulatedFault;
import io.wabot.testing.LogCapture;
import io.wabot.testing.RedisServer;
import io.wabot.testing.SimulatedGraphApi;
import io.wabot.whatsapp.outbound.MarkAsRead;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class GraphApiClientTest {

  static final String TOKEN = "EAAG-client-test-token-7731";
  static final String PHONE_ID = "106540352242922";
  static final String CUSTOMER = "16505551234";

  @RegisterExtension
  final SimulatedGraphApi graph = new SimulatedGraphApi(TOKEN, PHONE_ID);

  Vertx vertx;
  GraphApiSimulator simulator;
  GraphApiClient client;

  static WhatsAppConfig whatsapp(String baseUrl, String token) {
    return new WhatsAppConfig(new Secret(token), PHONE_ID, new Secret("app-secret"), new Secret("verify"), baseUrl, "v23.0");
  }

  @BeforeEach
  void start() {
    vertx = graph.vertx();
    simulator = graph.simulator();
    client = new GraphApiClient(vertx, whatsapp(graph.baseUrl(), TOKEN), Duration.ofMillis(700), 4);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  @DisplayName("a message goes to /{version}/{phone-number-id}/messages with the bearer token and returns Meta's wamid")
  void accepted() {
    SendResult result = await(client.send(OutboundMessage.text(CUSTOMER, "Hello")));

    RecordedRequest request = simulator.requests().get(0);
    assertThat(request.path()).isEqualTo("/v23.0/" + PHONE_ID + "/messages");
    assertThat(request.authorized()).isTrue();
    assertThat(request.body()).isEqualTo(OutboundMessage.text(CUSTOMER, "Hello").toJson());
    assertThat(result).isEqualTo(new SendResult.Accepted(request.wamid()));
  }

  @Test
  @DisplayName("a read receipt is accepted without a wamid")
  void readReceipt() {
    assertThat(await(client.send(new MarkAsRead("wamid.X", true)))).isEqualTo(new SendResult.Accepted(null));
  }

  @Test
  @DisplayName("an error answer becomes a parsed, classified failure")
  void errorAnswer() {
    simulator.inject(SimulatedFault.throughputLimit(Duration.ofSeconds(2)).times(1));

    SendResult result = await(client.send(OutboundMessage.text(CUSTOMER, "x")));

    assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
      assertThat(failed.action()).isEqualTo(ErrorAction.PAUSE_ALL);
      assertThat(failed.error().httpStatus()).isEqualTo(429);
      assertThat(failed.error().code()).isEqualTo(130429);
      assertThat(failed.error().subcode()).isEqualTo(2494055);
      assertThat(failed.error().retryAfter()).isEqualTo(Duration.ofSeconds(2));
      assertThat(failed.error().fbtraceId()).isNotBlank();
    });
  }

  @Test
  @DisplayName("a wrong token is an auth failure (401, code 190)")
  void wrongToken() {
    GraphApiClient wrong = new GraphApiClient(vertx, whatsapp(simulator.baseUrl(), "expired"), Duration.ofSeconds(2), 1);

    SendResult result = await(wrong.send(OutboundMessage.text(CUSTOMER, "x")));

    assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
      assertThat(failed.action()).isEqualTo(ErrorAction.AUTH_FAILURE);
      assertThat(failed.error().code()).isEqualTo(190);
    });
    wrong.close();
  }

  @Test
  @DisplayName("no answer within the request timeout is a retryable timeout, not a hang")
  void timeout() {
    simulator.inject(SimulatedFault.noAnswer());

    SendResult result = await(client.send(OutboundMessage.text(CUSTOMER, "x")), Duration.ofSeconds(5));

    assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
      assertThat(failed.action()).isEqualTo(ErrorAction.RETRY);
      assertThat(failed.error().type()).isEqualTo(GraphError.TIMEOUT);
      assertThat(failed.error().isServerSide()).isTrue();
    });
  }

  @Test
  @DisplayName("a refused connection is a retryable transport failure")
  void connectionRefused() {
    GraphApiClient nowhere = new GraphApiClient(vertx,
        whatsapp("http://127.0.0.1:" + RedisServer.freePort(), TOKEN), Duration.ofSeconds(2), 1);

    SendResult result = await(nowhere.send(OutboundMessage.text(CUSTOMER, "x")));

    assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, failed -> {
      assertThat(failed.action()).isEqualTo(ErrorAction.RETRY);
      assertThat(failed.error().type()).isEqualTo(GraphError.TRANSPORT);
      assertThat(failed.error().httpStatus()).isZero();
    });
    nowhere.close();
  }

  @Test
  @DisplayName("the token never reaches a log, even at debug level; bodies do only at debug level")
  void tokenNeverLogged() {
    Logger logger = (Logger) LoggerFactory.getLogger(GraphApiClient.class);
    try (LogCapture logs = LogCapture.of(GraphApiClient.class)) { // restores the level when closed
      logger.setLevel(Level.INFO);
      await(client.send(OutboundMessage.text(CUSTOMER, "secret-body-text")));
      assertThat(logs.events()).noneSatisfy(e -> assertThat(e.toString() + e.getKeyValuePairs())
          .contains("secret-body-text"));

      logger.setLevel(Level.DEBUG);
      simulator.inject(SimulatedFault.tokenExpired().times(1));
      await(client.send(OutboundMessage.text(CUSTOMER, "secret-body-text")));
      assertThat(logs.events()).isNotEmpty();
      assertThat(logs.events()).anySatisfy(e -> assertThat(String.valueOf(e.getKeyValuePairs())).contains("secret-body-text"));
      assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage() + e.getKeyValuePairs())
          .contains(TOKEN));
    }
  }
}
