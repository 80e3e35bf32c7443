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

  /** A simulated customer. */
  record Customer(String number, String name, String locale) {
    JsonObject toJson() {
      return new JsonObject().put("number", number).put("name", name).put("locale", locale);
    }
  }

  private final Map<String, Customer> customers = new LinkedHashMap<>();
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

  Customer addCustomer(Customer customer) {
    customers.put(customer.number(), customer);
    entries.computeIfAbsent(customer.number(), n -> new ArrayDeque<>());
    return customer;
  }

  Customer customer(String number) {
    return customers.get(number);
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
      entries.getOrDefault(c.number(), new ArrayDeque<>()).forEach(entryArray::add);
    });
    return new JsonObject().put("phoneNumberId", phoneNumberId).put("customers", customerArray)
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
