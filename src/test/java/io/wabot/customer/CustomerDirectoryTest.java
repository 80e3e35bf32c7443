package io.wabot.customer;

import static io.wabot.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Redis;
import io.wabot.config.AppConfig;
import io.wabot.conversation.StateStore;
import io.wabot.customer.CustomerDirectory.Outcome;
import io.wabot.customer.CustomerDirectory.Resolved;
import io.wabot.queue.Keyspace;
import io.wabot.redis.RedisClients;
import io.wabot.testing.RedisExtension;
import io.wabot.testing.TestApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alias map against a real Redis: one customer, whichever of their ids they write from. */
class CustomerDirectoryTest {

  @RegisterExtension
  static final RedisExtension REDIS = new RedisExtension();

  static final String P = "wabot:{bot}:";
  static final String PHONE = "16505551234";
  static final String BSUID = "US.13491208655302741918";
  static final String PARENT = "US.ENT.11815799212886844830";

  Vertx vertx;
  Redis redis;
  CustomerDirectory directory;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    AppConfig config = TestApps.liveConfig(REDIS.url());
    redis = RedisClients.pooled(vertx, config.redis());
    directory = new CustomerDirectory(redis, Keyspace.of(config.queue()), Duration.ofSeconds(2), TestApps.PHONE_NUMBER_ID,
        new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    redis.close();
    await(vertx.close());
  }

  Resolved sender(String bsuid, String parent, String phone, String username) {
    return await(directory.resolve(List.of(CustomerDirectory.sender(CustomerIdentity.of(bsuid, parent, phone, username))))).get(0);
  }

  Resolved change(IdentityChange.Kind kind, CustomerIdentity before, CustomerIdentity after) {
    return await(directory.resolve(List.of(CustomerDirectory.change(new IdentityChange(kind, before, after))))).get(0);
  }

  @Test
  @DisplayName("a new customer gets an opaque key that no id of theirs appears in; their next message finds it")
  void newCustomer() {
    Resolved first = sender(BSUID, null, null, "@sheena");
    assertThat(first.outcome()).isEqualTo(Outcome.NEW);
    assertThat(first.customer().key()).matches("c_[a-z2-7]{20}").doesNotContain("1349");
    assertThat(first.customer()).isEqualTo(new CustomerIdentity(first.customer().key(), BSUID, null, null, "@sheena"));
    Resolved again = sender(BSUID, null, null, null);
    assertThat(again.outcome()).isEqualTo(Outcome.KNOWN);
    assertThat(again.customer().key()).isEqualTo(first.customer().key());
    assertThat(again.customer().username()).as("remembered for display").isEqualTo("@sheena");
  }

  @Test
  @DisplayName("first by phone, then by phone and BSUID, then by BSUID alone: one customer, still reachable by phone")
  void phoneThenBsuid() {
    String key = sender(null, null, PHONE, null).customer().key();
    Resolved linked = sender(BSUID, PARENT, PHONE, null);
    assertThat(linked.outcome()).isEqualTo(Outcome.LINKED);
    assertThat(linked.customer().key()).isEqualTo(key);
    Resolved hidden = sender(BSUID, null, null, null);
    assertThat(hidden.customer()).isEqualTo(new CustomerIdentity(key, BSUID, PARENT, PHONE, null));
    assertThat(hidden.customer().address()).isEqualTo(PHONE);
    assertThat(sender(null, PARENT, null, null).customer().key()).as("the parent BSUID is an alias too").isEqualTo(key);
  }

  @Test
  @DisplayName("first by BSUID, later with the phone number too: the number joins the same customer")
  void bsuidThenPhone() {
    String key = sender(BSUID, null, null, null).customer().key();
    assertThat(sender(BSUID, null, PHONE, null).customer()).isEqualTo(new CustomerIdentity(key, BSUID, null, PHONE, null));
    assertThat(sender(null, null, PHONE, null).customer().key()).isEqualTo(key);
  }

  @Test
  @DisplayName("ids of two known customers in one message: a conflict, counted and recorded, and nothing merged")
  void conflict() {
    String phoneKey = sender(null, null, PHONE, null).customer().key();
    String bsuidKey = sender(BSUID, null, null, null).customer().key();
    Resolved both = sender(BSUID, null, PHONE, null);
    assertThat(both.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(both.customer().key()).as("the BSUID decides").isEqualTo(bsuidKey);
    assertThat(both.conflictingKey()).isEqualTo(phoneKey);
    assertThat(both.customer().phone()).as("the other customer's number is not taken over").isNull();
    assertThat(sender(null, null, PHONE, null).customer().key()).isEqualTo(phoneKey);
    sender(BSUID, null, PHONE, null);
    JsonArray conflicts = await(directory.conflicts());
    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.getJsonObject(0).getInteger("count")).isEqualTo(2);
    assertThat(conflicts.getJsonObject(0).getJsonArray("keys").stream().toList()).containsExactlyInAnyOrder(phoneKey, bsuidKey);
  }

  @Test
  @DisplayName("a BSUID change keeps the customer; late messages with the old BSUID still find them")
  void bsuidChange() {
    String key = sender("US.1111", null, null, null).customer().key();
    Resolved rotated = change(IdentityChange.Kind.USER_ID_CHANGED, CustomerIdentity.of("US.1111", null, null, null),
        CustomerIdentity.of("US.2222", null, null, null));
    assertThat(rotated.outcome()).isEqualTo(Outcome.ROTATED);
    assertThat(rotated.customer()).isEqualTo(new CustomerIdentity(key, "US.2222", null, null, null));
    assertThat(sender("US.1111", null, null, null).customer().key()).isEqualTo(key);
  }

  @Test
  @DisplayName("a number change retires the old number: whoever gets it next is a new customer, even one known before BSUIDs")
  void numberChange() {
    REDIS.server().command("SET", P + StateStore.stateKey(PHONE), "{}"); // state from before BSUIDs, under the number
    String key = sender(BSUID, null, PHONE, null).customer().key();
    assertThat(key).as("known by number before: the number stays the key").isEqualTo(PHONE);
    Resolved moved = change(IdentityChange.Kind.NUMBER_CHANGED, CustomerIdentity.of(BSUID, null, PHONE, null),
        CustomerIdentity.of("US.2222", null, "16505559999", null));
    assertThat(moved.customer()).isEqualTo(new CustomerIdentity(key, "US.2222", null, "16505559999", null));
    Resolved late = sender(BSUID, null, PHONE, null); // sent before the change, delivered after it
    assertThat(late.customer().key()).isEqualTo(key);
    assertThat(late.customer().phone()).as("the old number does not come back").isEqualTo("16505559999");

    Resolved stranger = sender("US.3333", null, PHONE, null);
    assertThat(stranger.outcome()).isEqualTo(Outcome.NEW);
    assertThat(stranger.customer().key()).isNotEqualTo(key);
  }

  @Test
  @DisplayName("a change to a hidden number leaves the customer reachable by their new BSUID only")
  void numberHidden() {
    String key = sender(BSUID, null, PHONE, null).customer().key();
    Resolved moved = change(IdentityChange.Kind.NUMBER_CHANGED, CustomerIdentity.of(BSUID, null, PHONE, null),
        CustomerIdentity.of("US.2222", null, null, null));
    assertThat(moved.customer()).isEqualTo(new CustomerIdentity(key, "US.2222", null, null, null));
    assertThat(moved.customer().address()).isEqualTo("US.2222");
  }

  @Test
  @DisplayName("a change whose old ids are unknown creates the customer with both, or joins the one the new ids know")
  void changeOfUnknown() {
    Resolved created = change(IdentityChange.Kind.USER_ID_UPDATE, CustomerIdentity.of("US.1111", null, null, null),
        CustomerIdentity.of("US.2222", null, null, null));
    assertThat(created.outcome()).isEqualTo(Outcome.NEW);
    assertThat(sender("US.1111", null, null, null).customer().key()).isEqualTo(created.customer().key());
    String known = sender("US.5555", null, null, null).customer().key();
    assertThat(change(IdentityChange.Kind.USER_ID_UPDATE, CustomerIdentity.of("US.4444", null, null, null),
        CustomerIdentity.of("US.5555", null, null, null)).customer().key()).isEqualTo(known);
  }

  @Test
  @DisplayName("a look-up never creates anyone")
  void lookup() {
    List<Resolved> found = await(directory.resolve(List.of(CustomerDirectory.lookup(CustomerIdentity.of(BSUID, null, null, null)))));
    assertThat(found.get(0).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(found.get(0).customer()).isNull();
    assertThat(REDIS.server().command("DBSIZE")).isEqualTo(":0");
  }

  @Test
  @DisplayName("the same new customer in concurrent webhooks gets one key")
  void concurrent() {
    List<Future<List<Resolved>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(directory.resolve(List.of(CustomerDirectory.sender(CustomerIdentity.of(BSUID, null, null, null)))));
    }
    await(Future.all(calls));
    Set<String> keys = calls.stream().map(f -> f.result().get(0).customer().key()).collect(Collectors.toSet());
    assertThat(keys).hasSize(1);
  }

  @Test
  @DisplayName("operators find a customer by key, phone number, BSUID or parent BSUID, and a key from before BSUIDs by its state")
  void find() {
    String key = sender(BSUID, PARENT, PHONE, null).customer().key();
    for (String id : List.of(key, PHONE, "+" + PHONE, BSUID, PARENT)) {
      assertThat(await(directory.find(id))).as(id).map(CustomerIdentity::key).hasValue(key);
    }
    assertThat(await(directory.find("US.0000"))).isEmpty();
    assertThat(await(directory.find("c_nobodyhasthiskey000"))).isEmpty();
    REDIS.server().command("SET", P + "optout:5215500001111", "{}");
    assertThat(await(directory.find("5215500001111"))).map(CustomerIdentity::key).hasValue("5215500001111");
  }

  @Test
  @DisplayName("a merge moves every alias and the more recent state, never drops an opt-out, and waits for queued and"
      + " dead-lettered messages")
  void merge() {
    String from = sender(null, null, PHONE, null).customer().key();
    String into = sender(BSUID, null, null, null).customer().key();
    REDIS.server().command("SET", P + "optout:" + from, "{\"at\":\"2026-01-01T00:00:00Z\"}");
    REDIS.server().command("SET", P + "state:" + from, "{\"from\":true}", "PX", "90000");
    REDIS.server().command("SET", P + "state:" + into, "{\"into\":true}", "PX", "10000");
    REDIS.server().command("RPUSH", P + "inbound:conv:" + from, "wamid.WAITING");
    assertThat(await(directory.merge(from, into)).outcome()).isEqualTo("busy");

    REDIS.server().command("DEL", P + "inbound:conv:" + from);
    // A dead letter of <from> would be replayed into its conversation after its state moved: refused until it is
    // replayed or deleted.
    REDIS.server().command("HSET", P + "inbound:dead:wamid.DEAD", "cid", from, "payload", "{}");
    REDIS.server().command("ZADD", P + "inbound:dlq", "1", "wamid.DEAD");
    assertThat(await(directory.merge(from, into)).outcome()).isEqualTo("dead_letters");
    REDIS.server().command("DEL", P + "inbound:dead:wamid.DEAD");
    REDIS.server().command("ZREM", P + "inbound:dlq", "wamid.DEAD");
    CustomerDirectory.MergeResult merged = await(directory.merge(from, into));
    assertThat(merged.outcome()).isEqualTo("merged");
    assertThat(merged.aliasesMoved()).isEqualTo(1);
    assertThat(sender(null, null, PHONE, null).customer().key()).isEqualTo(into);
    assertThat(REDIS.server().command("GET", P + "optout:" + into)).contains("2026-01-01");
    assertThat(REDIS.server().command("GET", P + "state:" + into)).as("the more recent conversation").isEqualTo("{\"from\":true}");
    assertThat(REDIS.server().command("EXISTS", P + "state:" + from)).isEqualTo(":0");
    assertThat(await(directory.identity(into, null)).phone()).isEqualTo(PHONE);
    assertThat(await(directory.merge(into, into)).outcome()).isEqualTo("same");
    assertThat(await(directory.merge("c_unknown00000000000000", into)).outcome()).isEqualTo("unknown_from");
  }

  @Test
  @DisplayName("a customer still keyed by phone number from before BSUIDs can be merged into one who came back by BSUID")
  void mergeLegacy() {
    REDIS.server().command("SET", P + "optout:" + PHONE, "{\"at\":\"2026-01-01T00:00:00Z\"}");
    String into = sender(BSUID, null, null, null).customer().key();
    String from = await(directory.find(PHONE)).orElseThrow().key();
    assertThat(from).isEqualTo(PHONE);
    assertThat(await(directory.merge(from, into)).outcome()).isEqualTo("merged");
    assertThat(REDIS.server().command("GET", P + "optout:" + into)).as("the old opt-out holds").contains("2026-01-01");
    Resolved later = sender(null, null, PHONE, null);
    assertThat(later.customer().key()).as("the number now leads to the merged customer").isEqualTo(into);
    assertThat(later.customer().phone()).isEqualTo(PHONE);
  }

  @Test
  @DisplayName("state kept under a phone number before BSUIDs is the default number's: another number's customer starts anew")
  void legacyOnlyOnTheDefaultNumber() {
    REDIS.server().command("SET", P + "state:" + PHONE, "{}");
    CustomerDirectory other = new CustomerDirectory(redis, Keyspace.of(TestApps.liveConfig(REDIS.url()).queue()),
        Duration.ofSeconds(2), "209876543210002", new SimpleMeterRegistry(), false);
    assertThat(await(other.find(PHONE))).as("an operator's look-up on the other number").isEmpty();
    Resolved elsewhere = await(other.resolve(List.of(CustomerDirectory.sender(CustomerIdentity.of(BSUID, null, PHONE, null)))))
        .get(0);
    assertThat(elsewhere.outcome()).isEqualTo(Outcome.NEW);
    assertThat(elsewhere.customer().key()).startsWith("c_");
    Resolved here = sender(BSUID, null, PHONE, null);
    assertThat(here.outcome()).as("the default number adopts it").isEqualTo(Outcome.LEGACY);
    assertThat(here.customer().key()).isEqualTo(PHONE);
  }

  @Test
  @DisplayName("the keys a merge and an upgrade carry over are the ones the state and consent stores use")
  void customerKeysInStep() {
    for (String key : List.of(StateStore.stateKey("K"), StateStore.localeKey("K"), StateStore.windowKey("K"), "optout:K",
        "optout-marketing:K")) {
      assertThat(CustomerDirectory.CUSTOMER_KEYS).anySatisfy(prefix -> assertThat(prefix + "K").isEqualTo(key));
    }
    assertThat(await(directory.identity("c_none", CustomerIdentity.of(BSUID, null, null, null))))
        .isEqualTo(new CustomerIdentity("c_none", BSUID, null, null, null));
    assertThat(await(directory.identity(PHONE, null))).as("a key from before BSUIDs is the phone number")
        .isEqualTo(new CustomerIdentity(PHONE, null, null, PHONE, null));
  }
}
