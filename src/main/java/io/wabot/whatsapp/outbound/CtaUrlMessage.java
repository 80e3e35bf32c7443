package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * An interactive call-to-action URL button ({@code interactive.type = cta_url}): a body with one button
 * that opens {@code url}, so the link does not have to be spelled out in the text.
 */
public record CtaUrlMessage(String to, String header, String body, String footer, String displayText, String url)
    implements InteractiveMessage {

  /** The button's text (Meta's limit). */
  public static final int DISPLAY_TEXT = 20;

  public CtaUrlMessage {
    Limits.recipient(to);
    Interactive.frame(header, body, true, footer);
    Limits.requiredMax(displayText, DISPLAY_TEXT, "CTA button text (display_text)");
    Interactive.url(url, "CTA button url");
  }

  public CtaUrlMessage(String to, String body, String displayText, String url) {
    this(to, null, body, null, displayText, url);
  }

  @Override
  public JsonObject content() {
    return Interactive.of("cta_url", header, body, footer).put("action", new JsonObject().put("name", "cta_url")
        .put("parameters", new JsonObject().put("display_text", displayText).put("url", url)));
  }
}
