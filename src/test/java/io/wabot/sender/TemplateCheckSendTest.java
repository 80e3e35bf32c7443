package io.wabot.sender;

import static io.wabot.sender.SenderFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.testing.RedisExtension;
import io.wabot.whatsapp.outbound.TemplateMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With WHATSAPP_BUSINESS_ACCOUNT_ID set, the sender syncs the account's templates from the (simulated)
 * Graph API at start and checks each template request against them before sending. The simulator's
 * account has {@code conversation_update} in en_US, es and es_MX.
 */
class TemplateCheckSendTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String ANA = "16505551234";

  SenderFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  @DisplayName("synced at start: a missing translation goes out in the chain's language, an unknown template is a dead letter")
  void roundTrip() {
    SenderFixture f = fixture = new SenderFixture(REDIS.url(),
        new JsonObject().put("whatsapp", new JsonObject().put("businessAccountId", "102290129340398")));

    f.enqueue(reply(ANA, "t1:r0", new TemplateMessage(ANA, "conversation_update", "fr_FR", List.of()), "fr_FR"));
    f.awaitDrained(f.simulator.awaitAccepted(1));
    assertThat(f.simulator.requests()).as("sent once, in the last-resort language the account has, with no 132001 round trip")
        .extracting(r -> TemplateMessage.languageOf(r.body())).containsExactly("en_US");

    f.enqueue(reply(ANA, "t2:r0", new TemplateMessage(ANA, "order_update", "en_US", List.of()), "en"));
    f.awaitDeadLetters(1);
    assertThat(f.deadLetters().get(0).reason())
        .isEqualTo("template \"order_update\" is not on the WhatsApp Business Account (3 templates synced)");
    assertThat(f.simulator.requests()).as("the unknown template never reached Meta").hasSize(1);
  }
}
