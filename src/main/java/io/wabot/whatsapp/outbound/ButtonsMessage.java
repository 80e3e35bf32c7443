package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Interactive reply buttons: a body, one to three buttons with unique titles, an optional text header
 * and footer.
 */
public record ButtonsMessage(String to, String header, String body, String footer, List<Button> buttons)
    implements OutboundMessage {

  public ButtonsMessage {
    Limits.recipient(to);
    Limits.maxLength(header, Limits.HEADER_TEXT, "header");
    Limits.requiredMax(body, Limits.INTERACTIVE_BODY, "interactive body");
    Limits.maxLength(footer, Limits.FOOTER, "footer");
    Limits.count(buttons, 1, Limits.MAX_BUTTONS, "reply buttons");
    buttons = List.copyOf(buttons);
    Set<String> titles = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Button b : buttons) {
      if (!titles.add(b.title())) {
        throw new InvalidMessageException("button title \"" + b.title() + "\" is used twice; titles must be unique");
      }
      if (!ids.add(b.id())) {
        throw new InvalidMessageException("button id \"" + b.id() + "\" is used twice; ids must be unique");
      }
    }
  }

  public ButtonsMessage(String to, String body, List<Button> buttons) {
    this(to, null, body, null, buttons);
  }

  @Override
  public String type() {
    return "interactive";
  }

  @Override
  public JsonObject content() {
    JsonArray array = new JsonArray();
    buttons.forEach(b -> array.add(new JsonObject().put("type", "reply")
        .put("reply", new JsonObject().put("id", b.id()).put("title", b.title()))));
    JsonObject interactive = new JsonObject().put("type", "button");
    if (header != null && !header.isBlank()) {
      interactive.put("header", new JsonObject().put("type", "text").put("text", header));
    }
    interactive.put("body", new JsonObject().put("text", body));
    if (footer != null && !footer.isBlank()) {
      interactive.put("footer", new JsonObject().put("text", footer));
    }
    return interactive.put("action", new JsonObject().put("buttons", array));
  }
}
