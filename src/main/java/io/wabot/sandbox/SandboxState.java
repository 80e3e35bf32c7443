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
 * What the sandbox page shows: the simulated customers, their chats with each business number (a
 * customer on two numbers has two chats, as they hold two conversations), each chat's transcript (both
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

  /**
   * A chat: a customer (or the agent seat) talking to one business number. A customer who writes to two
   * numbers has two chats, as they hold two conversations with the bot.
   *
   * @param business the business number's {@code phone_number_id}
   * @param customer the customer's id ({@link Customer#id()})
   */
  record Chat(String business, String customer) {
    JsonObject toJson() {
      return new JsonObject().put("business", business).put("customer", customer);
    }
  }

  private final Map<String, Customer> customers = new LinkedHashMap<>();
  /** Every phone number and BSUID a customer has had, to the customer it belongs to: replies may use either. */
  private final Map<String, String> chatOfAddress = new HashMap<>();
  /** Every chat, in the order it started, with its messages. */
  private final Map<Chat, Deque<JsonObject>> entries = new LinkedHashMap<>();
  private final Map<String, JsonObject> byWamid = new HashMap<>();
  /** Customers' message ids to their chats, oldest first, bounded like the transcripts. */
  private final Map<String, Chat> chatOfCorrelation = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Chat> eldest) {
      return size() > MAX_CORRELATIONS;
    }
  };
  private final Deque<JsonObject> traces = new ArrayDeque<>();
  private Customer agent;

  /** Adds a customer, or replaces one with new ids (a number change): their old ids keep leading to them. */
  Customer addCustomer(Customer customer) {
    customers.put(customer.id(), customer);
    return addAddresses(customer);
  }

  /**
   * The sales team's seat: the agent number hand-offs notify, played on the page like a customer (its
   * messages are signed webhooks from that number) but listed apart, as {@code "agent"} in the snapshot,
   * since it is no customer. It has a chat with each business number that hands off to it.
   */
  Customer setAgent(Customer seat) {
    agent = seat;
    return addAddresses(seat);
  }

  private Customer addAddresses(Customer chat) {
    for (String address : new String[] {chat.id(), chat.phone(), chat.bsuid()}) {
      if (address != null) {
        chatOfAddress.put(address, chat.id());
      }
    }
    return chat;
  }

  /** Starts the customer's chat with a business number; false when they had one already. */
  boolean openChat(Chat chat) {
    if (entries.containsKey(chat)) {
      return false;
    }
    entries.put(chat, new ArrayDeque<>());
    return true;
  }

  /** The business numbers the customer has a chat with, in the order the chats started. */
  List<String> businessesOf(String customer) {
    return entries.keySet().stream().filter(c -> c.customer().equals(customer)).map(Chat::business).toList();
  }

  /** The customer (or the agent seat) with this id, or who has (or had) this phone number or BSUID; null when nobody. */
  Customer customer(String idOrAddress) {
    String chat = customers.containsKey(idOrAddress) ? idOrAddress : chatOfAddress.get(idOrAddress);
    if (agent != null && agent.id().equals(chat)) {
      return agent;
    }
    return chat == null ? null : customers.get(chat);
  }

  /** The customer who shares this phone number now, or null. */
  Customer withPhone(String phone) {
    return customers.values().stream().filter(c -> phone.equals(c.phone())).findFirst().orElse(null);
  }

  /**
   * Records a message in a chat (started if new). {@code from} is {@code customer} or {@code bot};
   * {@code message} is the Cloud API message object (inbound) or request body (outbound).
   */
  JsonObject addEntry(Chat chat, String from, String wamid, JsonObject message, long at) {
    JsonObject entry = new JsonObject().put("customer", chat.customer()).put("business", chat.business()).put("from", from)
        .put("wamid", wamid).put("message", message).put("at", at);
    Deque<JsonObject> list = entries.computeIfAbsent(chat, n -> new ArrayDeque<>());
    list.addLast(entry);
    if (list.size() > MAX_ENTRIES) {
      JsonObject dropped = list.removeFirst();
      byWamid.remove(dropped.getString("wamid"));
    }
    if (wamid != null) {
      byWamid.put(wamid, entry);
      if (from.equals("customer")) {
        chatOfCorrelation.put(wamid, chat);
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

  /** The chat of a message, by its wamid; null when it is not (or no longer) kept. */
  Chat chatOf(String wamid) {
    JsonObject entry = wamid == null ? null : byWamid.get(wamid);
    return entry == null ? null : new Chat(entry.getString("business"), entry.getString("customer"));
  }

  /** The chat whose customer's message started the work a log event belongs to, or null. */
  Chat chatOfCorrelation(String correlationId) {
    return correlationId == null ? null : chatOfCorrelation.get(correlationId);
  }

  void addTrace(JsonObject trace) {
    traces.addLast(trace);
    if (traces.size() > MAX_TRACE_STEPS) {
      traces.removeFirst();
    }
  }

  List<JsonObject> transcript(Chat chat) {
    return new ArrayList<>(entries.getOrDefault(chat, new ArrayDeque<>()));
  }

  /**
   * Everything the page shows, for every business number: {@code numbers} (as given), {@code customers}, the
   * {@code agent} seat, {@code chats} ({@code {business, customer}} in the order they started), and every chat's
   * {@code entries} and the {@code traces}, each naming its {@code business} and {@code customer}.
   */
  JsonObject snapshot(JsonArray numbers) {
    JsonArray customerArray = new JsonArray();
    customers.values().forEach(c -> customerArray.add(c.toJson()));
    JsonArray chatArray = new JsonArray();
    JsonArray entryArray = new JsonArray();
    entries.forEach((chat, list) -> {
      chatArray.add(chat.toJson());
      list.forEach(entryArray::add);
    });
    String defaultNumber = numbers.isEmpty() ? null : numbers.getJsonObject(0).getString("phoneNumberId");
    return new JsonObject().put("phoneNumberId", defaultNumber).put("numbers", numbers).put("customers", customerArray)
        .put("agent", agent == null ? null : agent.toJson()).put("chats", chatArray)
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
