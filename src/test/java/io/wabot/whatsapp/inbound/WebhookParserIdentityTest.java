package io.wabot.whatsapp.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wabot.customer.CustomerIdentity;
import io.wabot.customer.IdentityChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Who a webhook is about, in every shape Meta documents: BSUIDs, parent BSUIDs, usernames, hidden phone numbers. */
class WebhookParserIdentityTest {

  static final String BSUID = "US.13491208655302741918";
  static final String PARENT = "US.ENT.11815799212886844830";

  /** A change of field {@code field} whose value is {@code valueJson} plus Meta's envelope fields. */
  static WebhookPayload parse(String field, String valueJson) {
    JsonObject value = new JsonObject(valueJson).put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", "106540352242922"));
    return WebhookParser.parse(new JsonObject().put("object", "whatsapp_business_account").put("entry", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("id", "1").put("changes", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("field", field).put("value", value))))));
  }

  static WebhookPayload messages(String valueJson) {
    return parse("messages", valueJson);
  }

  static WebhookPayload.Received onlyMessage(String valueJson) {
    WebhookPayload payload = messages(valueJson);
    assertThat(payload.skipped()).isEmpty();
    assertThat(payload.messages()).hasSize(1);
    return payload.messages().get(0);
  }

  static final String TEXT = "\"id\":\"wamid.X\",\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}";

  @Nested
  @DisplayName("message senders")
  class MessageSenders {

    @Test
    @DisplayName("a customer with a username and a hidden phone number: BSUID and username, no phone, still a message")
    void usernameOnly() {
      WebhookPayload.Received received = onlyMessage("""
          {"contacts":[{"profile":{"name":"Sheena Nelson","username":"@realsheenanelson"},"user_id":"US.13491208655302741918"}],
           "messages":[{"from_user_id":"US.13491208655302741918",%s}]}""".formatted(TEXT));
      assertThat(received.message().customer()).isEqualTo(CustomerIdentity.of(BSUID, null, null, "@realsheenanelson"));
      assertThat(received.profileName()).isEqualTo("Sheena Nelson");
      assertThat(received.senderIssues()).isEmpty();
    }

    @Test
    @DisplayName("a customer who shares the number: phone, BSUID and parent BSUID from the message and its contact")
    void everything() {
      CustomerIdentity customer = onlyMessage("""
          {"contacts":[{"profile":{"name":"Sam"},"wa_id":"16505551234","user_id":"US.13491208655302741918",
                        "parent_user_id":"US.ENT.11815799212886844830"}],
           "messages":[{"from":"16505551234","from_user_id":"US.13491208655302741918",%s}]}""".formatted(TEXT))
          .message().customer();
      assertThat(customer).isEqualTo(CustomerIdentity.of(BSUID, PARENT, "16505551234", null));
      assertThat(customer.address()).as("replies go to the phone number when it is known").isEqualTo("16505551234");
    }

    @Test
    @DisplayName("from_parent_user_id on the message counts; a webhook from before BSUIDs gives the phone number only")
    void parentAndPhoneOnly() {
      assertThat(onlyMessage("""
          {"messages":[{"from_user_id":"US.13491208655302741918","from_parent_user_id":"US.ENT.11815799212886844830",%s}]}"""
          .formatted(TEXT)).message().customer().parentBsuid()).isEqualTo(PARENT);
      assertThat(onlyMessage("""
          {"contacts":[{"profile":{"name":"Sam"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234",%s}]}"""
          .formatted(TEXT)).message().customer()).isEqualTo(CustomerIdentity.ofPhone("16505551234"));
    }

    @Test
    @DisplayName("without from_user_id the contact's user_id names the sender, and a contact found by phone adds its BSUID")
    void contactFallbacks() {
      assertThat(onlyMessage("""
          {"contacts":[{"profile":{"name":"Kim"},"user_id":"US.13491208655302741918"}],"messages":[{%s}]}"""
          .formatted(TEXT)).message().customer().bsuid()).isEqualTo(BSUID);
      assertThat(onlyMessage("""
          {"contacts":[{"profile":{"name":"Kim"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],
           "messages":[{"from":"16505551234",%s}]}""".formatted(TEXT)).message().customer())
          .isEqualTo(CustomerIdentity.of(BSUID, null, "16505551234", null));
    }

    @Test
    @DisplayName("messages naming nobody are skipped with a fixed reason, beside the valid ones")
    void nobody() {
      WebhookPayload payload = messages("""
          {"messages":[{"id":"wamid.A","type":"text","text":{"body":"no sender"}},
                       {"from":"not a number","id":"wamid.B","type":"text","text":{"body":"junk"}},
                       {"from":"","id":"wamid.C","type":"text","text":{"body":"empty"}},
                       {"from_user_id":"","id":"wamid.D","type":"text","text":{"body":"empty"}},
                       {"from_user_id":"US.1","type":"text","text":{"body":"no id"}},
                       {"from_user_id":"US.13491208655302741918",%s}]}""".formatted(TEXT));
      assertThat(payload.messages()).hasSize(1);
      assertThat(payload.skipped()).extracting(WebhookPayload.Skipped::id, WebhookPayload.Skipped::reason).containsExactly(
          org.assertj.core.groups.Tuple.tuple("wamid.A", "no_identity"),
          org.assertj.core.groups.Tuple.tuple("wamid.B", "invalid_sender"),
          org.assertj.core.groups.Tuple.tuple("wamid.C", "invalid_sender"),
          org.assertj.core.groups.Tuple.tuple("wamid.D", "invalid_sender"),
          org.assertj.core.groups.Tuple.tuple(null, "no_id"));
      assertThat(payload.skipped().get(1).raw().getString("from")).as("the raw object is kept").isEqualTo("not a number");
    }

    @Test
    @DisplayName("a BSUID in from still names the customer (as BSUID, never as a phone); malformed fields are reported, not trusted")
    void malformedFields() {
      WebhookPayload.Received bsuidInFrom = onlyMessage("{\"messages\":[{\"from\":\"US.13491208655302741918\",%s}]}".formatted(TEXT));
      assertThat(bsuidInFrom.message().customer()).isEqualTo(CustomerIdentity.of(BSUID, null, null, null));
      assertThat(bsuidInFrom.senderIssues()).containsExactly("bsuid_in_from");

      WebhookPayload.Received both = onlyMessage("""
          {"messages":[{"from":"US.99999999999999999999","from_user_id":"US.13491208655302741918",%s}]}""".formatted(TEXT));
      assertThat(both.message().customer().bsuid()).as("from_user_id wins").isEqualTo(BSUID);
      assertThat(both.senderIssues()).containsExactly("bsuid_in_from");

      WebhookPayload.Received junkBsuid = onlyMessage("""
          {"contacts":[{"profile":{"name":"X","username":"%s"},"wa_id":"16505551234"}],
           "messages":[{"from":"16505551234","from_user_id":"13491208655302741918","from_parent_user_id":"US.ENT",%s}]}"""
          .formatted("@" + "x".repeat(80), TEXT));
      assertThat(junkBsuid.message().customer()).isEqualTo(CustomerIdentity.ofPhone("16505551234"));
      assertThat(junkBsuid.senderIssues()).containsExactly("invalid_user_id", "invalid_parent_user_id");
    }
  }

  @Nested
  @DisplayName("statuses")
  class Statuses {

    @Test
    @DisplayName("a status names its recipient by phone, BSUID and parent BSUID (both spellings), each optional")
    void recipients() {
      WebhookPayload payload = messages("""
          {"statuses":[
            {"id":"wamid.A","status":"delivered","timestamp":"1","recipient_user_id":"US.13491208655302741918",
             "recipient_parent_user_id":"US.ENT.11815799212886844830"},
            {"id":"wamid.B","status":"read","timestamp":"1","recipient_user_id":"US.13491208655302741918",
             "parent_recipient_user_id":"US.ENT.11815799212886844830"},
            {"id":"wamid.C","status":"failed","timestamp":"1","recipient_id":"16505551234","errors":[{"code":131026}]},
            {"id":"wamid.D","status":"sent","timestamp":"1"},
            {"id":"wamid.E","status":"sent","timestamp":"1","recipient_user_id":"junk","recipient_id":""}],
           "contacts":[{"wa_id":"16505551234"}]}""");
      assertThat(payload.skipped()).isEmpty();
      assertThat(payload.statuses()).extracting(StatusUpdate::recipient).containsExactly(
          CustomerIdentity.of(BSUID, PARENT, null, null), CustomerIdentity.of(BSUID, PARENT, null, null),
          CustomerIdentity.ofPhone("16505551234"), CustomerIdentity.of(null, null, null, null),
          CustomerIdentity.of(null, null, null, null));
    }
  }

  @Nested
  @DisplayName("marketing preferences")
  class Preferences {

    @Test
    @DisplayName("user_preferences name the customer by user_id, parent_user_id and/or wa_id; naming nobody is skipped")
    void byBsuid() {
      WebhookPayload payload = parse("user_preferences", """
          {"user_preferences":[
            {"user_id":"US.13491208655302741918","parent_user_id":"US.ENT.11815799212886844830","category":"marketing_messages",
             "value":"stop","timestamp":1749416393},
            {"wa_id":"16505551234","category":"marketing_messages","value":"resume","timestamp":1749416394},
            {"category":"marketing_messages","value":"stop","timestamp":1749416395}]}""");
      assertThat(payload.preferences()).extracting(UserPreference::customer)
          .containsExactly(CustomerIdentity.of(BSUID, PARENT, null, null), CustomerIdentity.ofPhone("16505551234"));
      assertThat(payload.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("no_identity"));
    }
  }

  @Nested
  @DisplayName("identity changes")
  class Changes {

    static IdentityChange change(String valueJson) {
      InboundMessage message = onlyMessage(valueJson).message();
      assertThat(message).isInstanceOf(InboundMessage.IdentityChanged.class);
      return ((InboundMessage.IdentityChanged) message).change();
    }

    @Test
    @DisplayName("user_changed_user_id with the new BSUID in system.user_id")
    void newIdInSystem() {
      IdentityChange change = change("""
          {"messages":[{"from_user_id":"US.1111","id":"wamid.S","timestamp":"1","type":"system",
            "system":{"body":"User Kim changed from US.1111 to US.2222","user_id":"US.2222","type":"user_changed_user_id"}}]}""");
      assertThat(change.kind()).isEqualTo(IdentityChange.Kind.USER_ID_CHANGED);
      assertThat(change.previous().bsuid()).isEqualTo("US.1111");
      assertThat(change.current().bsuid()).isEqualTo("US.2222");
      assertThat(change.numberChanged()).isFalse();
    }

    @Test
    @DisplayName("user_changed_user_id with the old BSUID in system.previous_user_id and the new one as sender")
    void previousIdInSystem() {
      IdentityChange change = change("""
          {"messages":[{"from_user_id":"US.2222","id":"wamid.S","timestamp":"1","type":"system",
            "system":{"body":"User Kim changed","previous_user_id":"US.1111","type":"user_changed_user_id"}}]}""");
      assertThat(change.previous().bsuid()).isEqualTo("US.1111");
      assertThat(change.current().bsuid()).isEqualTo("US.2222");
    }

    @Test
    @DisplayName("user_changed_number with the new number in wa_id or new_wa_id, and a new BSUID when given")
    void numberChanged() {
      IdentityChange change = change("""
          {"messages":[{"from":"16505551234","from_user_id":"US.1111","id":"wamid.S","timestamp":"1","type":"system",
            "system":{"body":"User Kim changed from 16505551234 to 16505559999","wa_id":"16505559999","user_id":"US.2222",
                      "type":"user_changed_number"}}]}""");
      assertThat(change.numberChanged()).isTrue();
      assertThat(change.previous()).isEqualTo(CustomerIdentity.of("US.1111", null, "16505551234", null));
      assertThat(change.current()).isEqualTo(CustomerIdentity.of("US.2222", null, "16505559999", null));

      IdentityChange older = change("""
          {"messages":[{"from":"16505551234","id":"wamid.S","timestamp":"1","type":"system",
            "system":{"body":"User Kim changed","new_wa_id":"16505559999","type":"user_changed_number"}}]}""");
      assertThat(older.current().phone()).isEqualTo("16505559999");
    }

    @Test
    @DisplayName("a system message about something else stays a plain system message")
    void otherSystemMessages() {
      InboundMessage message = onlyMessage("""
          {"messages":[{"from":"16505551234","id":"wamid.S","timestamp":"1","type":"system",
            "system":{"body":"Security code changed","type":"customer_identity_changed"}}]}""").message();
      assertThat(message).isInstanceOf(InboundMessage.Unsupported.class);
      assertThat(message.type()).isEqualTo("system");
    }

    @Test
    @DisplayName("the user_id_update field: previous and current BSUID and parent BSUID, optional wa_id; nonsense is skipped")
    void userIdUpdate() {
      WebhookPayload payload = parse("user_id_update", """
          {"user_id_update":[
            {"wa_id":"16505551234","detail":"User id for Kim has been updated.","timestamp":"1",
             "user_id":{"previous":"US.1111","current":"US.2222"},
             "parent_user_id":{"previous":"US.ENT.1111","current":"US.ENT.2222"}},
            {"user_id":{"previous":"US.1111","current":"US.1111"}},
            {"user_id":"US.3333"}]}""");
      assertThat(payload.identityUpdates()).singleElement().satisfies(change -> {
        assertThat(change.kind()).isEqualTo(IdentityChange.Kind.USER_ID_UPDATE);
        assertThat(change.previous()).isEqualTo(CustomerIdentity.of("US.1111", "US.ENT.1111", "16505551234", null));
        assertThat(change.current()).isEqualTo(CustomerIdentity.of("US.2222", "US.ENT.2222", "16505551234", null));
      });
      assertThat(payload.skipped()).hasSize(2).allSatisfy(s -> assertThat(s.kind()).isEqualTo("user_id_update"));
    }
  }
}
