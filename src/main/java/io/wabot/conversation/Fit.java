package io.wabot.conversation;

/**
 * Shortens copy to a Cloud API limit the way a person would: at a word boundary when one is near,
 * with an ellipsis, counting characters as WhatsApp does (code points, so an emoji is one).
 */
public final class Fit {

  private static final String ELLIPSIS = "…";

  private Fit() {
  }

  public static String to(String text, int max) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    int length = trimmed.codePointCount(0, trimmed.length());
    if (length <= max) {
      return trimmed;
    }
    int cut = trimmed.offsetByCodePoints(0, max - 1);
    String head = trimmed.substring(0, cut);
    int space = head.lastIndexOf(' ');
    boolean wordEndsAtCut = Character.isWhitespace(trimmed.charAt(cut));
    if (!wordEndsAtCut && space >= head.length() / 2) {
      head = head.substring(0, space);
    }
    return head.stripTrailing().replaceAll("[\\s,;:.·–-]+$", "") + ELLIPSIS;
  }
}
