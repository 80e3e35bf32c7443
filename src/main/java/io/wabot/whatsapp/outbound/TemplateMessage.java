package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An approved message template: the only kind of message allowed outside the 24-hour customer
 * service window. Components fill the template's variables: a header (text, image, video, document
 * or location), body parameters (positional {@code {{1}}} or named {@code {{first_name}}}), buttons
 * (quick reply payload, URL suffix, copy code, flow, catalog) and a limited-time offer.
 *
 * <pre>{@code
 * new TemplateMessage(to, "order_shipped", "es_MX", List.of(
 *     Component.header(Parameter.image("https://cdn.example.com/box.png")),
 *     Component.body(Parameter.named("first_name", "Ana"), Parameter.named("order", "#4521")),
 *     Component.urlButton(0, "4521")));
 * }</pre>
 *
 * @param name         the template's name as approved in WhatsApp Manager
 * @param languageCode the template's language, e.g. {@code en_US} or {@code es_MX}
 * @param components   parameters for the header, body and buttons; empty for a template without any
 */
public record TemplateMessage(String to, String name, String languageCode, List<Component> components)
    implements OutboundMessage {

  /** A text parameter of the header (Meta's limit for the header text). */
  public static final int HEADER_TEXT_PARAMETER = 60;
  /** A coupon code of a copy-code button. */
  public static final int COUPON_CODE = 15;
  /** A template has at most ten buttons, indexed 0 to 9. */
  public static final int MAX_BUTTONS = 10;

  /** Button kinds ({@code sub_type}) and the parameter type each one takes. */
  private static final java.util.Map<String, String> BUTTON_PARAMETER = java.util.Map.of(
      "quick_reply", "payload", "url", "text", "copy_code", "coupon_code", "flow", "action", "CATALOG", "action");

  /**
   * Parameters of one part of the template: {@code header}, {@code body}, {@code button} (with its
   * {@code subType} and {@code index}, its position among the template's buttons) or
   * {@code limited_time_offer}.
   */
  public record Component(String type, String subType, Integer index, List<Parameter> parameters) {
    public Component {
      Limits.required(type, "template component type");
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
      switch (type) {
        case "header" -> {
          Limits.count(parameters, 1, 1, "template header parameters");
          if (!Set.of("text", "image", "video", "document", "location").contains(parameters.get(0).type())) {
            throw new InvalidMessageException("template header parameter must be text, image, video, document or"
                + " location, not " + parameters.get(0).type());
          }
        }
        case "body" -> checkBody(parameters);
        case "button" -> checkButton(subType, index, parameters);
        case "limited_time_offer" -> {
          Limits.count(parameters, 1, 1, "limited-time offer parameters");
        }
        default -> throw new InvalidMessageException("template component type \"" + type + "\" is not one of header,"
            + " body, button, limited_time_offer");
      }
    }

    /** Body parameters: all positional ({@code {{1}}}…) or all named ({@code parameter_name}); Meta refuses a mix. */
    public static Component body(Parameter... parameters) {
      return new Component("body", null, null, List.of(parameters));
    }

    public static Component header(Parameter parameter) {
      return new Component("header", null, null, List.of(parameter));
    }

    /** The payload the bot receives when the customer taps quick-reply button {@code index}. */
    public static Component quickReplyButton(int index, String payload) {
      return new Component("button", "quick_reply", index, List.of(Parameter.payload(payload)));
    }

    /** The variable end of a dynamic URL button's address, e.g. {@code 4521} for {@code https://shop.example/o/{{1}}}. */
    public static Component urlButton(int index, String urlSuffix) {
      return new Component("button", "url", index, List.of(Parameter.text(urlSuffix)));
    }

    /** The code a copy-code button (coupon template) copies. */
    public static Component copyCodeButton(int index, String couponCode) {
      return new Component("button", "copy_code", index, List.of(Parameter.couponCode(couponCode)));
    }

    /** A flow button: the flow token and, optionally, the data the first screen opens with. */
    public static Component flowButton(int index, String flowToken, JsonObject flowActionData) {
      return new Component("button", "flow", index, List.of(Parameter.flowAction(flowToken, flowActionData)));
    }

    /** A catalog template's "View catalog" button, with the product shown as its thumbnail (or null). */
    public static Component catalogButton(int index, String thumbnailProductRetailerId) {
      return new Component("button", "CATALOG", index, List.of(Parameter.catalogAction(thumbnailProductRetailerId)));
    }

    /** When a limited-time-offer template's offer ends, in epoch milliseconds. */
    public static Component limitedTimeOffer(long expirationTimeMs) {
      return new Component("limited_time_offer", null, null, List.of(Parameter.limitedTimeOffer(expirationTimeMs)));
    }

    private static void checkBody(List<Parameter> parameters) {
      long named = parameters.stream().filter(p -> p.parameterName() != null).count();
      if (named != 0 && named != parameters.size()) {
        throw new InvalidMessageException("template body parameters are either all positional or all named"
            + " (parameter_name); this one mixes both");
      }
      Set<String> names = new HashSet<>();
      for (Parameter p : parameters) {
        if (p.parameterName() != null && !names.add(p.parameterName())) {
          throw new InvalidMessageException("template body parameter \"" + p.parameterName() + "\" is given twice");
        }
        if (!Set.of("text", "currency", "date_time").contains(p.type())) {
          throw new InvalidMessageException("template body parameter must be text, currency or date_time, not " + p.type());
        }
        if ("text".equals(p.type()) && p.value().getString("text").matches("(?s).*([\\n\\t]| {5,}).*")) {
          // Meta refuses these with error 132018 at send time, long after the flow author could fix it.
          throw new InvalidMessageException("template body parameter " + (p.parameterName() == null ? "" : "\""
              + p.parameterName() + "\" ") + "contains a new line, a tab or more than 4 spaces in a row;"
              + " WhatsApp refuses them in template parameters");
        }
      }
    }

    private static void checkButton(String subType, Integer index, List<Parameter> parameters) {
      String expected = BUTTON_PARAMETER.get(subType);
      if (expected == null) {
        throw new InvalidMessageException("template button sub_type \"" + subType + "\" is not one of "
            + BUTTON_PARAMETER.keySet());
      }
      if (index == null || index < 0 || index >= MAX_BUTTONS) {
        throw new InvalidMessageException("template button index " + index + " is outside 0.." + (MAX_BUTTONS - 1));
      }
      Limits.count(parameters, 1, 1, "parameters of template button " + index);
      if (!expected.equals(parameters.get(0).type())) {
        throw new InvalidMessageException("template " + subType + " button " + index + " takes a " + expected
            + " parameter, not " + parameters.get(0).type());
      }
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type);
      if (subType != null) {
        json.put("sub_type", subType);
      }
      if (index != null) {
        json.put("index", String.valueOf(index));
      }
      JsonArray params = new JsonArray();
      parameters.forEach(p -> params.add(p.toJson()));
      return json.put("parameters", params);
    }
  }

  /**
   * One parameter: {@code type} is the Cloud API's (text, currency, date_time, image, document, video,
   * location, payload, coupon_code, action, limited_time_offer); {@code value} its member; a body
   * parameter of a template with named variables carries its {@code parameterName}.
   */
  public record Parameter(String type, JsonObject value, String parameterName) {
    public Parameter {
      Limits.required(type, "template parameter type");
      value = value.copy();
      if (parameterName != null && !parameterName.matches("[a-z0-9_]{1,100}")) {
        throw new InvalidMessageException("template parameter_name must be lowercase letters, digits and underscores");
      }
    }

    public Parameter(String type, JsonObject value) {
      this(type, value, null);
    }

    /** A positional text ({@code {{1}}}), or a header text (at most 60 characters there). */
    public static Parameter text(String text) {
      return new Parameter("text", new JsonObject().put("text", Limits.required(text, "template text parameter")));
    }

    /** A named body variable, e.g. {@code named("first_name", "Ana")} for {@code {{first_name}}}. */
    public static Parameter named(String parameterName, String text) {
      Limits.required(parameterName, "template parameter_name");
      return new Parameter("text", new JsonObject().put("text", Limits.required(text, "template parameter " + parameterName)),
          parameterName);
    }

    /** An amount WhatsApp formats for the customer's locale; {@code fallbackValue} is shown where it cannot. */
    public static Parameter currency(String fallbackValue, String isoCode, long amount1000) {
      Limits.required(fallbackValue, "currency fallback_value");
      if (isoCode == null || !isoCode.matches("[A-Z]{3}")) {
        throw new InvalidMessageException("currency code must be an ISO 4217 code such as USD");
      }
      return new Parameter("currency", new JsonObject().put("currency", new JsonObject()
          .put("fallback_value", fallbackValue).put("code", isoCode).put("amount_1000", amount1000)));
    }

    public static Parameter dateTime(String fallbackValue) {
      return new Parameter("date_time", new JsonObject().put("date_time",
          new JsonObject().put("fallback_value", Limits.required(fallbackValue, "date_time fallback_value"))));
    }

    public static Parameter payload(String payload) {
      return new Parameter("payload", new JsonObject().put("payload", Limits.required(payload, "button payload")));
    }

    public static Parameter image(String link) {
      return media("image", link, null);
    }

    /** The older name of {@link #image(String)}. */
    public static Parameter imageLink(String link) {
      return image(link);
    }

    public static Parameter video(String link) {
      return media("video", link, null);
    }

    public static Parameter document(String link, String filename) {
      return media("document", link, filename);
    }

    /** Header media uploaded to Meta: {@code kind} image, video or document. */
    public static Parameter mediaId(String kind, String mediaId) {
      Limits.required(mediaId, "template header media id");
      return new Parameter(kind, new JsonObject().put(kind, new JsonObject().put("id", mediaId)));
    }

    public static Parameter location(double latitude, double longitude, String name, String address) {
      LocationMessage.coordinates(latitude, longitude, "template header location");
      return new Parameter("location", new JsonObject().put("location",
          LocationMessage.json(latitude, longitude, name, address)));
    }

    public static Parameter couponCode(String code) {
      Limits.requiredMax(code, COUPON_CODE, "coupon code");
      return new Parameter("coupon_code", new JsonObject().put("coupon_code", code));
    }

    public static Parameter flowAction(String flowToken, JsonObject flowActionData) {
      JsonObject action = new JsonObject().put("flow_token", Limits.required(flowToken, "flow_token"));
      if (flowActionData != null) {
        action.put("flow_action_data", flowActionData.copy());
      }
      return new Parameter("action", new JsonObject().put("action", action));
    }

    public static Parameter catalogAction(String thumbnailProductRetailerId) {
      JsonObject action = new JsonObject();
      if (thumbnailProductRetailerId != null && !thumbnailProductRetailerId.isBlank()) {
        action.put("thumbnail_product_retailer_id", thumbnailProductRetailerId);
      }
      return new Parameter("action", new JsonObject().put("action", action));
    }

    public static Parameter limitedTimeOffer(long expirationTimeMs) {
      if (expirationTimeMs <= 0) {
        throw new InvalidMessageException("limited-time offer expiration_time_ms must be a positive epoch time in ms");
      }
      return new Parameter("limited_time_offer", new JsonObject().put("limited_time_offer",
          new JsonObject().put("expiration_time_ms", expirationTimeMs)));
    }

    private static Parameter media(String kind, String link, String filename) {
      JsonObject media = new JsonObject().put("link", Interactive.url(link, "template header " + kind + " link"));
      if (filename != null) {
        media.put("filename", filename);
      }
      return new Parameter(kind, new JsonObject().put(kind, media));
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type);
      if (parameterName != null) {
        json.put("parameter_name", parameterName);
      }
      return json.mergeIn(value);
    }
  }

  public TemplateMessage {
    Limits.recipient(to);
    Limits.requiredMax(name, Limits.TEMPLATE_NAME, "template name");
    Limits.required(languageCode, "template language code");
    components = components == null ? List.of() : List.copyOf(components);
    long headers = components.stream().filter(c -> c.type().equals("header")).count();
    long bodies = components.stream().filter(c -> c.type().equals("body")).count();
    if (headers > 1 || bodies > 1) {
      throw new InvalidMessageException("a template has at most one header and one body component");
    }
    components.stream().filter(c -> c.type().equals("header")).forEach(c -> {
      Parameter p = c.parameters().get(0);
      if (p.type().equals("text")) {
        Limits.maxLength(p.value().getString("text"), HEADER_TEXT_PARAMETER, "template header text parameter");
      }
    });
    Set<Integer> buttons = new HashSet<>();
    components.stream().filter(c -> c.type().equals("button")).forEach(c -> {
      if (!buttons.add(c.index())) {
        throw new InvalidMessageException("template button index " + c.index() + " is given twice");
      }
    });
  }

  /**
   * The template a Cloud API request body holds (as {@link #toJson()} wrote it), or empty when the body
   * is not a template or breaks the template's limits.
   */
  public static Optional<TemplateMessage> fromJson(JsonObject body) {
    if (!"template".equals(body.getString("type")) || !(body.getValue("template") instanceof JsonObject template)) {
      return Optional.empty();
    }
    try {
      List<Component> components = new ArrayList<>();
      for (Object item : template.getJsonArray("components", new JsonArray())) {
        JsonObject component = (JsonObject) item;
        List<Parameter> parameters = new ArrayList<>();
        for (Object p : component.getJsonArray("parameters", new JsonArray())) {
          JsonObject value = ((JsonObject) p).copy();
          String type = (String) value.remove("type");
          parameters.add(new Parameter(type, value));
        }
        String index = component.getString("index");
        components.add(new Component(component.getString("type"), component.getString("sub_type"),
            index == null ? null : Integer.valueOf(index), parameters));
      }
      String to = body.getString("to", body.getString("recipient"));
      return Optional.of(new TemplateMessage(to, template.getString("name"),
          template.getJsonObject("language", new JsonObject()).getString("code"), components));
    } catch (RuntimeException e) { // a body this version's builders would not have written
      return Optional.empty();
    }
  }

  /** The same template in another language, for the fallback after error 132001. */
  public TemplateMessage inLanguage(String otherLanguage) {
    return new TemplateMessage(to, name, otherLanguage, components);
  }

  /**
   * The fallback after error 132001 on a request already queued as JSON: a copy of {@code requestBody}
   * (a template request) with {@code language.code} replaced, every component kept.
   */
  public static JsonObject inLanguage(JsonObject requestBody, String otherLanguage) {
    Limits.required(otherLanguage, "template language code");
    if (!isTemplate(requestBody)) {
      throw new InvalidMessageException("only a template request has a language to change");
    }
    JsonObject retry = requestBody.copy();
    retry.getJsonObject("template").put("language", new JsonObject().put("code", otherLanguage));
    return retry;
  }

  /** The {@code language.code} of a template request, or "" when it has none. */
  public static String languageOf(JsonObject requestBody) {
    return isTemplate(requestBody)
        ? requestBody.getJsonObject("template").getJsonObject("language", new JsonObject()).getString("code", "") : "";
  }

  /** Whether {@code requestBody} is a template request. */
  public static boolean isTemplate(JsonObject requestBody) {
    return requestBody != null && "template".equals(requestBody.getValue("type"))
        && requestBody.getValue("template") instanceof JsonObject;
  }

  @Override
  public String type() {
    return "template";
  }

  @Override
  public JsonObject content() {
    JsonObject template = new JsonObject().put("name", name).put("language", new JsonObject().put("code", languageCode));
    if (!components.isEmpty()) {
      JsonArray array = new JsonArray();
      components.forEach(c -> array.add(c.toJson()));
      template.put("components", array);
    }
    return template;
  }
}
