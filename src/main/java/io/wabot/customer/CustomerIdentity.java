package io.wabot.customer;

import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;
import io.wabot.common.Mask;
import io.wabot.observability.Correlation;

/**
 * Who a customer is. WhatsApp identifies a customer by a business-scoped user id (BSUID) first, and by
 * their phone number only when the customer lets it be shared: a customer with a username may reach
 * the bot with no phone number at all, and the BSUID changes when they change number. So nothing keys
 * state on either: everything about a customer (conversation state, its queue, consent, the 24-hour
 * window, a hand-off) is kept under {@link #key()}, the stable conversation key the per-number alias
 * map ({@link CustomerDirectory}) gives every phone number, BSUID and parent BSUID of one customer.
 *
 * <p>Adopters' own code (a CRM, a consent store) should key on {@link #key()} as well, and keep the
 * other fields as attributes that change.
 *
 * @param key         the stable conversation key, or null while the identity is only what one webhook said
 *                    (before {@link CustomerDirectory} resolved it)
 * @param bsuid       the business-scoped user id, e.g. {@code US.13491208655302741918}, or null
 * @param parentBsuid the parent BSUID shared by the portfolios of one enterprise, e.g. {@code US.ENT.118…}, or null
 * @param phone       the phone number ({@code wa_id}) when known, or null when hidden behind a username
 * @param username    the WhatsApp username, e.g. {@code @sheena}, for display only (it changes freely), or null
 */
public record CustomerIdentity(String key, String bsuid, String parentBsuid, String phone, String username) {

  public CustomerIdentity {
    key = blankToNull(key);
    bsuid = blankToNull(bsuid);
    parentBsuid = blankToNull(parentBsuid);
    phone = blankToNull(phone);
    username = blankToNull(username);
  }

  /** What a webhook said about a customer, before resolution to a conversation key. */
  public static CustomerIdentity of(String bsuid, String parentBsuid, String phone, String username) {
    return new CustomerIdentity(null, bsuid, parentBsuid, phone, username);
  }

  /** A customer known by phone number only (what webhooks carried before BSUIDs). */
  public static CustomerIdentity ofPhone(String phone) {
    return of(null, null, phone, null);
  }

  /** A customer known by conversation key and one address, a phone number or a (parent) BSUID. */
  public static CustomerIdentity ofAddress(String key, String address) {
    if (CustomerIds.isParentBsuid(address)) {
      return new CustomerIdentity(key, null, address, null, null);
    }
    return CustomerIds.isBsuid(address) ? new CustomerIdentity(key, address, null, null, null)
        : new CustomerIdentity(key, null, null, CustomerIds.phone(address), null);
  }

  public CustomerIdentity withKey(String newKey) {
    return new CustomerIdentity(newKey, bsuid, parentBsuid, phone, username);
  }

  /** Whether it names nobody: no phone number and no (parent) BSUID. */
  public boolean isEmpty() {
    return bsuid == null && parentBsuid == null && phone == null;
  }

  public boolean resolved() {
    return key != null;
  }

  /** Whether the phone number is hidden: the customer can only be reached by BSUID. */
  public boolean phoneHidden() {
    return phone == null;
  }

  /**
   * Where replies go: the phone number when it is known (Meta recommends it, and keeps sharing the number
   * then), else the BSUID, else the parent BSUID. The message builders put a phone number in {@code to}
   * and a BSUID in {@code recipient}.
   */
  public String address() {
    return phone != null ? phone : bsuid != null ? bsuid : parentBsuid;
  }

  /** The ISO country of the BSUID (its prefix), for the default locale when there is no phone number; or null. */
  public String bsuidCountry() {
    return CustomerIds.country(bsuid != null ? bsuid : parentBsuid);
  }

  /** The customer as a log line may show them: masked phone number, else masked BSUID. */
  public String masked() {
    return Mask.address(address());
  }

  /** The correlation of an inbound message from {@code customer} (null: unknown), as logs show them. */
  public static Correlation correlationOf(String wamid, CustomerIdentity customer) {
    return Correlation.ofInboundMasked(wamid, customer == null ? "" : customer.masked());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfSet(json, "key", key);
    putIfSet(json, "bsuid", bsuid);
    putIfSet(json, "parentBsuid", parentBsuid);
    putIfSet(json, "phone", phone);
    putIfSet(json, "username", username);
    return json;
  }

  /** Reads {@link #toJson()}; null for null. */
  public static CustomerIdentity fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new CustomerIdentity(json.getString("key"), json.getString("bsuid"), json.getString("parentBsuid"),
        json.getString("phone"), json.getString("username"));
  }

  /** Never the ids themselves: a record's toString ends up in exception messages and logs. */
  @Override
  public String toString() {
    return "CustomerIdentity[" + (key == null ? "unresolved" : "key") + ", " + masked()
        + (phone == null ? ", phone hidden" : "") + "]";
  }

  private static void putIfSet(JsonObject json, String name, String value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
