package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An interactive media carousel ({@code interactive.type = carousel}): a body and 2 to 10 cards the
 * customer swipes through. Every card has an image or video header (the same kind on all cards), an
 * optional body, and either one URL button or quick-reply buttons; Meta requires the same button
 * kind and count on every card.
 */
public record CarouselMessage(String to, String body, List<Card> cards) implements InteractiveMessage {

  public static final int MIN_CARDS = 2;
  public static final int MAX_CARDS = 10;
  public static final int CARD_BODY = 160;
  public static final int MAX_CARD_QUICK_REPLIES = 2;

  /** One card: {@code mediaKind} image or video, by media id or link; {@code cta} or {@code quickReplies}. */
  public record Card(String mediaKind, String mediaId, String mediaLink, String body, CtaButton cta,
      List<Button> quickReplies) {
    public Card {
      if (!"image".equals(mediaKind) && !"video".equals(mediaKind)) {
        throw new InvalidMessageException("carousel card media must be image or video, not " + mediaKind);
      }
      if ((mediaId == null || mediaId.isBlank()) == (mediaLink == null || mediaLink.isBlank())) {
        throw new InvalidMessageException("carousel card needs its media: exactly one of a media id or a link");
      }
      if (mediaLink != null) {
        Interactive.url(mediaLink, "carousel card media link");
      }
      Limits.maxLength(body, CARD_BODY, "carousel card body");
      quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
      if ((cta == null) == quickReplies.isEmpty()) {
        throw new InvalidMessageException("carousel card needs either one URL button or quick-reply buttons (not both)");
      }
      Limits.count(quickReplies, cta == null ? 1 : 0, MAX_CARD_QUICK_REPLIES, "carousel card quick-reply buttons");
    }

    public static Card withUrl(String imageLink, String body, String displayText, String url) {
      return new Card("image", null, imageLink, body, new CtaButton(displayText, url), null);
    }

    public static Card withQuickReplies(String imageLink, String body, List<Button> quickReplies) {
      return new Card("image", null, imageLink, body, null, quickReplies);
    }

    private String shape() {
      return mediaKind + "/" + (cta != null ? "url" : quickReplies.size() + " quick replies");
    }

    JsonObject toJson(int index) {
      JsonObject media = mediaId != null ? new JsonObject().put("id", mediaId) : new JsonObject().put("link", mediaLink);
      JsonObject card = new JsonObject().put("card_index", index).put("type", cta != null ? "cta_url" : "button")
          .put("header", new JsonObject().put("type", mediaKind).put(mediaKind, media));
      if (body != null && !body.isBlank()) {
        card.put("body", new JsonObject().put("text", body));
      }
      if (cta != null) {
        return card.put("action", new JsonObject().put("name", "cta_url").put("parameters",
            new JsonObject().put("display_text", cta.displayText()).put("url", cta.url())));
      }
      JsonArray buttons = new JsonArray();
      quickReplies.forEach(b -> buttons.add(new JsonObject().put("type", "quick_reply")
          .put("quick_reply", new JsonObject().put("id", b.id()).put("title", b.title()))));
      return card.put("action", new JsonObject().put("buttons", buttons));
    }
  }

  /** A card's URL button. */
  public record CtaButton(String displayText, String url) {
    public CtaButton {
      Limits.requiredMax(displayText, CtaUrlMessage.DISPLAY_TEXT, "carousel card button text (display_text)");
      Interactive.url(url, "carousel card button url");
    }
  }

  public CarouselMessage {
    Limits.recipient(to);
    Interactive.frame(null, body, true, null);
    Limits.count(cards, MIN_CARDS, MAX_CARDS, "carousel cards");
    cards = List.copyOf(cards);
    Set<String> shapes = new HashSet<>();
    cards.forEach(c -> shapes.add(c.shape()));
    if (shapes.size() > 1) {
      throw new InvalidMessageException("carousel cards must all have the same media kind and buttons; found " + shapes);
    }
  }

  @Override
  public JsonObject content() {
    JsonArray array = new JsonArray();
    for (int i = 0; i < cards.size(); i++) {
      array.add(cards.get(i).toJson(i));
    }
    return Interactive.of("carousel", null, body, null).put("action", new JsonObject().put("cards", array));
  }
}
