package io.wabot.customer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.wabot.common.CustomerIds;
import io.wabot.common.Mask;
import io.wabot.observability.Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabot.queue.Keyspace;
import io.wabot.queue.Queues;
import io.wabot.queue.ScriptRunner;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alias map of one business phone number, in Redis: every phone number, BSUID and parent BSUID a
 * customer has had points at one conversation key ({@link CustomerIdentity#key()}), so a customer
 * first seen by phone and later by BSUID (or the reverse, or with a new BSUID after changing number)
 * keeps one conversation, consent record and hand-off. Each change is one Lua script
 * ({@code lua/customers.lua}), so concurrent webhooks about one customer agree.
 *
 * <p>Two customers who both already exist are never merged automatically: an id that belongs to one
 * while the message's other id belongs to another is a conflict, logged ({@code customer.alias_conflict}),
 * counted ({@code wabot_customers_conflicts_total}) and kept for an operator, who can {@link #merge} them.
 *
 * <p>A customer the bot knew by phone number before this version keeps the number as conversation
 * key (found by the state the old version kept under it), so an upgrade loses no conversation.
 */
public final class CustomerDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(CustomerDirectory.class);

  /**
   * What the bot keeps per customer under {@code <prefix><conversation key>} (conversation state, chosen
   * language, 24-hour window, opt-outs): what an earlier version kept under a phone number, and what a
   * merge carries over.
   */
  public static final List<String> CUSTOMER_KEYS = List.of("state:", "locale:", "window:", "optout:", "optout-marketing:");
  static final String RESOLVED_METRIC = "wabot.customers.resolved";
  static final String CONFLICT_METRIC = "wabot.customers.conflicts";
  private static final int RESULT_WIDTH = 7;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  /** What became of one query. */
  public enum Outcome {
    /** The customer was known by every id given. */
    KNOWN,
    /** A known customer, with an id new to the map now pointing at them (e.g. a phone customer's first BSUID). */
    LINKED,
    /** Nobody had any of the ids: a new customer. */
    NEW,
    /** Known by phone number from before customer identities: the number stays their key. */
    LEGACY,
    /** An identity change applied: the new ids point at the customer of the old ones. */
    ROTATED,
    /** The ids belong to two different customers; nothing was merged. */
    CONFLICT,
    /** A look-up found the customer. */
    FOUND,
    /** A look-up found nobody. */
    UNKNOWN;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the bot asks the map. */
  public sealed interface Query {
  }

  /** Who sent a message (creates the customer if nobody had any of the ids). */
  public record SenderQuery(CustomerIdentity sender) implements Query {
  }

  /** An identity change reported by WhatsApp. */
  public record ChangeQuery(IdentityChange change) implements Query {
  }

  /** Whether anybody has these ids; changes nothing. */
  public record LookupQuery(CustomerIdentity ids) implements Query {
  }

  /**
   * The answer to one query.
   *
   * @param customer        the customer with their conversation key and current ids; null when a look-up found nobody
   * @param conflictingKey  in a conflict, the other customer one of the ids belongs to
   */
  public record Resolved(CustomerIdentity customer, Outcome outcome, String conflictingKey) {
  }

  /**
   * What an operator's merge did: {@code merged}, or why not ({@code same}, {@code unknown_from},
   * {@code unknown_into}, {@code busy}, {@code dead_letters}).
   */
  public record MergeResult(String outcome, long aliasesMoved) {
  }

  private final Redis redis;
  private final Keyspace keyspace;
  private final ScriptRunner scripts;
  private final String businessNumber;
  private final MeterRegistry registry;
  private final boolean adoptsLegacyKeys;

  /**
   * The default number's map, which adopts customers known by phone number before identities.
   *
   * @param businessNumber the business phone number id whose customers this map holds (BSUIDs are per business)
   * @param registry       where resolutions and conflicts are counted
   */
  public CustomerDirectory(Redis redis, Keyspace keyspace, Duration commandTimeout, String businessNumber,
      MeterRegistry registry) {
    this(redis, keyspace, commandTimeout, businessNumber, registry, true);
  }

  /**
   * @param adoptsLegacyKeys whether a customer with state kept under their phone number by a version before
   *                         identities keeps it as their key: true only for the default number, the one that
   *                         version served; another number's customer always gets a conversation of its own
   */
  public CustomerDirectory(Redis redis, Keyspace keyspace, Duration commandTimeout, String businessNumber,
      MeterRegistry registry, boolean adoptsLegacyKeys) {
    this.adoptsLegacyKeys = adoptsLegacyKeys;
    this.registry = registry;
    this.redis = redis;
    this.keyspace = keyspace;
    this.scripts = new ScriptRunner(redis, commandTimeout);
    this.businessNumber = businessNumber;
  }

  public static SenderQuery sender(CustomerIdentity sender) {
    return new SenderQuery(sender);
  }

  public static ChangeQuery change(IdentityChange change) {
    return new ChangeQuery(change);
  }

  public static LookupQuery lookup(CustomerIdentity ids) {
    return new LookupQuery(ids);
  }

  /** Answers the queries in order, atomically, in one round trip; logs and counts what matters. */
  public Future<List<Resolved>> resolve(List<Query> queries) {
    if (queries.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> args = new ArrayList<>(List.of(keyspace.prefix(), businessNumber));
    List<String> legacy = new ArrayList<>();
    if (adoptsLegacyKeys) {
      legacy.addAll(CUSTOMER_KEYS);
      legacy.add(Queues.INBOUND + ":conv:"); // messages queued under a phone number during the upgrade
    }
    args.add(Integer.toString(legacy.size()));
    args.addAll(legacy);
    queries.forEach(query -> args.addAll(arguments(query)));
    return scripts.run("customers", keyspace.key("customers"), args).map(response -> {
      List<Resolved> out = new ArrayList<>(queries.size());
      for (int i = 0; i < queries.size(); i++) {
        Resolved resolved = resolved(response, i * RESULT_WIDTH);
        report(queries.get(i), resolved);
        out.add(resolved);
      }
      return out;
    });
  }

  private static List<String> arguments(Query query) {
    List<String> args = new ArrayList<>(10);
    if (query instanceof SenderQuery s) {
      CustomerIdentity c = s.sender();
      args.addAll(List.of("M", v(c.bsuid()), v(c.parentBsuid()), v(c.phone()), v(c.username()), newKey()));
    } else if (query instanceof ChangeQuery c) {
      CustomerIdentity before = c.change().previous();
      CustomerIdentity after = c.change().current();
      args.addAll(List.of("C", v(before.bsuid()), v(before.parentBsuid()), v(before.phone()), v(after.bsuid()),
          v(after.parentBsuid()), v(after.phone()), c.change().numberChanged() ? "1" : "", v(after.username()), newKey()));
    } else {
      CustomerIdentity ids = ((LookupQuery) query).ids();
      args.addAll(List.of("L", v(ids.bsuid()), v(ids.parentBsuid()), v(ids.phone())));
    }
    while (args.size() < 10) {
      args.add("");
    }
    return args;
  }

  private static Resolved resolved(Response response, int at) {
    String key = text(response.get(at));
    Outcome outcome = Outcome.valueOf(text(response.get(at + 5)).toUpperCase(Locale.ROOT));
    String other = text(response.get(at + 6));
    CustomerIdentity customer = key.isEmpty() ? null : new CustomerIdentity(key, text(response.get(at + 2)),
        text(response.get(at + 3)), text(response.get(at + 1)), text(response.get(at + 4)));
    return new Resolved(customer, outcome, other.isEmpty() ? null : other);
  }

  private void report(Query query, Resolved resolved) {
    if (!(query instanceof LookupQuery)) {
      registry.counter(RESOLVED_METRIC, "outcome", resolved.outcome().label()).increment();
    }
    switch (resolved.outcome()) {
      case CONFLICT -> {
        registry.counter(CONFLICT_METRIC).increment();
        Events.warn(LOG, "customer.alias_conflict").addKeyValue("customer", resolved.customer().masked())
            .addKeyValue("customer_key", maskKey(resolved.customer().key()))
            .addKeyValue("other_customer_key", maskKey(resolved.conflictingKey()))
            .log("One message names two known customers; kept apart (an operator can merge them:"
                + " GET /admin/customers/conflicts)");
      }
      case ROTATED -> {
        IdentityChange change = ((ChangeQuery) query).change();
        Events.info(LOG, "customer.identity_changed").addKeyValue("customer", resolved.customer().masked())
            .addKeyValue("change", change.kindName()).addKeyValue("previous", change.previous().masked())
            .log("The customer's WhatsApp ids changed; the new ones now lead to the same conversation");
      }
      case LEGACY -> Events.info(LOG, "customer.legacy_key").addKeyValue("customer", resolved.customer().masked())
          .log("A customer known by phone number before BSUIDs keeps their conversation under that number");
      default -> {
        // known, linked, new, found, unknown: counted, nothing worth a line
      }
    }
  }

  /**
   * The customer with this conversation key as last seen by the webhook. Without a record (a key from
   * before BSUIDs, whose phone number is the key), {@code fallback}'s ids, else the phone number the key is.
   */
  public Future<CustomerIdentity> identity(String key, CustomerIdentity fallback) {
    return redis.send(Request.cmd(Command.HMGET).arg(record(key)).arg("phone").arg("bsuid").arg("parent").arg("username"))
        .map(r -> {
          CustomerIdentity stored = r == null ? null : new CustomerIdentity(key, text(r.get(1)), text(r.get(2)),
              text(r.get(0)), text(r.get(3)));
          if (stored != null && !stored.isEmpty()) {
            return stored;
          }
          return fallback != null && !fallback.isEmpty() ? fallback.withKey(key)
              : new CustomerIdentity(key, null, null, CustomerIds.phone(key), null);
        });
  }

  /**
   * The customer any of their ids names, for operators, who may know any of them: a phone number, a
   * BSUID, a parent BSUID or the conversation key itself. Empty when nobody.
   */
  public Future<Optional<CustomerIdentity>> find(String id) {
    String value = id == null ? "" : id.strip().replaceFirst("^\\+", "");
    if (value.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String field = CustomerIds.isBsuid(value) ? "u:" + value : CustomerIds.isParentBsuid(value) ? "e:" + value
        : CustomerIds.isPhone(value) ? "p:" + value : null;
    Future<String> byAlias = field == null ? Future.succeededFuture(null)
        : redis.send(Request.cmd(Command.HGET).arg(aliases()).arg(field)).map(r -> r == null ? null : r.toString());
    return byAlias.compose(key -> key != null ? Future.succeededFuture(key) : asKey(value))
        .compose(key -> key == null ? Future.succeededFuture(Optional.<CustomerIdentity>empty())
            : identity(key, null).map(Optional::of));
  }

  /**
   * The value itself when it is a conversation key of this number: one with a record, or a phone number
   * with state from before BSUIDs.
   */
  private Future<String> asKey(String value) {
    return redis.send(Request.cmd(Command.HGET).arg(record(value)).arg("number")).compose(number -> {
      if (number != null) {
        return Future.succeededFuture(businessNumber.equals(number.toString()) ? value : null);
      }
      if (!adoptsLegacyKeys || !CustomerIds.isPhone(value)) {
        return Future.succeededFuture(null);
      }
      Request exists = Request.cmd(Command.EXISTS);
      CUSTOMER_KEYS.forEach(prefix -> exists.arg(keyspace.key(prefix + value)));
      return redis.send(exists).map(n -> n != null && n.toLong() > 0 ? value : null);
    });
  }

  /** The business number ({@code phone_number_id}) whose alias map this is. */
  public String businessNumber() {
    return businessNumber;
  }

  /** The customer's record and every alias pointing at them, for an operator; empty when there is no such key. */
  public Future<Optional<JsonObject>> describe(String key) {
    return Future.all(redis.send(Request.cmd(Command.HGETALL).arg(record(key))),
        redis.send(Request.cmd(Command.SMEMBERS).arg(record(key) + ":ids"))).map(both -> {
          Response fields = both.resultAt(0);
          Response ids = both.resultAt(1);
          if (fields == null || fields.size() == 0) {
            return Optional.empty();
          }
          JsonObject json = new JsonObject().put("key", key);
          for (String name : fields.getKeys()) {
            json.put(name, fields.get(name).toString());
          }
          JsonArray aliases = new JsonArray();
          if (ids != null) {
            ids.forEach(id -> aliases.add(id.toString()));
          }
          return Optional.of(json.put("aliases", aliases));
        });
  }

  /** The conflicts waiting for an operator: {@code [{"keys": [a, b], "count", "first", "last", "bsuid", "phone"}]}. */
  public Future<JsonArray> conflicts() {
    return redis.send(Request.cmd(Command.HVALS).arg(keyspace.key("customers:" + businessNumber + ":conflicts")))
        .map(values -> {
          JsonArray out = new JsonArray();
          if (values != null) {
            values.forEach(v -> out.add(new JsonObject(v.toString())));
          }
          return out;
        });
  }

  /**
   * An operator's decision that two customers are one person: every alias of {@code from} leads to
   * {@code into} afterwards, and {@code from}'s conversation state, window, language and opt-outs move
   * over where they are more recent (an opt-out is never dropped). {@code from} may be a phone number
   * still keyed from before BSUIDs: it becomes an alias of {@code into}. Refused ({@code busy}) while
   * messages of {@code from} wait in the queue or a hand-off timer runs, and ({@code dead_letters}) while some are in
   * the inbound dead-letter queue, where a replay would run them under {@code from} after its state moved.
   */
  public Future<MergeResult> merge(String from, String into) {
    List<String> args = new ArrayList<>(List.of(keyspace.prefix(), businessNumber, from, into,
        Integer.toString(CUSTOMER_KEYS.size())));
    args.addAll(CUSTOMER_KEYS);
    args.add(Queues.INBOUND + ":");
    return scripts.run("customers_merge", keyspace.key("customers"), args).map(r -> {
      MergeResult result = new MergeResult(r.get(0).toString(), r.get(1).toLong());
      if (result.outcome().equals("merged")) {
        registry.counter(RESOLVED_METRIC, "outcome", "merged").increment();
        Events.info(LOG, "customer.merged").addKeyValue("from_key", maskKey(from)).addKeyValue("into_key", maskKey(into))
            .addKeyValue("aliases", result.aliasesMoved()).log("An operator merged two customers into one");
      }
      return result;
    });
  }

  /** A conversation key fit for a log line: opaque keys as they are, a phone number kept as key (from before BSUIDs) masked. */
  public static String maskKey(String key) {
    return key == null ? "" : CustomerIds.isPhone(key) ? Mask.phone(key) : key;
  }

  /** A new conversation key: opaque, random, never derived from personal data. */
  static String newKey() {
    // One draw of 20 random bytes, not 20 draws: a key is made for every message (used only when the sender is
    // new). Each byte's low 5 bits pick one of the alphabet's 32 characters, all equally likely.
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    char[] key = new char[22];
    key[0] = 'c';
    key[1] = '_';
    for (int i = 0; i < random.length; i++) {
      key[i + 2] = KEY_ALPHABET[random[i] & 31];
    }
    return new String(key);
  }

  private String aliases() {
    return keyspace.key("customers:" + businessNumber + ":aliases");
  }

  private String record(String key) {
    return keyspace.key("customer:" + key);
  }

  private static String v(String value) {
    return value == null ? "" : value;
  }

  private static String text(Response response) {
    return response == null ? "" : response.toString();
  }
}
