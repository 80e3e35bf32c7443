package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import io.wabot.whatsapp.inbound.InboundJobs;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.inbound.UserPreference;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The inbound queue's jobs decode once to their types, with what their producers stored. */
class InboundJobTest {

  static final String KEY = "16505551234";
  static final Correlation CORRELATION = Correlation.ofInbound("wamid.in", KEY);

  @Test
  @DisplayName("the conversation's own jobs decode to what was stored")
  void conversationJobs() {
    NewJob handback = ConversationJobs.handback("h1", KEY, "timeout", "esc-1", CORRELATION, "209876543210987");
    assertThat(InboundJob.decode(handback.payload(), handback.conversationId()))
        .isEqualTo(new InboundJob.Handback(KEY, "timeout", "esc-1", "209876543210987"));

    NewJob reply = ConversationJobs.agentReply("a1", KEY, "On my way", "agent", "wamid.agent", CORRELATION, null);
    assertThat(InboundJob.decode(reply.payload(), reply.conversationId()))
        .isEqualTo(new InboundJob.AgentReply(KEY, "On my way", "agent", "wamid.agent", null));

    Instant until = Instant.parse("2026-12-01T12:00:00Z");
    NewJob timer = ConversationJobs.handoffTimer(new Handoff("esc-1", until.minusSeconds(60), until, "asked"), KEY,
        CORRELATION, null);
    assertThat(timer.conversationId()).isEqualTo("timer:" + KEY);
    assertThat(InboundJob.decode(timer.payload(), timer.conversationId()))
        .isEqualTo(new InboundJob.HandoffTimer(KEY, "esc-1", until, null));
  }

  @Test
  @DisplayName("a preference keeps its source; a customer message is parsed from the raw Cloud API message")
  void fromTheWebhook() {
    CustomerIdentity customer = CustomerIdentity.ofPhone(KEY).withKey(KEY);
    NewJob optOut = InboundJobs.marketingOptOut("out-1", customer, "131050");
    InboundJob.Preference preference = (InboundJob.Preference) InboundJob.decode(optOut.payload(), optOut.conversationId());
    assertThat(preference.source()).isEqualTo(InboundJobs.FROM_API_ERROR);
    assertThat(preference.preference()).extracting(UserPreference::value, p -> p.customer().key())
        .containsExactly("stop", KEY);

    JsonObject raw = new JsonObject().put("from", KEY).put("id", "wamid.1").put("timestamp", "1700000000")
        .put("type", "text").put("text", new JsonObject().put("body", "hola"));
    JsonObject stored = new JsonObject().put("message", raw).put("customer", customer.toJson()).put("receivedAtMs", 7L);
    InboundJob.CustomerMessage message = (InboundJob.CustomerMessage) InboundJob.decode(stored, KEY);
    assertThat(message.receivedAtMs()).isEqualTo(7L);
    assertThat(message.message()).isInstanceOf(InboundMessage.Text.class);
    assertThat(message.message().id()).isEqualTo("wamid.1");
  }

  @Test
  @DisplayName("an unknown kind or a payload without a message is refused with a reason")
  void refused() {
    assertThatThrownBy(() -> InboundJob.decode(new JsonObject().put("kind", "fax"), KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"fax\"");
    assertThatThrownBy(() -> InboundJob.decode(new JsonObject().put("customer", KEY), KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no WhatsApp message");
  }
}
