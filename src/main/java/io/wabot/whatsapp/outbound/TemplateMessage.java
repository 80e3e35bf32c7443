package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An approved message template: the only kind of message allowed outside the 24-hour customer
 * service window.
 *
 * @param name         the template's name as approved in WhatsApp Manager
 * @param languageCode the template's language, e.g. {@code en_US} or {@code es_MX}
 * @param components   parameters for the header, body and buttons; empty for a template without any
 */
public record TemplateMessage(String to, String name, String languageCode, List<Component> components)
    implements OutboundMessage {

  /** Parameters of one part of the template. {@code index} is the button's position for button components. */
  public record Component(String type, String subType, Integer index, List<Parameter> parameters) {
    public Component {
      Limits.required(type, "template component type");
      parameters = List.copyOf(parameters);
    }

    public static Component body(Parameter... parameters) {
      return new Component("body", null, null, List.of(parameters));
    }

    public static Component header(Parameter... parameters) {
      return new Component("header", null, null, List.of(parameters));
    }

    public static Component quickReplyButton(int index, String payload) {
      return new Component("button", "quick_reply", index, List.of(Parameter.payload(payload)));
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

  /** One parameter: {@code type} is the Cloud API's (text, currency, date_time, image, document, video, payload). */
  public record Parameter(String type, JsonObject value) {
    public Parameter {
      Limits.required(type, "template parameter type");
      value = value.copy();
    }

    public static Parameter text(String text) {
      return new Parameter("text", new JsonObject().put("text", Limits.required(text, "template text parameter")));
    }

    public static Parameter payload(String payload) {
      return new Parameter("payload", new JsonObject().put("payload", Limits.required(payload, "button payload")));
    }

    public static Parameter imageLink(String link) {
      return new Parameter("image", new JsonObject().put("image", new JsonObject().put("link", link)));
    }

    JsonObject toJson() {
      return new JsonObject().put("type", type).mergeIn(value);
    }
  }

  public TemplateMessage {
    Limits.recipient(to);
    Limits.requiredMax(name, Limits.TEMPLATE_NAME, "template name");
    Limits.required(languageCode, "template language code");
    components = components == null ? List.of() : List.copyOf(components);
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
