package io.wabot.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Renders sandbox transcript entries as plain text, for the JSON API and the conversation script. */
final class Transcripts {

  private Transcripts() {
  }

  static String describe(JsonObject entry) {
    JsonObject m = entry.getJsonObject("message", new JsonObject());
    String type = m.getString("type", "");
    if ("customer".equals(entry.getString("from"))) {
      JsonObject interactive = m.getJsonObject("interactive");
      if (interactive != null && "nfm_reply".equals(interactive.getString("type"))) {
        return "[form sent]";
      }
      if (interactive != null) {
        JsonObject reply = interactive.getJsonObject(interactive.getString("type"), new JsonObject());
        return "[tapped] " + reply.getString("title", "");
      }
      if (type.equals("system")) {
        return "[" + m.getJsonObject("system", new JsonObject()).getString("body", "system") + "]";
      }
      return type.equals("text") ? m.getJsonObject("text").getString("body") : "[" + type + "]";
    }
    return switch (type) {
      case "text" -> m.getJsonObject("text").getString("body");
      case "interactive" -> interactive(m.getJsonObject("interactive"));
      case "template" -> "[template " + m.getJsonObject("template").getString("name") + "]";
      case "reaction" -> "[reaction " + m.getJsonObject("reaction").getString("emoji") + "]";
      default -> "[" + type + "]";
    };
  }

  private static String interactive(JsonObject i) {
    StringBuilder out = new StringBuilder();
    JsonObject header = i.getJsonObject("header");
    if (header != null && header.getString("text") != null) {
      out.append(header.getString("text")).append('\n');
    }
    out.append(i.getJsonObject("body", new JsonObject()).getString("text", ""));
    JsonObject action = i.getJsonObject("action", new JsonObject());
    List<String> choices = new ArrayList<>();
    if ("button".equals(i.getString("type"))) {
      for (Object b : action.getJsonArray("buttons", new JsonArray())) {
        JsonObject reply = ((JsonObject) b).getJsonObject("reply");
        choices.add("[" + reply.getString("title") + "]");
      }
      out.append('\n').append(String.join(" ", choices));
    } else if ("flow".equals(i.getString("type"))) {
      out.append("\n[").append(action.getJsonObject("parameters", new JsonObject()).getString("flow_cta")).append("] (form)");
    } else if ("list".equals(i.getString("type"))) {
      out.append("\n[").append(action.getString("button")).append("]");
      for (Object s : action.getJsonArray("sections", new JsonArray())) {
        JsonObject section = (JsonObject) s;
        if (section.getString("title") != null) {
          out.append("\n  ").append(section.getString("title")).append(':');
        }
        for (Object r : section.getJsonArray("rows", new JsonArray())) {
          JsonObject row = (JsonObject) r;
          out.append("\n   - ").append(row.getString("title"));
          if (row.getString("description") != null) {
            out.append(" (").append(row.getString("description")).append(')');
          }
        }
      }
    }
    return out.toString();
  }
}
