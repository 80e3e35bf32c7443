package io.wabot.whatsapp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.observability.Correlation;
import io.wabot.queue.NewJob;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one codec of outbound jobs: what producers store is what the sender reads, typed. */
class OutboundJobTest {

  static final String TO = "16505551234";
  static final Correlation CORRELATION = Correlation.ofInbound("wamid.in", TO);

  @Test
  @DisplayName("a reply, a team message and a read receipt decode to their types with every field")
  void roundTrip() {
    NewJob reply = OutboundJobs.message("in:r0", OutboundMessage.text(TO, "Hi"), "cust-1", CORRELATION, "es_MX", 42, null);
    OutboundJob decoded = OutboundJob.decode(reply.payload(), reply.conversationId());
    assertThat(decoded).isEqualTo(new OutboundJob.Message(OutboundMessage.text(TO, "Hi").toJson(), "cust-1", TO, "es_MX",
        42, false, null, null));
    assertThat(decoded.encode()).isEqualTo(withoutCorrelation(reply.payload()));

    NewJob team = OutboundJobs.teamMessage("in:agent", OutboundMessage.text(TO, "New lead"), CORRELATION, "en", null);
    assertThat(team.conversationId()).isEqualTo("team:" + TO);
    assertThat(((OutboundJob.Message) OutboundJob.decode(team.payload(), team.conversationId())).forTeam()).isTrue();

    NewJob read = OutboundJobs.markAsRead("in:read", "cust-1", new MarkAsRead("wamid.in", true), CORRELATION, null);
    assertThat(read.conversationId()).isEqualTo("read:cust-1");
    OutboundJob receipt = OutboundJob.decode(read.payload(), read.conversationId());
    assertThat(receipt).isInstanceOf(OutboundJob.ReadReceipt.class);
    assertThat(receipt.customerKey()).isEqualTo("cust-1");
    assertThat(((OutboundJob.ReadReceipt) receipt).bodyWithoutTyping().containsKey("typing_indicator")).isFalse();
    assertThat(receipt.body().containsKey("typing_indicator")).as("the stored body is not changed").isTrue();
  }

  @Test
  @DisplayName("a reply carrying the read receipt keeps it through the codec and a new body; typing only on the first attempt")
  void carriedReceipt() {
    NewJob reply = OutboundJobs.reply("in:r0", OutboundMessage.text(TO, "Hi"), "cust-1", CORRELATION, "en", 42, null,
        new MarkAsRead("wamid.in", true));
    assertThat(reply.conversationId()).as("the customer's conversation, in order with the other replies").isEqualTo("cust-1");
    OutboundJob.Message decoded = (OutboundJob.Message) OutboundJob.decode(reply.payload(), reply.conversationId());
    assertThat(decoded.receipt()).isEqualTo(new MarkAsRead("wamid.in", true).toJson());
    assertThat(decoded.encode()).isEqualTo(withoutCorrelation(reply.payload()));
    assertThat(decoded.withBody(new JsonObject()).receipt()).as("kept by a new body").isEqualTo(decoded.receipt());
    assertThat(decoded.receiptFor(true).orElseThrow().containsKey("typing_indicator")).isTrue();
    assertThat(decoded.receiptFor(false).orElseThrow().containsKey("typing_indicator")).isFalse();
    assertThat(decoded.receiptFor(false).orElseThrow().getString("message_id")).isEqualTo("wamid.in");

    OutboundJob.Message plain = (OutboundJob.Message) OutboundJob.decode(
        OutboundJobs.reply("in:r1", OutboundMessage.text(TO, "More"), "cust-1", CORRELATION, "en", 42, null, null).payload(), "cust-1");
    assertThat(plain.receiptFor(true)).isEmpty();
    assertThat(plain.encode().containsKey("receipt")).isFalse();
  }

  @Test
  @DisplayName("a job stored before kinds existed is a message to the conversation's customer")
  void firstFormat() {
    JsonObject payload = new JsonObject().put("body", OutboundMessage.text(TO, "Hi").toJson()).put("to", TO);
    OutboundJob.Message message = (OutboundJob.Message) OutboundJob.decode(payload, TO);
    assertThat(message.customerKey()).isEqualTo(TO);
    assertThat(message.customer().address()).isEqualTo(TO);
  }

  @Test
  @DisplayName("an unknown kind is refused with its name, not sent as something else")
  void unknownKind() {
    assertThatThrownBy(() -> OutboundJob.decode(new JsonObject().put("kind", "carrier_pigeon"), TO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carrier_pigeon");
  }

  @Test
  @DisplayName("a stored template reads back as the typed template; its next language changes nothing else")
  void templateFallback() {
    TemplateMessage template = new TemplateMessage(TO, "order_update", "es_MX", List.of(
        TemplateMessage.Component.header(TemplateMessage.Parameter.imageLink("https://example.com/a.png")),
        TemplateMessage.Component.body(TemplateMessage.Parameter.text("Ana")),
        TemplateMessage.Component.quickReplyButton(0, "menu")));
    NewJob stored = OutboundJobs.message("in:r0", template, "cust-1", CORRELATION, "es_MX", 0, null);
    OutboundJob.Message message = (OutboundJob.Message) OutboundJob.decode(stored.payload(), stored.conversationId());
    assertThat(message.template()).contains(template);

    OutboundJob.Message spanish = message.sending(message.template().orElseThrow().inLanguage("es"));
    JsonObject expected = template.toJson();
    expected.getJsonObject("template").put("language", new JsonObject().put("code", "es"));
    assertThat(spanish.body()).isEqualTo(expected);
    assertThat(spanish.customerKey()).isEqualTo("cust-1");
    assertThat(message.body()).as("the stored job is not changed").isEqualTo(template.toJson());

    OutboundJob.Message text = (OutboundJob.Message) OutboundJob.decode(
        OutboundJobs.message("in:r1", OutboundMessage.text(TO, "Hi"), "cust-1", CORRELATION, "es_MX", 0, null).payload(), TO);
    assertThat(text.template()).isEmpty();
  }

  private static JsonObject withoutCorrelation(JsonObject payload) {
    JsonObject copy = payload.copy();
    copy.remove("correlation");
    return copy;
  }
}
