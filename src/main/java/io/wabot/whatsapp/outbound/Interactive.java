package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/** The parts every interactive message shares: an optional text header, a body and an optional footer. */
final class Interactive {

  private Interactive() {
  }

  /** {@code {"type": type}} with the header, body and footer that are present. */
  static JsonObject of(String type, String header, String body, String footer) {
    JsonObject interactive = new JsonObject().put("type", type);
    if (header != null && !header.isBlank()) {
      interactive.put("header", new JsonObject().put("type", "text").put("text", header));
    }
    if (body != null && !body.isBlank()) {
      interactive.put("body", new JsonObject().put("text", body));
    }
    if (footer != null && !footer.isBlank()) {
      interactive.put("footer", new JsonObject().put("text", footer));
    }
    return interactive;
  }

  /** Checks the optional text header and footer and the body ({@code bodyRequired}: Meta refuses it missing). */
  static void frame(String header, String body, boolean bodyRequired, String footer) {
    Limits.maxLength(header, Limits.HEADER_TEXT, "header");
    if (bodyRequired) {
      Limits.required(body, "interactive body");
    }
    Limits.maxLength(body, Limits.INTERACTIVE_BODY, "interactive body");
    Limits.maxLength(footer, Limits.FOOTER, "footer");
  }

  /** A link a button opens: WhatsApp refuses anything but http(s). */
  static String url(String url, String what) {
    Limits.required(url, what);
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw new InvalidMessageException(what + " must be an http(s) URL");
    }
    return url;
  }

  /** Meta's catalog ids are numeric; a name or a retailer id there is refused by Meta with code 131009. */
  static String catalogId(String catalogId) {
    Limits.required(catalogId, "catalog id (the Meta commerce catalog linked to the number)");
    if (!catalogId.matches("\\d{1,32}")) {
      throw new InvalidMessageException("catalog id must be the numeric id of the Meta catalog, as shown in Commerce Manager");
    }
    return catalogId;
  }
}
