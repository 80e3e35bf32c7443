package io.wabot.whatsapp.inbound;

import io.vertx.core.json.JsonObject;
import io.wabot.common.CustomerIds;
import io.wabot.customer.CustomerIdentity;
import io.wabot.customer.IdentityChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds who sent a message. The sender is {@code from_user_id} (the BSUID, always there since April
 * 2026), else the {@code user_id} of its contact, else {@code from} (the phone number, only where it may
 * be shared); the contact adds the parent BSUID, the phone number and the username. Every field is
 * optional and checked against its format: a malformed one is ignored and reported, and a message is
 * only left out when nothing valid names its sender.
 */
final class Senders {

  /** A sender found ({@code identity} set), or why none could be ({@code skipReason}). */
  record Sender(CustomerIdentity identity, String profileName, String skipReason, List<String> issues) {
  }

  /** One entry of a change's {@code contacts[]}: the profile of whoever the messages or statuses are about. */
  record Contact(String waId, String userId, String parentUserId, String name, String username) {

    static Contact of(JsonObject json) {
      JsonObject profile = json.getValue("profile") instanceof JsonObject p ? p : new JsonObject();
      return new Contact(text(json, "wa_id"), text(json, "user_id"), text(json, "parent_user_id"), text(profile, "name"),
          text(profile, "username"));
    }
  }

  private Senders() {
  }

  static Sender sender(JsonObject message, List<Contact> contacts) {
    String fromUserId = text(message, "from_user_id");
    String from = text(message, "from");
    Contact contact = contactOf(fromUserId, from, contacts);
    List<String> issues = new ArrayList<>();
    String bsuid = bsuid(fromUserId, "invalid_user_id", issues);
    if (bsuid == null && contact != null) {
      bsuid = bsuid(contact.userId(), "invalid_user_id", issues);
    }
    String[] phoneAndBsuid = phone(from, "from", bsuid, issues);
    if (phoneAndBsuid[0] == null && contact != null && contact.waId() != null && !contact.waId().equals(from)) {
      phoneAndBsuid = phone(contact.waId(), "wa_id", phoneAndBsuid[1], issues);
    }
    String phone = phoneAndBsuid[0];
    bsuid = phoneAndBsuid[1];
    String parentField = text(message, "from_parent_user_id") != null ? text(message, "from_parent_user_id")
        : contact == null ? null : contact.parentUserId();
    String parent = parent(parentField, issues);
    String name = contact == null ? null : contact.name();
    if (bsuid == null && phone == null) {
      boolean anySenderField = fromUserId != null || from != null
          || contact != null && (contact.userId() != null || contact.waId() != null);
      return new Sender(null, name, anySenderField ? "invalid_sender" : "no_identity", issues);
    }
    String username = contact == null ? null : CustomerIds.username(contact.username());
    return new Sender(CustomerIdentity.of(bsuid, parent, phone, username), name, null, issues);
  }

  /**
   * The contact a message is from: the one with its {@code from_user_id}, else the one with its phone
   * number, else, for a message naming no sender at all, the change's only contact.
   */
  private static Contact contactOf(String fromUserId, String from, List<Contact> contacts) {
    for (Contact contact : contacts) {
      if (fromUserId != null && fromUserId.equals(contact.userId())) {
        return contact;
      }
    }
    for (Contact contact : contacts) {
      if (from != null && from.equals(contact.waId())) {
        return contact;
      }
    }
    return fromUserId == null && from == null && contacts.size() == 1 ? contacts.get(0) : null;
  }

  private static String bsuid(String value, String issue, List<String> issues) {
    if (value == null) {
      return null;
    }
    if (CustomerIds.isBsuid(value)) {
      return value;
    }
    issues.add(issue);
    return null;
  }

  /**
   * A phone field ({@code from}, {@code wa_id}): a phone number is the phone; a BSUID there is a mistake
   * that still names the customer, so it serves as the BSUID when there is none (never as a phone
   * number: WhatsApp would accept a BSUID in {@code to} and never deliver); anything else is ignored.
   * Returns {phone, bsuid}.
   */
  private static String[] phone(String value, String field, String bsuid, List<String> issues) {
    if (value == null) {
      return new String[] {null, bsuid};
    }
    if (CustomerIds.isPhone(value)) {
      return new String[] {CustomerIds.phone(value), bsuid};
    }
    if (CustomerIds.isBsuid(value)) {
      issues.add("bsuid_in_" + field);
      return new String[] {null, bsuid == null ? value : bsuid};
    }
    issues.add("invalid_" + field);
    return new String[] {null, bsuid};
  }

  private static String parent(String value, List<String> issues) {
    if (value == null) {
      return null;
    }
    if (CustomerIds.isParentBsuid(value)) {
      return value;
    }
    issues.add("invalid_parent_user_id");
    return null;
  }

  // ---- identity changes ------------------------------------------------------------------------

  /**
   * The change a system message reports, or null when it is not one (or names no usable new id).
   * {@code user_changed_user_id}: the new BSUID in {@code system.user_id}, the old one the sender's; or,
   * in the other documented shape, the old one in {@code system.previous_user_id} and the new one the
   * sender's. {@code user_changed_number} (formerly {@code customer_changed_number}): the new number in
   * {@code system.wa_id} or {@code system.new_wa_id} (absent when it may not be shared), a new BSUID in
   * {@code system.user_id} when given.
   */
  static IdentityChange systemChange(JsonObject system, CustomerIdentity sender) {
    String type = text(system, "type");
    if (type == null) {
      return null;
    }
    String previousBsuid = validBsuid(text(system, "previous_user_id"));
    String namedBsuid = validBsuid(text(system, "user_id"));
    String oldBsuid = previousBsuid != null ? previousBsuid : sender.bsuid();
    String newBsuid = namedBsuid != null && !namedBsuid.equals(oldBsuid) ? namedBsuid
        : previousBsuid != null && sender.bsuid() != null && !sender.bsuid().equals(previousBsuid) ? sender.bsuid() : null;
    String oldParent = validParent(text(system, "previous_parent_user_id"));
    String newParent = validParent(text(system, "parent_user_id"));
    CustomerIdentity previous = CustomerIdentity.of(oldBsuid, oldParent != null ? oldParent : sender.parentBsuid(),
        sender.phone(), sender.username());
    switch (type) {
      case "user_changed_user_id" -> {
        if (newBsuid == null) {
          return null;
        }
        return new IdentityChange(IdentityChange.Kind.USER_ID_CHANGED, previous,
            CustomerIdentity.of(newBsuid, newParent != null ? newParent : previous.parentBsuid(), sender.phone(),
                sender.username()));
      }
      case "user_changed_number", "customer_changed_number" -> {
        String newPhone = CustomerIds.phone(text(system, "wa_id") != null ? text(system, "wa_id") : text(system, "new_wa_id"));
        return new IdentityChange(IdentityChange.Kind.NUMBER_CHANGED, previous,
            CustomerIdentity.of(newBsuid != null ? newBsuid : oldBsuid, newParent != null ? newParent : previous.parentBsuid(),
                newPhone, sender.username()));
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * One entry of the {@code user_id_update} webhook field: {@code user_id: {previous, current}}, the
   * same for the parent, optional {@code wa_id}.
   */
  static IdentityChange userIdUpdate(JsonObject update) {
    JsonObject userId = update.getValue("user_id") instanceof JsonObject u ? u : new JsonObject();
    JsonObject parentId = update.getValue("parent_user_id") instanceof JsonObject p ? p : new JsonObject();
    String phone = CustomerIds.phone(text(update, "wa_id"));
    String previous = validBsuid(text(userId, "previous"));
    String current = validBsuid(text(userId, "current"));
    String previousParent = validParent(text(parentId, "previous"));
    String currentParent = validParent(text(parentId, "current"));
    boolean bsuidChanged = previous != null && current != null && !previous.equals(current);
    boolean parentChanged = previousParent != null && currentParent != null && !previousParent.equals(currentParent);
    if (!bsuidChanged && !parentChanged) {
      return null;
    }
    return new IdentityChange(IdentityChange.Kind.USER_ID_UPDATE, CustomerIdentity.of(previous, previousParent, phone, null),
        CustomerIdentity.of(current != null ? current : previous, currentParent != null ? currentParent : previousParent,
            phone, null));
  }

  private static String validBsuid(String value) {
    return CustomerIds.isBsuid(value) ? value : null;
  }

  private static String validParent(String value) {
    return CustomerIds.isParentBsuid(value) ? value : null;
  }

  /** A string field; a number is read as its digits (some payloads carry ids as numbers). */
  static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof String s) {
      return s;
    }
    return value instanceof Number n ? n.toString() : null;
  }
}
