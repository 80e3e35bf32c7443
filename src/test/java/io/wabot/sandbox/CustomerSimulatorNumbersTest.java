package io.wabot.sandbox;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.wabot.common.SignatureVerifier;
import io.wabot.config.AppConfig;
import io.wabot.config.NumberConfig;
import io.wabot.testing.TestApps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The customers' side of the webhook with two business numbers of two Meta apps (issue 19): what a customer
 * sends one number is addressed to it ({@code metadata.phone_number_id}) and signed with that number's app
 * secret, as Meta signs each app's webhooks.
 */
@ExtendWith(VertxExtension.class)
class CustomerSimulatorNumbersTest {

  static final String SALES = "100000000000001";
  static final String SUPPORT = "100000000000002";

  record Delivery(Buffer body, String signature) {
    JsonObject value() {
      return body.toJsonObject().getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
          .getJsonObject("value");
    }
  }

  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  AppConfig config;
  CustomerSimulator customers;
  SimulatedMediaLibrary library;

  @BeforeEach
  void start(Vertx vertx) {
    Promise<Integer> port = Promise.promise();
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      deliveries.add(new Delivery(body, request.getHeader("X-Hub-Signature-256")));
      request.response().end();
    })).listen(0, "127.0.0.1").onSuccess(s -> port.complete(s.actualPort())).onFailure(port::fail);
    JsonArray numbers = new JsonArray()
        .add(new JsonObject().put("phoneNumberId", SALES).put("name", "Sales").put("appSecret", "secret-of-the-sales-app"))
        .add(new JsonObject().put("phoneNumberId", SUPPORT).put("name", "Support").put("appSecret", "secret-of-the-support-app"));
    config = TestApps.config(Map.of("SANDBOX", "true", "HTTP_PORT", Integer.toString(await(port.future()))),
        new JsonObject().put("whatsapp", new JsonObject().put("numbers", numbers)));
    library = new SimulatedMediaLibrary(vertx, SimulatedNumbers.one(SALES, "token"));
    customers = new CustomerSimulator(vertx, config, library);
  }

  @AfterEach
  void stop() {
    customers.close();
    await(library.close());
  }

  NumberConfig number(String id) {
    return config.whatsapp().number(id).orElseThrow();
  }

  @Test
  @DisplayName("a message to Support is addressed to Support and signed by Support's app; one to Sales by Sales' app")
  void signedByTheNumbersApp() {
    SandboxState.Customer ana = new SandboxState.Customer("5215512345678", "Ana", "es", "5215512345678",
        CustomerSimulator.newBsuid("MX"), null);
    String wamid = customers.newWamid();
    JsonObject message = customers.message(ana, wamid, new JsonObject().put("type", "text").put("text", "hola"));

    await(customers.deliver(number(SUPPORT), ana, message));
    await(customers.deliver(number(SALES), ana, message));
    await(customers.status(number(SUPPORT), ana, "wamid.FROM_SUPPORT", "read", null));

    assertThat(deliveries).hasSize(3);
    SignatureVerifier support = new SignatureVerifier("secret-of-the-support-app");
    SignatureVerifier sales = new SignatureVerifier("secret-of-the-sales-app");
    Delivery toSupport = deliveries.get(0);
    assertThat(toSupport.value().getJsonObject("metadata").getString("phone_number_id")).isEqualTo(SUPPORT);
    assertThat(support.verify(toSupport.body(), toSupport.signature())).isTrue();
    assertThat(sales.verify(toSupport.body(), toSupport.signature())).isFalse();
    Delivery toSales = deliveries.get(1);
    assertThat(toSales.value().getJsonObject("metadata").getString("phone_number_id")).isEqualTo(SALES);
    assertThat(sales.verify(toSales.body(), toSales.signature())).isTrue();
    Delivery status = deliveries.get(2);
    assertThat(status.value().getJsonObject("metadata").getString("phone_number_id")).isEqualTo(SUPPORT);
    assertThat(support.verify(status.body(), status.signature())).isTrue();
  }
}
