package io.wabot.flows;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.redis.RedisClients;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class FlowTokensTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String SAM = "16505551234";
  static final String KIM = "5215512345678";

  private Redis redis;
  private FlowTokens tokens;

  /** The extension closes {@code vertx} after each test. */
  @BeforeEach
  void start(Vertx vertx) {
    AppConfig config = TestApps.liveConfig(REDIS.url());
    redis = RedisClients.pooled(vertx, config.redis());
    tokens = new FlowTokens(redis, config);
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  @Test
  @DisplayName("a token is bound to its conversation, flow and context, and expires after flows.tokenTtl")
  void issued() {
    FlowToken token = await(tokens.issue(SAM, "reserve_item", new JsonObject().put("sku", "AUD-001")));
    assertThat(token.value()).startsWith("wbf1.").hasSizeGreaterThan(30);
    assertThat(Duration.between(Instant.now(), token.expiresAt())).isBetween(Duration.ofHours(23), Duration.ofHours(25));
    FlowTokenCheck check = await(tokens.check(token.value()));
    assertThat(check).isInstanceOfSatisfying(FlowTokenCheck.Valid.class, valid -> {
      assertThat(valid.token().conversationKey()).isEqualTo(SAM);
      assertThat(valid.token().flowName()).isEqualTo("reserve_item");
      assertThat(valid.token().context()).isEqualTo(new JsonObject().put("sku", "AUD-001"));
    });
    assertThat(token.toString()).doesNotContain(SAM);
    assertThat(await(tokens.check(token.value()))).as("checking does not use it up").isInstanceOf(FlowTokenCheck.Valid.class);
  }

  @Test
  @DisplayName("completion is single use and only from the token's own conversation; unknown and expired tokens are refused")
  void completion() {
    String token = await(tokens.issue(SAM, "reserve_item", new JsonObject())).value();
    assertThat(reason(await(tokens.complete(token, KIM)))).isEqualTo(FlowTokenCheck.Reason.FOREIGN);
    assertThat(await(tokens.complete(token, SAM))).isInstanceOf(FlowTokenCheck.Valid.class);
    assertThat(reason(await(tokens.complete(token, SAM)))).isEqualTo(FlowTokenCheck.Reason.USED);
    assertThat(reason(await(tokens.check(token)))).isEqualTo(FlowTokenCheck.Reason.USED);

    assertThat(reason(await(tokens.check("wbf1.someone-elses-token")))).isEqualTo(FlowTokenCheck.Reason.UNKNOWN);
    assertThat(reason(await(tokens.check("x".repeat(500))))).isEqualTo(FlowTokenCheck.Reason.UNKNOWN);
    assertThat(reason(await(tokens.check(null)))).isEqualTo(FlowTokenCheck.Reason.UNKNOWN);

    String expired = await(tokens.issue(SAM, "reserve_item", new JsonObject())).value();
    REDIS.server().command("HSET", "wabot:{bot}:flowtoken:" + expired, "exp", "1");
    assertThat(reason(await(tokens.complete(expired, SAM)))).isEqualTo(FlowTokenCheck.Reason.EXPIRED);
    String ttl = REDIS.server().command("PTTL", "wabot:{bot}:flowtoken:" + token);
    assertThat(Long.parseLong(ttl.replaceAll("\\D", ""))).as("kept a day past its expiry, then forgotten")
        .isGreaterThan(Duration.ofHours(47).toMillis()).isLessThanOrEqualTo(Duration.ofHours(48).toMillis());
  }

  @Test
  @DisplayName("the completion message that used a token is accepted again when its job runs again; any other message is refused")
  void completionIsIdempotentPerMessage() {
    String token = await(tokens.issue(SAM, "reserve_item", new JsonObject())).value();
    assertThat(await(tokens.complete(token, SAM, "wamid.FIRST"))).isInstanceOf(FlowTokenCheck.Valid.class);
    assertThat(await(tokens.complete(token, SAM, "wamid.FIRST"))).as("the same message, retried after a crash")
        .isInstanceOf(FlowTokenCheck.Valid.class);
    assertThat(reason(await(tokens.complete(token, SAM, "wamid.SECOND")))).isEqualTo(FlowTokenCheck.Reason.USED);
    assertThat(reason(await(tokens.complete(token, KIM, "wamid.FIRST")))).as("the same id from another conversation")
        .isEqualTo(FlowTokenCheck.Reason.USED);
    assertThat(reason(await(tokens.complete(token, SAM)))).isEqualTo(FlowTokenCheck.Reason.USED);
  }

  private static FlowTokenCheck.Reason reason(FlowTokenCheck check) {
    return ((FlowTokenCheck.Refused) check).reason();
  }
}
