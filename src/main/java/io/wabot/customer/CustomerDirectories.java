package io.wabot.customer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.redis.client.Redis;
import io.wabot.numbers.BusinessNumbers;
import io.wabot.queue.Keyspace;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alias map of each business number served: a customer writing to two numbers is two customers, with
 * two conversation keys, because BSUIDs and conversations are per number. Only the default number's map
 * adopts customers an earlier single-number version knew by phone number (that version served it).
 *
 * <p>Asked per message ({@link #of}), so a number added by a reload gets its map at its first message; a map
 * holds no state but its number, so one kept for a removed number costs nothing.
 */
public final class CustomerDirectories {

  private final Redis redis;
  private final Keyspace keyspace;
  private final Duration commandTimeout;
  private final MeterRegistry registry;
  private final BusinessNumbers numbers;
  private final Map<String, CustomerDirectory> byKey = new ConcurrentHashMap<>();

  public CustomerDirectories(Redis redis, Keyspace keyspace, Duration commandTimeout, MeterRegistry registry,
      BusinessNumbers numbers) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.commandTimeout = commandTimeout;
    this.registry = registry;
    this.numbers = numbers;
  }

  /** The alias map of the number with this {@code phone_number_id}. */
  public CustomerDirectory of(String phoneNumberId) {
    // Keyed with the legacy flag too: a reload that makes another number the default changes which one adopts.
    boolean isDefault = numbers.defaultNumber().phoneNumberId().equals(phoneNumberId);
    return byKey.computeIfAbsent(phoneNumberId + (isDefault ? ":default" : ""),
        k -> new CustomerDirectory(redis, keyspace, commandTimeout, phoneNumberId, registry, isDefault));
  }
}
