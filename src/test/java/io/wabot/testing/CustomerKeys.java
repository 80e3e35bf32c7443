package io.wabot.testing;

import io.wabot.common.CustomerIds;

/** Reads the alias map the way an operator would: which conversation key a phone number or BSUID leads to. */
public final class CustomerKeys {

  private CustomerKeys() {
  }

  /** The conversation key of the customer with this phone number or (parent) BSUID, or null when none. */
  public static String keyOf(RedisServer redis, String prefix, String id) {
    return keyOf(redis, prefix, TestApps.PHONE_NUMBER_ID, id);
  }

  /** The same, among the customers of another business phone number id (the sandbox's). */
  public static String keyOf(RedisServer redis, String prefix, String phoneNumberId, String id) {
    String field = CustomerIds.isBsuid(id) ? "u:" + id : CustomerIds.isParentBsuid(id) ? "e:" + id : "p:" + id;
    String key = redis.command("HGET", prefix + "customers:" + phoneNumberId + ":aliases", field);
    return key == null || key.startsWith("$-1") ? null : key;
  }
}
