package io.wabot.whatsapp.sync;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConversationConfig;
import io.wabot.config.NumberConfig;
import io.wabot.config.Secret;
import io.wabot.config.WhatsAppConfig;
import io.wabot.testing.TestApps;
import io.wabot.testing.WaitableList;
import io.wabot.whatsapp.templates.TemplateRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The templates and catalogs are read once per process, per business account and per catalog. */
class SyncedListsTest {

  /** One GET the fake Graph API answered: its path and bearer token. */
  record Read(String path, String authorization) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final WaitableList<Read> reads = new WaitableList<>();
  private HttpServer graph;
  private WhatsAppConfig whatsapp;

  @BeforeEach
  void graphApi() {
    graph = await(vertx.createHttpServer().requestHandler(request -> {
      reads.add(new Read(request.path(), request.getHeader("Authorization")));
      JsonArray data = request.path().endsWith("/message_templates")
          ? new JsonArray().add(new JsonObject().put("name", "follow_up").put("language", "en").put("status", "APPROVED")
              .put("category", "UTILITY").put("components", new JsonArray()))
          : new JsonArray().add(new JsonObject().put("retailer_id", "sku-1").put("name", "One"));
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("data", data).put("paging", new JsonObject()).encode());
    }).listen(0, "127.0.0.1"));
    whatsapp = new WhatsAppConfig(new Secret("shared"), "111111111111111", new Secret("s"), new Secret("v"),
        "http://127.0.0.1:" + graph.actualPort(), "v23.0");
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static NumberConfig number(String id, String token, String account, String catalog) {
    ConversationConfig conversation = TestApps.config(TestApps.liveEnv("redis://127.0.0.1:1"),
        catalog == null ? new JsonObject() : new JsonObject().put("whatsapp", new JsonObject().put("catalogId", catalog)))
        .conversation();
    return new NumberConfig(id, null, NumberConfig.labelFor(null, id), new Secret(token), new Secret("s"),
        new Secret("v"), 80, account, conversation, null);
  }

  @Test
  @DisplayName("two holders and two numbers of one account read its templates once; another account is read with its"
      + " own number's token; the last release stops the syncs")
  void oncePerAccount() {
    NumberConfig sales = number("111111111111111", "token-sales", "900000000000001", "700000000000001");
    NumberConfig support = number("222222222222222", "token-support", "900000000000001", "700000000000001");
    NumberConfig brand = number("333333333333333", "token-brand", "900000000000002", null);
    SyncedLists lists = SyncedLists.of(vertx, whatsapp);
    assertThat(SyncedLists.of(vertx, whatsapp)).as("one per Vert.x").isSameAs(lists);
    lists.hold();
    lists.hold();

    await(lists.start(List.of(sales, support), true)); // the sender's start
    await(lists.start(List.of(sales, support), false)); // the conversation worker's
    TemplateRegistry templates = lists.templates(sales);
    assertThat(lists.templates(support)).isSameAs(templates);
    assertThat(templates.synced()).isTrue();
    assertThat(lists.catalog(support)).isSameAs(lists.catalog(sales));
    assertThat(lists.catalog(sales).size()).isEqualTo(1);
    assertThat(reads.snapshot()).extracting(Read::path)
        .containsExactlyInAnyOrder("/v23.0/900000000000001/message_templates", "/v23.0/700000000000001/products");

    await(lists.start(List.of(brand), true));
    assertThat(lists.templates(brand)).isNotSameAs(templates);
    assertThat(reads.snapshot()).filteredOn(r -> r.path().contains("900000000000002")).singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer token-brand"));
    assertThat(lists.catalog(brand).synced()).as("no catalog: nothing to check against").isFalse();

    lists.release();
    assertThat(lists.templates(sales)).as("still held by the other").isSameAs(templates);
    lists.release();
    assertThat(lists.templates(sales)).as("the last release dropped the lists").isNotSameAs(templates);
  }
}
