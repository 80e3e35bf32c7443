package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One or more contact cards (vCard fields as the Cloud API names them). Unlike every other type, the
 * {@code contacts} member of the request is an array, so this message writes its own body.
 *
 * <pre>{@code
 * new ContactsMessage(to, List.of(ContactsMessage.Contact.named("Ana Ruiz", "Ana", "Ruiz")
 *     .withPhone(new Phone("+52 55 1234 5678", "WORK", "5215512345678"))));
 * }</pre>
 */
public record ContactsMessage(String to, List<Contact> contacts) implements OutboundMessage {

  /** Meta refuses larger batches; several cards are better sent as separate messages anyway. */
  public static final int MAX_CONTACTS = 257;

  /** {@code formatted_name} is required, and so is at least one of the other parts. */
  public record Name(String formattedName, String firstName, String lastName, String middleName, String prefix,
      String suffix) {
    public Name {
      Limits.required(formattedName, "contact name (formatted_name)");
      if (blank(firstName) && blank(lastName) && blank(middleName) && blank(prefix) && blank(suffix)) {
        throw new InvalidMessageException("contact name needs, besides formatted_name, at least one of first_name,"
            + " last_name, middle_name, prefix or suffix");
      }
    }

    JsonObject toJson() {
      return put(put(put(put(put(new JsonObject().put("formatted_name", formattedName), "first_name", firstName),
          "last_name", lastName), "middle_name", middleName), "prefix", prefix), "suffix", suffix);
    }
  }

  /** {@code type}: HOME, WORK, CELL, MAIN, IPHONE… ; {@code waId} makes WhatsApp offer "Message". */
  public record Phone(String phone, String type, String waId) {
    public Phone {
      Limits.required(phone, "contact phone");
    }

    JsonObject toJson() {
      return put(put(new JsonObject().put("phone", phone), "type", type), "wa_id", waId);
    }
  }

  public record Email(String email, String type) {
    public Email {
      Limits.required(email, "contact email");
      if (!email.contains("@")) {
        throw new InvalidMessageException("contact email is not an email address (no @)");
      }
    }

    JsonObject toJson() {
      return put(new JsonObject().put("email", email), "type", type);
    }
  }

  public record Url(String url, String type) {
    public Url {
      Interactive.url(url, "contact url");
    }

    JsonObject toJson() {
      return put(new JsonObject().put("url", url), "type", type);
    }
  }

  /** {@code countryCode}: two-letter ISO code. */
  public record Address(String street, String city, String state, String zip, String country, String countryCode,
      String type) {
    public Address {
      if (countryCode != null && !countryCode.matches("[A-Za-z]{2}")) {
        throw new InvalidMessageException("contact address country_code must be a two-letter ISO code");
      }
    }

    JsonObject toJson() {
      return put(put(put(put(put(put(put(new JsonObject(), "street", street), "city", city), "state", state), "zip", zip),
          "country", country), "country_code", countryCode), "type", type);
    }
  }

  public record Org(String company, String department, String title) {
    JsonObject toJson() {
      return put(put(put(new JsonObject(), "company", company), "department", department), "title", title);
    }
  }

  /** One card. {@code birthday}: YYYY-MM-DD. */
  public record Contact(Name name, List<Phone> phones, List<Email> emails, List<Url> urls, List<Address> addresses,
      Org org, String birthday) {
    public Contact {
      if (name == null) {
        throw new InvalidMessageException("a contact needs a name");
      }
      phones = phones == null ? List.of() : List.copyOf(phones);
      emails = emails == null ? List.of() : List.copyOf(emails);
      urls = urls == null ? List.of() : List.copyOf(urls);
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
      if (birthday != null) {
        try {
          LocalDate.parse(birthday);
        } catch (DateTimeParseException e) {
          throw new InvalidMessageException("contact birthday must be YYYY-MM-DD");
        }
      }
    }

    public static Contact named(String formattedName, String firstName, String lastName) {
      return new Contact(new Name(formattedName, firstName, lastName, null, null, null), null, null, null, null, null, null);
    }

    public Contact withPhone(Phone phone) {
      return new Contact(name, append(phones, phone), emails, urls, addresses, org, birthday);
    }

    public Contact withEmail(Email email) {
      return new Contact(name, phones, append(emails, email), urls, addresses, org, birthday);
    }

    public Contact withUrl(Url url) {
      return new Contact(name, phones, emails, append(urls, url), addresses, org, birthday);
    }

    public Contact withAddress(Address address) {
      return new Contact(name, phones, emails, urls, append(addresses, address), org, birthday);
    }

    public Contact withOrg(Org newOrg) {
      return new Contact(name, phones, emails, urls, addresses, newOrg, birthday);
    }

    public Contact withBirthday(String date) {
      return new Contact(name, phones, emails, urls, addresses, org, date);
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name.toJson());
      list(json, "phones", phones.stream().map(Phone::toJson).toList());
      list(json, "emails", emails.stream().map(Email::toJson).toList());
      list(json, "urls", urls.stream().map(Url::toJson).toList());
      list(json, "addresses", addresses.stream().map(Address::toJson).toList());
      if (org != null) {
        json.put("org", org.toJson());
      }
      return put(json, "birthday", birthday);
    }
  }

  public ContactsMessage {
    Limits.recipient(to);
    Limits.count(contacts, 1, MAX_CONTACTS, "contact cards");
    contacts = List.copyOf(contacts);
  }

  @Override
  public String type() {
    return "contacts";
  }

  /** The first card; the request carries them all as an array ({@link #toJson()}). */
  @Override
  public JsonObject content() {
    return contacts.get(0).toJson();
  }

  @Override
  public JsonObject toJson() {
    JsonArray cards = new JsonArray();
    contacts.forEach(c -> cards.add(c.toJson()));
    return Envelope.of(to).put("type", type()).put(type(), cards);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static JsonObject put(JsonObject json, String key, String value) {
    return value == null || value.isBlank() ? json : json.put(key, value);
  }

  private static void list(JsonObject json, String key, List<JsonObject> items) {
    if (!items.isEmpty()) {
      json.put(key, new JsonArray(List.copyOf(items)));
    }
  }

  private static <T> List<T> append(List<T> list, T item) {
    java.util.ArrayList<T> copy = new java.util.ArrayList<>(list);
    copy.add(item);
    return copy;
  }
}
