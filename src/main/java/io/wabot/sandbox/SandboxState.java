package io.wabot.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sandbox page shows: the simulated customers, each conversation's transcript (both
 * directions, with message statuses) and the bot's log events for each message. Bounded, in memory,
 * confined to the {@link SandboxVerticle}'s event loop.
 */
final class SandboxState {

  static final int MAX_ENTRIES = 500;
  static final int MAX_TRACE_STEPS = 2000;
  static final int MAX_CORRELATIONS = 5000;

  /**
   * A simulated customer. {@code id} names their chat on the page (JSON {@code number}, as the page has
   * always called it): their phone number when they were added with one, else their first BSUID. It
   * stays when they change number; their current ids are {@code phone} (null when hidden) and {@code bsuid}.
   */
  record Customer(String id, String name, String locale, String phone, String bsuid, String username) {

    Customer withIds(String newPhone, String newBsuid) {
      return new Customer(id, name, locale, newPhone, newBsuid, username);
    }

    /** How the page shows them: {@code +5215512345678}, or {@code @sheena · phone hidden}. */
    String label() {
      return phone != null ? "+" + phone : (username == null ? "" : username + " · ") + "phone hidden";
    }

    JsonObject toJson() {
      return new JsonObject().put("number", id).put("name", name).put("locale", locale).put("phone", phone)
          .put("userId", bsuid).put("username", username).put("label", label());
    }
  }

  private final Map<String, Customer> customers = new LinkedHashMap<>();
  /** Every phone number and BSUID a customer has had, to the chat it belongs to: replies may use either. */
  private final Map<String, String> chatOfAddress = new HashMap<>();
  private final Map<String, Deque<JsonObject>> entries = new HashMap<>();
  private final Map<String, JsonObject> byWamid = new HashMap<>();
  /** Message ids to customers, oldest first, bounded like the transcripts. */
  private final Map<String, String> customerOfCorrelation = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_CORRELATIONS;
    }
  };
  private final Deque<JsonObject> traces = new ArrayDeque<>();
  private Customer agent;

  /** Adds a customer, or replaces one with new ids (a number change): their old ids keep leading to their chat. */
  Customer addCustomer(Customer customer) {
    customers.put(customer.id(), customer);
    return addChat(customer);
  }

  /**
   * The sales team's seat: the chat of the agent number hand-offs notify, played on the page like a
   * customer's chat (its messages are signed webhooks from that number) but listed apart, as
   * {@code "agent"} in the snapshot, since it is no customer.
   */
  Customer setAgent(Customer seat) {
    agent = seat;
    return addChat(seat);
  }

  private Customer addChat(Customer chat) {
    for (String address : new String[] {chat.id(), chat.phone(), chat.bsuid()}) {
      if (address != null) {
        chatOfAddress.put(address, chat.id());
      }
    }
    entries.computeIfAbsent(chat.id(), n -> new ArrayDeque<>());
    return chat;
  }

  /** The customer (or the agent seat) whose chat this is, or who has (or had) this phone number or BSUID; null when nobody. */
  Customer customer(String idOrAddress) {
    String chat = customers.containsKey(idOrAddress) ? idOrAddress : chatOfAddress.get(idOrAddress);
    if (agent != null && agent.id().equals(chat)) {
      return agent;
    }
    return chat == null ? null : customers.get(chat);
  }

  /**
   * Records a message. {@code from} is {@code customer} or {@code bot}; {@code message} is the Cloud
   * API message object (inbound) or request body (outbound).
   */
  JsonObject addEntry(String customer, String from, String wamid, JsonObject message, long at) {
    JsonObject entry = new JsonObject().put("customer", customer).put("from", from).put("wamid", wamid)
        .put("message", message).put("at", at);
    Deque<JsonObject> list = entries.computeIfAbsent(customer, n -> new ArrayDeque<>());
    list.addLast(entry);
    if (list.size() > MAX_ENTRIES) {
      JsonObject dropped = list.removeFirst();
      byWamid.remove(dropped.getString("wamid"));
    }
    if (wamid != null) {
      byWamid.put(wamid, entry);
      if (from.equals("customer")) {
        customerOfCorrelation.put(wamid, customer);
      }
    }
    return entry;
  }

  /** Moves a message's status forward (sent, delivered, read; failed is final); false when it did not move. */
  boolean setStatus(String wamid, String status) {
    JsonObject entry = byWamid.get(wamid);
    if (entry == null || rank(status) <= rank(entry.getString("status"))) {
      return false;
    }
    entry.put("status", status);
    return true;
  }

  JsonObject entry(String wamid) {
    return byWamid.get(wamid);
  }

  /** The customer whose message started the work a log event belongs to, or null. */
  String customerOfCorrelation(String correlationId) {
    return customerOfCorrelation.get(correlationId);
  }

  void addTrace(JsonObject trace) {
    traces.addLast(trace);
    if (traces.size() > MAX_TRACE_STEPS) {
      traces.removeFirst();
    }
  }

  List<JsonObject> transcript(String customer) {
    return new ArrayList<>(entries.getOrDefault(customer, new ArrayDeque<>()));
  }

  JsonObject snapshot(String phoneNumberId) {
    JsonArray customerArray = new JsonArray();
    JsonArray entryArray = new JsonArray();
    customers.values().forEach(c -> {
      customerArray.add(c.toJson());
      entries.getOrDefault(c.id(), new ArrayDeque<>()).forEach(entryArray::add);
    });
    if (agent != null) {
      entries.getOrDefault(agent.id(), new ArrayDeque<>()).forEach(entryArray::add);
    }
    return new JsonObject().put("phoneNumberId", phoneNumberId).put("customers", customerArray)
        .put("agent", agent == null ? null : agent.toJson())
        .put("entries", entryArray).put("traces", new JsonArray(new ArrayList<>(traces)));
  }

  private static int rank(String status) {
    if (status == null) {
      return 0;
    }
    return switch (status) {
      case "sent" -> 1;
      case "delivered" -> 2;
      case "read" -> 3;
      case "failed" -> 4;
      default -> 0;
    };
  }
}
