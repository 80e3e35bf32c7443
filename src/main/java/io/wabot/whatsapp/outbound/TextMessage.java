package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * Plain text, up to 4096 characters.
 *
 * @param previewUrl whether WhatsApp renders a preview of the first URL in the body
 * @param replyTo    the wamid this message quotes, or null
 */
public record TextMessage(String to, String body, boolean previewUrl, String replyTo) implements OutboundMessage {

  public TextMessage {
    Limits.recipient(to);
    Limits.requiredMax(body, Limits.TEXT_BODY, "text body");
  }

  @Override
  public String type() {
    return "text";
  }

  @Override
  public JsonObject content() {
    return new JsonObject().put("preview_url", previewUrl).put("body", body);
  }
}
